package io.portcullis.scanner.sbom;

/**
 * A package of an image: what it is ({@code purl}), and the evidence — the analyzer that found it, the file, and the
 * layer that brought that file. {@code vendor} is who built an OS package, where its database says (rpm's {@code
 * VENDOR}).
 */
public record InventoryPackage(
    String type,
    String name,
    String version,
    String purl,
    String architecture,
    String sourceName,
    String sourceVersion,
    String license,
    String foundBy,
    String path,
    String layer,
    String checksum,
    String vendor) {

  /** A package whose format names no vendor. */
  public InventoryPackage(String type, String name, String version, String purl, String architecture, String sourceName,
      String sourceVersion, String license, String foundBy, String path, String layer, String checksum) {
    this(type, name, version, purl, architecture, sourceName, sourceVersion, license, foundBy, path, layer, checksum, null);
  }
}
