package io.portcullis.scanner.sbom;

/**
 * A package as an analyzer found it, before it is placed in an image: {@code type} is the package-URL type ({@code deb},
 * {@code apk}, {@code rpm}, {@code npm}, {@code pypi}, {@code nuget}, {@code maven}); the rest is what the package
 * database says, with the evidence of who found it where. {@code purl} is given by analyzers whose ecosystem names
 * packages on its own (npm scopes, PyPI normalisation, Maven groups), and stays null for a language package that cannot
 * have one (a jar without a known group); for OS packages it is null and made once the distribution is known. {@code
 * checksum} identifies the file the package is ({@code sha1:<hex>} of a Java archive), null when the package is not one
 * file.
 */
public record FoundPackage(
    String type,
    String name,
    String version,
    String architecture,
    String sourceName,
    String sourceVersion,
    String license,
    String foundBy,
    String path,
    String purl,
    String checksum,
    String vendor) {

  /** A package whose format names no vendor. */
  public FoundPackage(String type, String name, String version, String architecture, String sourceName,
      String sourceVersion, String license, String foundBy, String path, String purl, String checksum) {
    this(type, name, version, architecture, sourceName, sourceVersion, license, foundBy, path, purl, checksum, null);
  }
}
