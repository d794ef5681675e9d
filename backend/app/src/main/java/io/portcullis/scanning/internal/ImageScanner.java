package io.portcullis.scanning.internal;

import io.portcullis.findings.ImageInventories;
import io.portcullis.findings.Rematching;
import io.portcullis.jobs.Backoff.PermanentFailure;
import io.portcullis.registry.RegistryReader;
import io.portcullis.registry.RegistryReader.ImageLocation;
import io.portcullis.scanner.analysis.Analyzers;
import io.portcullis.scanner.analysis.ImageAnalysis;
import io.portcullis.scanner.analysis.ImageAnalysis.ImageException;
import io.portcullis.scanner.analysis.LayerCache;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.LayerContents;
import io.portcullis.scanner.image.LayerLimits;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryImage;
import io.portcullis.scanner.image.RegistrySource;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanning.ScanningEvents.ImageScanned;
import io.portcullis.tenancy.TenantScope;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * One scan, inside the job's tenant: locate the image, pull its manifest and config, analyse each layer (or take it from
 * the layer cache), store the inventory, match it. Failures a retry may cure (the registry is down or throttling, a
 * timeout) are thrown as they are; failures it cannot (the image is gone, its content is invalid) as
 * {@link PermanentFailure}.
 */
@Component
class ImageScanner {

  private static final Logger log = LoggerFactory.getLogger(ImageScanner.class);

  private final RegistryReader registries;
  private final ImageInventories inventories;
  private final Rematching rematching;
  private final PostgresLayerCache cache;
  private final ScanRecords records;
  private final ApplicationEventPublisher events;
  private final Duration timeLimit;

  ImageScanner(RegistryReader registries, ImageInventories inventories, Rematching rematching, PostgresLayerCache cache,
      ScanRecords records, ApplicationEventPublisher events,
      @Value("${portcullis.scanning.time-limit:30m}") Duration timeLimit) {
    this.registries = registries;
    this.inventories = inventories;
    this.rematching = rematching;
    this.cache = cache;
    this.records = records;
    this.events = events;
    this.timeLimit = timeLimit;
  }

  void scan(UUID jobId, UUID imageId, String worker) {
    UUID tenant = TenantScope.require();
    Optional<ImageLocation> found = registries.locate(imageId);
    if (found.isEmpty()) {
      return; // the image was deleted with its connection: its job went with it
    }
    ImageLocation image = found.get();
    if (image.index()) {
      records.skipped(jobId, "a multi-platform list: each of its platforms is scanned as an image of its own");
      return;
    }
    records.started(jobId, worker);
    if (!image.connectionEnabled()) {
      throw new PermanentFailure("the registry connection is disabled", null);
    }
    AtomicLong bytes = new AtomicLong();
    AtomicInteger layers = new AtomicInteger();
    AtomicInteger cached = new AtomicInteger();
    Inventory inventory;
    try {
      RegistrySource source = counting(registries.open(image.connectionId()), bytes::addAndGet);
      RegistryImage opened = RegistryImage.open(source, image.repository(), image.digest(), null);
      LayerCache counted = new LayerCache() {
        @Override
        public Optional<LayerContents> get(Key key) {
          return cache.get(key);
        }

        @Override
        public void put(Key key, LayerContents contents) {
          cache.put(key, contents);
        }

        @Override
        public LayerContents load(Key key, Reader reader) throws ImageException {
          PostgresLayerCache.Loaded loaded = cache.loadCounted(key, reader);
          layers.incrementAndGet();
          if (loaded.cached()) {
            cached.incrementAndGet();
          }
          return loaded.contents();
        }
      };
      inventory = new ImageAnalysis(Analyzers.defaults(), LayerLimits.DEFAULT, counted).withTimeLimit(timeLimit)
          .analyze(opened);
    } catch (RegistryException e) {
      throw registryFailure(image, e);
    } catch (ImageException e) {
      if (e.getCause() instanceof RegistryException r) {
        RuntimeException failure = registryFailure(image, r);
        throw failure instanceof PermanentFailure ? failure : new IllegalStateException(e.getMessage(), e);
      }
      throw new PermanentFailure(e.getMessage(), e);
    }
    registries.recordHealth(image.connectionId(), true, null);
    inventories.store(imageId, inventory);
    Rematching.ImageResult matched = rematching.matchImage(imageId);
    records.succeeded(jobId, imageId, layers.get(), cached.get(), bytes.get(), matched.open());
    log.info("scanned image {} ({}@{}): {} packages, {} layers ({} cached), {} bytes pulled, {} open findings", imageId,
        image.repository(), image.digest(), inventory.packages().size(), layers.get(), cached.get(), bytes.get(),
        matched.open());
    events.publishEvent(new ImageScanned(tenant, imageId, jobId, inventory.packages().size(), layers.get(),
        cached.get(), bytes.get(), matched.open()));
  }

  private RuntimeException registryFailure(ImageLocation image, RegistryException e) {
    switch (e.kind()) {
      case NOT_FOUND:
        return new PermanentFailure("the registry no longer has this image: " + e.getMessage(), e);
      case MALFORMED:
      case TOO_LARGE:
        return new PermanentFailure(e.getMessage(), e);
      case UNAUTHORIZED:
      case UNAVAILABLE:
      case TIMEOUT:
      case TLS:
        registries.recordHealth(image.connectionId(), false, e.getMessage());
        return new IllegalStateException(e.getMessage(), e);
      default:
        return new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Counts the bytes of every blob this scan reads. */
  private static RegistrySource counting(RegistrySource source, Consumer<Long> bytes) {
    return new RegistrySource() {
      @Override
      public void repositories(Consumer<String> each) throws RegistryException {
        source.repositories(each);
      }

      @Override
      public void tags(String repository, Consumer<String> each) throws RegistryException {
        source.tags(repository, each);
      }

      @Override
      public FetchedManifest manifest(String repository, String reference) throws RegistryException {
        return source.manifest(repository, reference);
      }

      @Override
      public InputStream blob(String repository, Digest digest, long maxBytes) throws RegistryException {
        return new FilterInputStream(source.blob(repository, digest, maxBytes)) {
          @Override
          public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
              bytes.accept(1L);
            }
            return b;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
              bytes.accept((long) n);
            }
            return n;
          }
        };
      }
    };
  }
}
