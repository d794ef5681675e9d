package io.portcullis.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistrySource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A connection's request limits: at most N at a time (a blob until it is closed), at most R new ones per second. */
class RequestLimitsTests {

  /** A registry that answers at once and counts how many requests it has in hand. */
  static final class Counting implements RegistrySource {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();

    @Override
    public void repositories(Consumer<String> each) {}

    @Override
    public void tags(String repository, Consumer<String> each) {}

    @Override
    public FetchedManifest manifest(String repository, String reference) {
      return null;
    }

    @Override
    public InputStream blob(String repository, Digest digest, long maxBytes) {
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      return new ByteArrayInputStream("layer".getBytes(StandardCharsets.UTF_8)) {
        @Override
        public void close() {
          inFlight.decrementAndGet();
        }
      };
    }
  }

  @Test
  void requestsPerSecondAreSpreadOut() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    RegistrySource limited = new RequestLimits(meters).limit(UUID.randomUUID(), 8, 5, new Counting());
    long started = System.nanoTime();
    for (int i = 0; i < 15; i++) {
      limited.manifest("team/app", "v" + i);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    // a full bucket of 5, then 10 more at 5 per second: about two seconds
    assertThat(seconds).isBetween(1.6, 4.0);
  }

  @Test
  void aBlobHoldsItsSlotUntilItIsClosed() throws Exception {
    Counting registry = new Counting();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    RegistrySource limited = new RequestLimits(meters).limit(UUID.randomUUID(), 2, 1000, registry);
    Digest digest = Digest.of("sha256", "layer".getBytes(StandardCharsets.UTF_8));
    InputStream first = limited.blob("team/app", digest, 100);
    InputStream second = limited.blob("team/app", digest, 100);
    CountDownLatch third = new CountDownLatch(1);
    Thread waiting = new Thread(() -> {
      try (InputStream in = limited.blob("team/app", digest, 100)) {
        in.readAllBytes();
        third.countDown();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    waiting.start();
    assertThat(third.await(500, TimeUnit.MILLISECONDS)).as("a third request waits for a slot").isFalse();
    first.readAllBytes();
    first.close();
    assertThat(third.await(5, TimeUnit.SECONDS)).isTrue();
    second.close();
    waiting.join();
    assertThat(registry.most).hasValue(2);
    assertThat(meters.get("portcullis.registry.blob.requests").counter().count()).isEqualTo(3.0);
    assertThat(meters.get("portcullis.registry.bytes.pulled").counter().count()).isEqualTo(10.0);
  }

  @Test
  void changedLimitsTakeEffect() throws RegistryException {
    RequestLimits limits = new RequestLimits(new SimpleMeterRegistry());
    UUID connection = UUID.randomUUID();
    Counting registry = new Counting();
    Digest digest = Digest.of("sha256", "layer".getBytes(StandardCharsets.UTF_8));
    InputStream held = limits.limit(connection, 1, 1000, registry).blob("a", digest, 10);
    // raised to 2 at a time: a new client of the connection gets the new allowance
    InputStream another = limits.limit(connection, 2, 1000, registry).blob("a", digest, 10);
    assertThat(registry.most).hasValue(2);
    try {
      held.close();
      another.close();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
