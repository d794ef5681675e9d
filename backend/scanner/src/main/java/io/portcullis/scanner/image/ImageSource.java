package io.portcullis.scanner.image;

import java.io.IOException;
import java.io.InputStream;

/**
 * One image to analyse, whatever holds it: a registry, an OCI image layout directory. Gives the manifest of one
 * platform, its config, and its layers as streams verified against their digests.
 */
public interface ImageSource {

  /** What was opened. */
  Opened opened();

  /** A layer's bytes, which fail on reading when they do not match the digest. The caller closes the stream. */
  InputStream layer(Descriptor layer) throws IOException, RegistryException;

  /**
   * An opened image: the reference it was opened by (for reports), the digest of the platform manifest being analysed,
   * that manifest, its config as read for discovery, and how the config says the image is meant to run.
   */
  record Opened(
      String reference,
      Digest digest,
      ManifestDocument.Image manifest,
      ImageConfig config,
      io.portcullis.scanner.analysis.config.ImageConfiguration configuration) {

    /** Opens from the config's bytes, read once. */
    static Opened of(String reference, Digest digest, ManifestDocument.Image manifest, byte[] config)
        throws RegistryException {
      return new Opened(
          reference, digest, manifest, ImageConfig.parse(config),
          io.portcullis.scanner.analysis.config.ImageConfiguration.parse(config));
    }
  }

  /**
   * Chooses the manifest of {@code platform} (such as {@code linux/amd64}; null for linux/amd64) out of an index, by
   * os, architecture and, when given, variant.
   */
  static Descriptor choose(ManifestDocument.Index index, String platform) throws RegistryException {
    String[] wanted = (platform == null || platform.isBlank() ? "linux/amd64" : platform).split("/");
    for (Descriptor entry : index.manifests()) {
      Platform p = entry.platform();
      if (p != null && wanted[0].equals(p.os()) && wanted.length > 1 && wanted[1].equals(p.architecture())
          && (wanted.length < 3 || wanted[2].equals(p.variant()))) {
        return entry;
      }
    }
    throw new RegistryException(
        RegistryException.Kind.NOT_FOUND, "the image has no manifest for platform " + String.join("/", wanted));
  }
}
