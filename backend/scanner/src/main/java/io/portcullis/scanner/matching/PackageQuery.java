package io.portcullis.scanner.matching;

import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.scanner.version.VersionScheme;
import java.util.List;
import java.util.Objects;

/**
 * Where a matcher looks for a package's advisories and what it compares: the OSV ecosystem and the releases of it
 * that apply ({@code Debian} / {@code 12}; an empty release for ecosystems without one), the name advisories are filed
 * under (a Debian package's source name, an Alpine package's origin, {@code group:artifact} for Maven) and the version
 * as that ecosystem orders it.
 *
 * @param releases the ecosystem suffixes that count, most specific first ({@code 22.04:LTS} and {@code 22.04}); a single
 *     empty string for language ecosystems
 */
public record PackageQuery(
    String matcher,
    String ecosystem,
    List<String> releases,
    String name,
    String version,
    VersionScheme scheme,
    InventoryPackage pkg) {

  public PackageQuery {
    Objects.requireNonNull(matcher, "matcher");
    Objects.requireNonNull(ecosystem, "ecosystem");
    releases = List.copyOf(releases);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(scheme, "scheme");
  }

  /** The OSV ecosystem strings this query reads ({@code Debian:12}, or {@code Maven}). */
  public List<String> ecosystems() {
    return releases.stream().map(r -> r.isEmpty() ? ecosystem : ecosystem + ":" + r).toList();
  }
}
