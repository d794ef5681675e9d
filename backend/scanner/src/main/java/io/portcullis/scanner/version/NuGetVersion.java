package io.portcullis.scanner.version;

import java.util.List;

/**
 * NuGet package versions ({@code 1.2.3}, four-part legacy versions {@code 1.2.3.4}, SemVer 2 labels {@code
 * 1.0.0-beta.2+sha}) and NuGet version ranges ({@code [1.0, 2.0)}), as NuGet.Versioning orders and parses them.
 *
 * <p>Written by hand: NuGet.Versioning is a .NET library, and no Java port exists. Its rules: up to four numbers
 * ({@code 1.0 = 1.0.0.0}; leading zeros and surrounding blanks allowed, each at most 2147483647), a release is newer
 * than its pre-releases, labels compare part by part (numbers numerically and before words, words ignoring case),
 * build metadata never counts. {@link #parseStrict} is NuGet's {@code SemanticVersion} check (exactly three numbers,
 * no leading zeros), for package ids published as SemVer 2.
 */
public final class NuGetVersion implements VersionScheme {

  public static final NuGetVersion SCHEME = new NuGetVersion();

  private NuGetVersion() {}

  /**
   * A parsed version.
   *
   * @param numbers major, minor, patch, revision (zero when absent)
   * @param release the release label's parts; empty for a release
   * @param metadata the text after {@code +}; empty when none
   */
  public record Parsed(List<Integer> numbers, List<String> release, String metadata) {
    public boolean isPrerelease() {
      return !release.isEmpty();
    }
  }

  @Override
  public String name() {
    return "nuget";
  }

  @Override
  public int compare(String a, String b) {
    return compare(parse(a), parse(b));
  }

  @Override
  public void validate(String version) {
    parse(version);
  }

  /** NuGet's order of two parsed versions: the numbers, then release after pre-release, then the labels. */
  public static int compare(Parsed a, Parsed b) {
    for (int i = 0; i < 4; i++) {
      int c = Integer.compare(a.numbers().get(i), b.numbers().get(i));
      if (c != 0) {
        return c;
      }
    }
    if (a.isPrerelease() != b.isPrerelease()) {
      return a.isPrerelease() ? -1 : 1;
    }
    for (int i = 0; i < Math.min(a.release().size(), b.release().size()); i++) {
      int c = compareLabel(a.release().get(i), b.release().get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.release().size(), b.release().size());
  }

  private static int compareLabel(String a, String b) {
    Integer x = int32(a);
    Integer y = int32(b);
    if (x != null && y != null) {
      return Integer.compare(x, y);
    }
    if (x != null || y != null) {
      return x != null ? -1 : 1;
    }
    return Integer.signum(a.compareToIgnoreCase(b));
  }

  /** {@code NuGetVersion.Parse}: one to four numbers, an optional release label and metadata. */
  public Parsed parse(String version) {
    String text = VersionScheme.bounded(name(), version).strip();
    int plus = text.indexOf('+');
    String metadata = plus >= 0 ? text.substring(plus + 1) : "";
    String head = plus >= 0 ? text.substring(0, plus) : text;
    int hyphen = head.indexOf('-');
    String label = hyphen >= 0 ? head.substring(hyphen + 1) : null;
    String[] parts = (hyphen >= 0 ? head.substring(0, hyphen) : head).split("\\.", -1);
    if (parts.length > 4) {
      throw invalid(version, "more than four numbers");
    }
    Integer[] numbers = {0, 0, 0, 0};
    for (int i = 0; i < parts.length; i++) {
      numbers[i] = int32(parts[i].strip());
      if (numbers[i] == null) {
        throw invalid(version, "\"" + parts[i] + "\" is not a number from 0 to 2147483647");
      }
    }
    return new Parsed(List.of(numbers), labels(version, label, false), metadata(version, plus >= 0, metadata));
  }

  /** NuGet's strict {@code SemanticVersion.Parse}: {@code MAJOR.MINOR.PATCH[-LABEL][+METADATA]}, no leading zeros. */
  public Parsed parseStrict(String version) {
    String text = VersionScheme.bounded(name(), version);
    int plus = text.indexOf('+');
    String head = plus >= 0 ? text.substring(0, plus) : text;
    int hyphen = head.indexOf('-');
    String[] parts = (hyphen >= 0 ? head.substring(0, hyphen) : head).split("\\.", -1);
    if (parts.length != 3) {
      throw invalid(version, "not MAJOR.MINOR.PATCH");
    }
    Integer[] numbers = {0, 0, 0, 0};
    for (int i = 0; i < 3; i++) {
      numbers[i] = int32(parts[i]);
      if (numbers[i] == null || (parts[i].length() > 1 && parts[i].charAt(0) == '0')) {
        throw invalid(version, "\"" + parts[i] + "\" is not a number without leading zeros");
      }
    }
    return new Parsed(List.of(numbers), labels(version, hyphen >= 0 ? head.substring(hyphen + 1) : null, false),
        metadata(version, plus >= 0, plus >= 0 ? text.substring(plus + 1) : ""));
  }

  private List<String> labels(String version, String label, boolean allowLeadingZeros) {
    if (label == null) {
      return List.of();
    }
    List<String> parts = List.of(label.split("\\.", -1));
    for (String part : parts) {
      checkPart(version, part, allowLeadingZeros);
    }
    return parts;
  }

  private String metadata(String version, boolean present, String metadata) {
    if (present) {
      for (String part : metadata.split("\\.", -1)) {
        checkPart(version, part, true);
      }
    }
    return metadata;
  }

  private void checkPart(String version, String part, boolean allowLeadingZeros) {
    if (part.isEmpty()) {
      throw invalid(version, "empty label part");
    }
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (!Numerals.isDigit(c) && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '-') {
        throw invalid(version, "character '" + c + "' in \"" + part + "\"");
      }
    }
    if (!allowLeadingZeros && part.length() > 1 && part.charAt(0) == '0' && Numerals.isDigits(part)) {
      throw invalid(version, "numeric label \"" + part + "\" has a leading zero");
    }
  }

  /** The value of a run of ASCII digits that fits a .NET {@code int}; null otherwise. */
  private static Integer int32(String digits) {
    if (!Numerals.isDigits(digits) || Numerals.compare(digits, "2147483647") > 0) {
      return null;
    }
    return Integer.valueOf(digits.length() > 10 ? digits.substring(digits.length() - 10) : digits);
  }

  /**
   * Whether {@code version} lies in the NuGet range {@code range}: {@code 1.0} (at least 1.0), {@code [1.0]}
   * (exactly), {@code [1.0,2.0)}, {@code (,2.0]}, {@code (1.0,)}. Floating ranges ({@code 1.*}) choose a version to
   * install rather than describe a set, and are refused.
   *
   * @throws InvalidVersionException when the range or the version is invalid
   */
  public boolean satisfies(String range, String version) {
    Parsed candidate = parse(version);
    Bounds bounds = range(range);
    if (bounds.min() != null) {
      int c = compare(candidate, bounds.min());
      if (c < 0 || (c == 0 && !bounds.minInclusive())) {
        return false;
      }
    }
    if (bounds.max() != null) {
      int c = compare(candidate, bounds.max());
      return c < 0 || (c == 0 && bounds.maxInclusive());
    }
    return true;
  }

  /** A parsed range; a null bound is open. */
  public record Bounds(Parsed min, boolean minInclusive, Parsed max, boolean maxInclusive) {}

  /** {@code VersionRange.Parse} for interval notation, refusing empty and backwards ranges as NuGet does. */
  public Bounds range(String range) {
    String text = VersionScheme.bounded(name(), range).strip();
    if (text.isEmpty()) {
      throw invalid(range, "empty range");
    }
    char first = text.charAt(0);
    if (first != '[' && first != '(') {
      return new Bounds(parseBound(range, text), true, null, false);
    }
    char last = text.charAt(text.length() - 1);
    if (text.length() < 2 || (last != ']' && last != ')')) {
      throw invalid(range, "a range opens with [ or ( and closes with ] or )");
    }
    boolean minInclusive = first == '[';
    boolean maxInclusive = last == ']';
    String inner = text.substring(1, text.length() - 1);
    String[] parts = inner.split(",", -1);
    if (parts.length == 1) {
      if (!minInclusive || !maxInclusive) {
        throw invalid(range, "a single version needs [ and ]");
      }
      Parsed exact = parseBound(range, parts[0].strip());
      return new Bounds(exact, true, exact, true);
    }
    if (parts.length != 2) {
      throw invalid(range, "more than two bounds");
    }
    Parsed min = parts[0].isBlank() ? null : parseBound(range, parts[0].strip());
    Parsed max = parts[1].isBlank() ? null : parseBound(range, parts[1].strip());
    if (min == null && max == null) {
      throw invalid(range, "no bound");
    }
    if (min != null && max != null) {
      int c = compare(min, max);
      if (c > 0 || (c == 0 && (!minInclusive || !maxInclusive))) {
        throw invalid(range, "the range holds no version");
      }
    }
    return new Bounds(min, minInclusive, max, maxInclusive);
  }

  private Parsed parseBound(String range, String bound) {
    try {
      return parse(bound);
    } catch (InvalidVersionException e) {
      throw invalid(range, "bound \"" + bound + "\" is not a version");
    }
  }

  private InvalidVersionException invalid(String version, String reason) {
    return new InvalidVersionException(name(), version, reason);
  }
}
