package io.portcullis.scanner.matching;

import io.portcullis.scanner.advisory.OsvRecord.Affected;
import io.portcullis.scanner.advisory.OsvRecord.Event;
import io.portcullis.scanner.advisory.OsvRecord.EventKind;
import io.portcullis.scanner.advisory.OsvRecord.Range;
import io.portcullis.scanner.advisory.OsvRecord.RangeType;
import io.portcullis.scanner.version.InvalidVersionException;
import io.portcullis.scanner.version.SemverVersion;
import io.portcullis.scanner.version.VersionScheme;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether a version lies in an OSV affected entry, as the OSV schema's evaluation pseudocode says ("Evaluation" in
 * the schema documentation): listed in {@code versions}, or inside a range whose events, sorted by the ecosystem's
 * order, leave it affected — introduced at or before it, not fixed at or before it, not past its last affected
 * version — and below a limit if the range has one. {@code ECOSYSTEM} ranges use the ecosystem's scheme, {@code
 * SEMVER} ranges SemVer 2.0; {@code GIT} ranges name commits, which an installed package does not carry, so they never
 * match.
 *
 * <p>An event whose version the scheme cannot read makes that range unusable, never a match: a finding must be one
 * the evidence supports. The problem is returned so the caller can count it.
 */
public final class AffectedVersions {

  private AffectedVersions() {}

  /**
   * Why a version is affected: listed explicitly, or inside a range.
   *
   * @param range the range as text ({@code introduced 2.0-beta9, fixed 2.15.0}), or {@code versions} for a listed one
   * @param fixed the version that fixes it on that range's timeline, or null when none is known
   */
  public record Hit(String range, String fixed) {}

  /** The result of one evaluation: a hit or none, and what in the entry could not be read. */
  public record Evaluation(Optional<Hit> hit, List<String> problems) {}

  public static Evaluation evaluate(Affected affected, String version, VersionScheme ecosystemScheme) {
    VersionScheme scheme = LenientSemver.around(ecosystemScheme);
    List<String> problems = new ArrayList<>();
    for (String listed : affected.versions()) {
      if (listed.equals(version) || sameVersion(scheme, listed, version)) {
        return new Evaluation(Optional.of(new Hit("versions", firstFixed(affected, version, scheme))), problems);
      }
    }
    for (Range range : affected.ranges()) {
      if (range.type() == RangeType.GIT) {
        continue;
      }
      VersionScheme order = range.type() == RangeType.SEMVER ? LenientSemver.around(SemverVersion.SCHEME) : scheme;
      try {
        Optional<Hit> hit = inRange(range, version, order);
        if (hit.isPresent()) {
          return new Evaluation(hit, problems);
        }
      } catch (InvalidVersionException e) {
        problems.add(describe(range) + ": " + e.getMessage());
      }
    }
    return new Evaluation(Optional.empty(), problems);
  }

  private static boolean sameVersion(VersionScheme scheme, String a, String b) {
    try {
      return scheme.compare(a, b) == 0;
    } catch (InvalidVersionException e) {
      return false;
    }
  }

  private static Optional<Hit> inRange(Range range, String version, VersionScheme order) {
    List<Event> limits = range.events().stream().filter(e -> e.kind() == EventKind.LIMIT).toList();
    if (!limits.isEmpty() && limits.stream().noneMatch(l -> l.version().equals("*") || order.compare(version, l.version()) < 0)) {
      return Optional.empty();
    }
    List<Event> sorted = new ArrayList<>(range.events());
    sorted.removeIf(e -> e.kind() == EventKind.LIMIT);
    sorted.sort(timeline(order));
    boolean affected = false;
    Event opened = null;
    for (Event event : sorted) {
      switch (event.kind()) {
        case INTRODUCED -> {
          if (isZero(event) || order.compare(version, event.version()) >= 0) {
            affected = true;
            opened = event;
          }
        }
        case FIXED -> {
          if (order.compare(version, event.version()) >= 0) {
            affected = false;
          }
        }
        case LAST_AFFECTED -> {
          if (order.compare(version, event.version()) > 0) {
            affected = false;
          }
        }
        case LIMIT -> { }
      }
    }
    if (!affected) {
      return Optional.empty();
    }
    return Optional.of(new Hit(describe(range), fixedAfter(sorted, opened)));
  }

  /** The fix that closes the span the version is in: the first {@code fixed} event after its {@code introduced}. */
  private static String fixedAfter(List<Event> sorted, Event opened) {
    boolean after = opened == null;
    for (Event event : sorted) {
      if (event == opened) {
        after = true;
      } else if (after && event.kind() == EventKind.FIXED) {
        return event.version();
      } else if (after && event.kind() == EventKind.INTRODUCED) {
        return null;
      }
    }
    return null;
  }

  /** For a listed version: the first fix of a range that would also cover it, if the record gives one. */
  private static String firstFixed(Affected affected, String version, VersionScheme scheme) {
    for (Range range : affected.ranges()) {
      if (range.type() == RangeType.GIT) {
        continue;
      }
      try {
        Optional<Hit> hit =
            inRange(range, version, range.type() == RangeType.SEMVER ? LenientSemver.around(SemverVersion.SCHEME) : scheme);
        if (hit.isPresent() && hit.get().fixed() != null) {
          return hit.get().fixed();
        }
      } catch (InvalidVersionException e) {
        // the listed version stands on its own
      }
    }
    return null;
  }

  /** Events in version order, {@code introduced: 0} first; at one version, an introduction before its closing. */
  private static Comparator<Event> timeline(VersionScheme order) {
    return (a, b) -> {
      if (isZero(a) || isZero(b)) {
        return Boolean.compare(!isZero(a), !isZero(b));
      }
      int byVersion = order.compare(a.version(), b.version());
      return byVersion != 0 ? byVersion : Integer.compare(a.kind().ordinal(), b.kind().ordinal());
    };
  }

  private static boolean isZero(Event event) {
    return event.kind() == EventKind.INTRODUCED && event.version().equals("0");
  }

  static String describe(Range range) {
    return range.events().stream()
        .map(e -> e.kind().field() + " " + e.version())
        .collect(Collectors.joining(", "));
  }
}
