package io.portcullis.scanner.image;

/**
 * How much of a layer is read. Every number is one an attacker controls by building the image.
 *
 * @param maxEntries tar entries in one layer
 * @param maxFileBytes size of one file handed to an analyzer (larger files are reported, not read)
 * @param maxLayerBytes uncompressed size of one layer
 * @param maxCompressionRatio uncompressed bytes per compressed byte, beyond a first mebibyte (a decompression bomb)
 * @param maxPathLength length of an entry's path
 */
public record LayerLimits(int maxEntries, long maxFileBytes, long maxLayerBytes, int maxCompressionRatio, int maxPathLength) {

  public static final LayerLimits DEFAULT = new LayerLimits(500_000, 64L << 20, 16L << 30, 200, 4096);

  public LayerLimits {
    if (maxEntries <= 0 || maxFileBytes <= 0 || maxLayerBytes <= 0 || maxCompressionRatio <= 0 || maxPathLength <= 0) {
      throw new IllegalArgumentException("layer limits must be positive");
    }
  }
}
