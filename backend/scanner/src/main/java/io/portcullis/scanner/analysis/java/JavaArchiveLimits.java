package io.portcullis.scanner.analysis.java;

/**
 * How much of one Java archive is read, counting everything nested in it. Every number is one that whoever built the
 * image chose; a breach is reported as a problem of the archive and the scan goes on.
 *
 * @param maxFileBytes the largest archive file read from a layer (the layer's limit for one file applies when larger)
 * @param maxDepth archives within archives ({@code app.ear!/web.war!/WEB-INF/lib/x.jar} is two deep); deeper ones are
 *     reported and not read
 * @param maxEntries zip entries read in one file, nested archives' entries included
 * @param maxUnpackedBytes bytes decompressed from one file, nested archives' included
 * @param maxCompressionRatio how many times a nested archive, a pom.properties or a manifest may expand, past its
 *     first mebibyte (a zip bomb inside a jar)
 * @param maxPomPropertiesBytes size of one pom.properties
 * @param maxManifestBytes size of a manifest's main section (OSGi bundles list every imported package there)
 * @param maxNameLength length of an entry's name, in characters
 * @param maxPrefixBytes bytes before the first zip entry (the launch script of a "fully executable" jar)
 * @param maxPackages packages listed for one file
 * @param maxProblems problems listed for one file; the rest are counted
 */
public record JavaArchiveLimits(
    long maxFileBytes,
    int maxDepth,
    long maxEntries,
    long maxUnpackedBytes,
    int maxCompressionRatio,
    int maxPomPropertiesBytes,
    int maxManifestBytes,
    int maxNameLength,
    int maxPrefixBytes,
    int maxPackages,
    int maxProblems) {

  public static final JavaArchiveLimits DEFAULT =
      new JavaArchiveLimits(1L << 30, 4, 500_000, 4L << 30, 100, 64 << 10, 512 << 10, 4096, 1 << 20, 10_000, 20);

  public JavaArchiveLimits {
    if (maxFileBytes <= 0 || maxDepth < 0 || maxEntries <= 0 || maxUnpackedBytes <= 0 || maxCompressionRatio <= 0
        || maxPomPropertiesBytes <= 0 || maxManifestBytes <= 0 || maxNameLength <= 0 || maxPrefixBytes < 0
        || maxPackages <= 0 || maxProblems <= 0) {
      throw new IllegalArgumentException("Java archive limits must be positive");
    }
  }
}
