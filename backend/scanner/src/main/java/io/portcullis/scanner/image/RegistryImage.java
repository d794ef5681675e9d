package io.portcullis.scanner.image;

import java.io.IOException;
import java.io.InputStream;

/** An image read from a registry through any {@link RegistrySource}. */
public final class RegistryImage implements ImageSource {

  /** The largest layer read from a registry (compressed). */
  public static final long MAX_LAYER_BYTES = 8L << 30;

  private final RegistrySource registry;
  private final String repository;
  private final Opened opened;

  private RegistryImage(RegistrySource registry, String repository, Opened opened) {
    this.registry = registry;
    this.repository = repository;
    this.opened = opened;
  }

  /** Opens {@code repository:reference} (a tag or a digest), choosing {@code platform} when it is an index. */
  public static RegistryImage open(RegistrySource registry, String repository, String reference, String platform)
      throws RegistryException {
    RegistrySource.FetchedManifest fetched = registry.manifest(repository, reference);
    if (fetched.document() instanceof ManifestDocument.Index index) {
      fetched = registry.manifest(repository, ImageSource.choose(index, platform).digest().toString());
    }
    if (!(fetched.document() instanceof ManifestDocument.Image image)) {
      throw new RegistryException(RegistryException.Kind.MALFORMED, "an index points at another index");
    }
    byte[] config;
    try (InputStream in = registry.blob(repository, image.config().digest(), ImageConfig.MAX_BYTES)) {
      config = in.readAllBytes();
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.MALFORMED, "the image config could not be read: " + e.getMessage(), e);
    }
    return new RegistryImage(registry, repository, Opened.of(repository + ":" + reference, fetched.digest(), image, config));
  }

  @Override
  public Opened opened() {
    return opened;
  }

  @Override
  public InputStream layer(Descriptor layer) throws RegistryException {
    return registry.blob(repository, layer.digest(), MAX_LAYER_BYTES);
  }
}
