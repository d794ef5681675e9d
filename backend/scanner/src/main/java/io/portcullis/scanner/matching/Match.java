package io.portcullis.scanner.matching;

import io.portcullis.scanner.sbom.InventoryPackage;
import java.util.List;

/**
 * A package of an image that an advisory affects, with the evidence: which matcher looked where, for which name and
 * version, and the range or version list that matched.
 *
 * @param advisoryId the OSV id of the advisory ({@code GHSA-jfh8-c2jp-5v3q}, {@code DLA-3842-1})
 * @param aliases the advisory's other identifiers ({@code CVE-2021-44228})
 */
public record Match(String advisoryId, List<String> aliases, InventoryPackage pkg, Evidence evidence) {

  public Match {
    aliases = List.copyOf(aliases);
  }

  /**
   * Why the package matched.
   *
   * @param ecosystem the OSV ecosystem string searched ({@code Debian:12})
   * @param name the name searched (a source package's, for dpkg)
   * @param version the version compared, in the ecosystem's scheme
   * @param scheme the version scheme that compared it
   * @param range the range that matched, as its events, or {@code versions} when the version is listed
   * @param fixed the version that fixes it, or null when no fix is known
   */
  public record Evidence(
      String matcher, String ecosystem, String name, String version, String scheme, String range, String fixed) {}
}
