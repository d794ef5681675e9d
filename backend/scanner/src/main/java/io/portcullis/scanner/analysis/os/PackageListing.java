package io.portcullis.scanner.analysis.os;

import java.util.List;

/**
 * What one package database yielded.
 *
 * @param packages the installed packages, in file order
 * @param malformedRecords records that were skipped because they could not be understood (no name or version, a line
 *     that is not a field, a line over the length limit, a repeated field); kept so that a scan can say it is partial
 */
public record PackageListing(List<OsPackage> packages, int malformedRecords) {

  public PackageListing {
    packages = List.copyOf(packages);
  }
}
