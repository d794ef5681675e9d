package io.portcullis.scanner.advisory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One advisory in the OSV format (https://ossf.github.io/osv-schema/), as {@link OsvParser} accepted it: every field
 * the schema constrains has been checked, so code that reads a record never meets a missing id, a range without an
 * {@code introduced} event or an event that is two things at once. Absent optional values are {@code null} (single
 * values) or empty (lists); the {@code *_specific} objects are kept as compact JSON text, since their meaning belongs
 * to the database that wrote them.
 *
 * @param id the record's id, such as {@code GHSA-jfh8-c2jp-5v3q} or {@code ALSA-2024:8793}
 * @param modified when the record last changed; of two copies of one id the later one is authoritative
 * @param published when it was published, or null
 * @param withdrawn when it was withdrawn, or null; a withdrawn record no longer describes a vulnerability
 * @param schemaVersion the OSV schema version it was written for, or null (meaning 1.0.0)
 * @param aliases ids of the same vulnerability in other databases
 * @param related ids of related but different vulnerabilities
 * @param upstream ids of the upstream vulnerabilities a downstream advisory covers (distributions bundle several)
 * @param summary one line of plain text, or null
 * @param details CommonMark text, or null; display code must sanitise it
 * @param severity scores of the whole record (exclusive with per-package scores)
 * @param affected the packages and versions it affects
 * @param references links, in the record's order
 * @param databaseSpecific the record's top-level {@code database_specific} object as JSON, or null
 * @param severityWord the database's own severity label, if it gives one: GitHub's and Bitnami's
 *     {@code database_specific.severity}, an {@code Ubuntu} severity score, or a package's {@code severity} or Debian
 *     {@code urgency}; null otherwise
 */
public record OsvRecord(
    String id,
    Instant modified,
    Instant published,
    Instant withdrawn,
    String schemaVersion,
    List<String> aliases,
    List<String> related,
    List<String> upstream,
    String summary,
    String details,
    List<Severity> severity,
    List<Affected> affected,
    List<Reference> references,
    String databaseSpecific,
    String severityWord) {

  public OsvRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(modified, "modified");
    aliases = List.copyOf(aliases);
    related = List.copyOf(related);
    upstream = List.copyOf(upstream);
    severity = List.copyOf(severity);
    affected = List.copyOf(affected);
    references = List.copyOf(references);
  }

  /** Whether the record was withdrawn: it is kept for history but must no longer match anything. */
  public boolean isWithdrawn() {
    return withdrawn != null;
  }

  /** A severity score: {@code type} such as {@code CVSS_V3}, {@code score} the vector or label as written. */
  public record Severity(String type, String score) {}

  /** A link about the vulnerability; {@code type} such as {@code ADVISORY} or {@code FIX}. */
  public record Reference(String type, String url) {}

  /**
   * The versions of one package a record affects. A version is affected when it is listed in {@code versions} or lies
   * in one of the {@code ranges}.
   *
   * @param pkg the package; null only for an entry that describes git commits alone
   * @param severity scores that apply to this package only
   * @param ranges the affected ranges
   * @param versions affected versions listed one by one, in the record's order
   * @param ecosystemSpecific the entry's {@code ecosystem_specific} object as JSON, or null
   * @param databaseSpecific the entry's {@code database_specific} object as JSON, or null
   */
  public record Affected(
      AffectedPackage pkg,
      List<Severity> severity,
      List<Range> ranges,
      List<String> versions,
      String ecosystemSpecific,
      String databaseSpecific) {

    public Affected {
      severity = List.copyOf(severity);
      ranges = List.copyOf(ranges);
      versions = List.copyOf(versions);
    }
  }

  /**
   * A package as OSV names it.
   *
   * @param ecosystem as written, possibly with a suffix after the first colon: {@code Debian:12}, {@code AlmaLinux:9},
   *     {@code Ubuntu:22.04:LTS}, {@code Red Hat:rhel_aus:8.4::appstream}, {@code Maven:https://maven.google.com}
   * @param name the package name within the ecosystem
   * @param purl its package URL without a version, or null
   */
  public record AffectedPackage(String ecosystem, String name, String purl) {

    /** The ecosystem without its suffix: {@code Debian} of {@code Debian:12}. */
    public String ecosystemName() {
      int colon = ecosystem.indexOf(':');
      return colon < 0 ? ecosystem : ecosystem.substring(0, colon);
    }

    /**
     * What follows the first colon, or empty: the release of a distribution ({@code 12}, {@code v3.18},
     * {@code 22.04:LTS}) or, for Maven, Packagist and VSCode, the repository the package comes from.
     */
    public String release() {
      int colon = ecosystem.indexOf(':');
      return colon < 0 ? "" : ecosystem.substring(colon + 1);
    }
  }

  /**
   * A range of affected versions: a timeline of events in the record's order, interpreted by {@code type}.
   *
   * @param repo the repository a {@code GIT} range's commits belong to, or null
   * @param databaseSpecific the range's {@code database_specific} object as JSON, or null
   */
  public record Range(RangeType type, String repo, List<Event> events, String databaseSpecific) {

    public Range {
      Objects.requireNonNull(type, "type");
      events = List.copyOf(events);
    }
  }

  /** How a range's versions are ordered. */
  public enum RangeType {
    /** SemVer 2.0 precedence. */
    SEMVER,
    /** The ecosystem's own version ordering (dpkg, rpm, apk, PEP 440, Maven, ...). */
    ECOSYSTEM,
    /** Commits of a git repository, ordered by ancestry. */
    GIT
  }

  /** One point of a range's timeline. */
  public record Event(EventKind kind, String version) {

    public Event {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(version, "version");
    }
  }

  /** What happens at an event's version. */
  public enum EventKind {
    /** The vulnerability starts here; {@code 0} means before every version. */
    INTRODUCED("introduced"),
    /** The vulnerability is gone from here on. */
    FIXED("fixed"),
    /** The last version known to be affected (exclusive with {@code fixed} in one range). */
    LAST_AFFECTED("last_affected"),
    /** An upper bound on the range; {@code *} means none. */
    LIMIT("limit");

    private final String field;

    EventKind(String field) {
      this.field = field;
    }

    /** The JSON field name of this kind of event. */
    public String field() {
      return field;
    }
  }
}
