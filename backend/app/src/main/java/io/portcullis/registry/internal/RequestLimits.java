package io.portcullis.registry.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistrySource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * What this instance may ask of each registry: at most {@code max_concurrent_requests} requests at a time (a blob
 * holds its permit until its stream is closed) and {@code requests_per_second} new ones per second, as the connection
 * says — an Azure Container Registry throttles by SKU, and a registry that is asked too much answers 429 to everyone.
 * A listing (catalog, tags) counts as one request however many pages it takes. The limits hold per instance; an
 * installation with several worker instances divides a registry's allowance by their number.
 *
 * <p>Also counts what is pulled: {@code portcullis_registry_blob_requests_total} and
 * {@code portcullis_registry_bytes_pulled_total}.
 */
@Component
public class RequestLimits {

  private final Map<UUID, Gate> gates = new ConcurrentHashMap<>();
  private final Counter blobRequests;
  private final Counter bytesPulled;

  RequestLimits(MeterRegistry meters) {
    this.blobRequests = Counter.builder("portcullis.registry.blob.requests")
        .description("Blobs (layers, configs) requested from registries").register(meters);
    this.bytesPulled = Counter.builder("portcullis.registry.bytes.pulled")
        .description("Bytes of blobs read from registries").register(meters);
  }

  /** {@code source} within the connection's limits. */
  RegistrySource limit(UUID connectionId, int concurrent, int perSecond, RegistrySource source) {
    Gate gate = gates.compute(connectionId, (id, existing) ->
        existing != null && existing.concurrent == concurrent && existing.perSecond == perSecond
            ? existing : new Gate(concurrent, perSecond));
    return new Limited(source, gate);
  }

  /**
   * A semaphore for concurrency and a token bucket for the rate. Written here because the bucket is a dozen lines and
   * it must give up with the registry's own error (not block forever) when a scan's time is up.
   */
  static final class Gate {
    private static final long WAIT_SECONDS = 120;

    final int concurrent;
    final int perSecond;
    private final Semaphore permits;
    private double tokens;
    private long refilledAt = System.nanoTime();

    Gate(int concurrent, int perSecond) {
      this.concurrent = concurrent;
      this.perSecond = perSecond;
      this.permits = new Semaphore(concurrent, true);
      this.tokens = perSecond;
    }

    void enter(String what) throws RegistryException {
      try {
        if (!permits.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
          throw new RegistryException(RegistryException.Kind.THROTTLED,
              what + " waited " + WAIT_SECONDS + " s for one of the " + concurrent + " requests this registry allows at a time");
        }
        long wait;
        while ((wait = take()) > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException(RegistryException.Kind.UNAVAILABLE, what + " was interrupted", e);
      }
    }

    void leave() {
      permits.release();
    }

    /** Takes a token, or says how long until one is there. */
    private synchronized long take() {
      long now = System.nanoTime();
      tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / 1e9);
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) ((1 - tokens) * 1e9 / perSecond) + 1;
    }
  }

  private final class Limited implements RegistrySource {
    private final RegistrySource source;
    private final Gate gate;

    Limited(RegistrySource source, Gate gate) {
      this.source = source;
      this.gate = gate;
    }

    @Override
    public void repositories(Consumer<String> each) throws RegistryException {
      gate.enter("listing the repositories");
      try {
        source.repositories(each);
      } finally {
        gate.leave();
      }
    }

    @Override
    public void tags(String repository, Consumer<String> each) throws RegistryException {
      gate.enter("listing the tags of " + repository);
      try {
        source.tags(repository, each);
      } finally {
        gate.leave();
      }
    }

    @Override
    public FetchedManifest manifest(String repository, String reference) throws RegistryException {
      gate.enter("the manifest " + repository + ":" + reference);
      try {
        return source.manifest(repository, reference);
      } finally {
        gate.leave();
      }
    }

    @Override
    public InputStream blob(String repository, Digest digest, long maxBytes) throws RegistryException {
      gate.enter("the blob " + digest);
      InputStream in;
      try {
        blobRequests.increment();
        in = source.blob(repository, digest, maxBytes);
      } catch (RegistryException | RuntimeException e) {
        gate.leave();
        throw e;
      }
      return new FilterInputStream(in) {
        private boolean closed;

        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            bytesPulled.increment();
          }
          return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          int n = super.read(buffer, offset, length);
          if (n > 0) {
            bytesPulled.increment(n);
          }
          return n;
        }

        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            if (!closed) {
              closed = true;
              gate.leave();
            }
          }
        }
      };
    }
  }
}
