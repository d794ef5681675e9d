package io.portcullis.scanner.analysis.lang;

import java.util.List;

/**
 * What one lockfile or dependency manifest yielded.
 *
 * @param packages the packages, each name and version once, in file order
 * @param malformedRecords entries that were skipped because they could not be understood (no version, a field of the
 *     wrong type, a key that names no package); kept so that a scan can say it is partial
 */
public record LanguagePackageListing(List<LanguagePackage> packages, int malformedRecords) {

  public LanguagePackageListing {
    packages = List.copyOf(packages);
  }
}
