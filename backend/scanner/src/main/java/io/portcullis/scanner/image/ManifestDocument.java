package io.portcullis.scanner.image;

import java.util.List;

/**
 * A manifest as fetched from a registry: either an index (a multi-platform image list) or a single image manifest. Both
 * OCI and Docker v2 schema 2 media types map onto these two shapes.
 */
public sealed interface ManifestDocument permits ManifestDocument.Index, ManifestDocument.Image {

  /** The media type the document declared (or was served as). */
  String mediaType();

  /** An index / manifest list: one entry per platform (or other artifact). */
  record Index(String mediaType, List<Descriptor> manifests) implements ManifestDocument {}

  /** An image manifest: its config blob and its layers, in order from the base up. */
  record Image(String mediaType, Descriptor config, List<Descriptor> layers) implements ManifestDocument {

    public long size() {
      return config.size() + layers.stream().mapToLong(Descriptor::size).sum();
    }
  }
}
