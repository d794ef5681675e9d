package io.portcullis.scanner.analysis.java;

/**
 * A package found in a Java archive.
 *
 * @param coordinates what it is
 * @param path where: the file in the image, then {@code !/} and the entry for each archive it is nested in ({@code
 *     app/shop.war!/WEB-INF/lib/log4j-core-2.14.1.jar}); entry names are labels, never used to open anything
 * @param checksum {@code sha1:<hex>} of the archive's own bytes when this package is the archive itself (not a package
 *     shaded into it) and the archive was read to its end; null otherwise
 * @param evidence what named it
 */
public record JavaArchivePackage(MavenCoordinates coordinates, String path, String checksum, Evidence evidence) {

  /** What in the archive named the package, most trustworthy first. */
  public enum Evidence {
    POM_PROPERTIES,
    MANIFEST,
    FILE_NAME
  }
}
