package io.portcullis.scanner.matching;

import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.sbom.InventoryPackage;
import java.util.Optional;

/**
 * Decides where the advisories of one kind of package are filed. Contract: {@link #name()} is stable (it is part of
 * every match's evidence); {@link #query} is pure and cheap, and returns empty for packages this matcher does not
 * handle or cannot place (an OS package of a distribution without OSV data), never a guess.
 */
public interface Matcher {

  /** A short stable name, such as {@code dpkg}. */
  String name();

  /** The query for one package of an image whose distribution is {@code os} (null when unknown). */
  Optional<PackageQuery> query(InventoryPackage pkg, OsRelease os);

  /**
   * Why an OS package does not belong to the distribution's advisories, if it does not: it was built by someone else
   * (a third-party repository), so the distribution's fixed versions say nothing about it. Such a package is flagged,
   * not matched.
   */
  default Optional<String> foreign(InventoryPackage pkg, OsRelease os) {
    return Optional.empty();
  }
}
