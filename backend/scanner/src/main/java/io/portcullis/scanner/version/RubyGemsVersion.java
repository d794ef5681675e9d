package io.portcullis.scanner.version;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RubyGems versions, ordered as {@code Gem::Version#<=>} orders them.
 *
 * <p>Written by hand: RubyGems is Ruby, and no Java port exists; the rules are short (rubygems {@code
 * lib/rubygems/version.rb}). A version is digits followed by dot-separated alphanumeric parts, optionally {@code
 * -label} (read as {@code .pre.label}). It splits into numbers and letter runs; trailing zeros are dropped from the
 * leading numbers and from the part after the first letters ({@code 1.0 = 1}, {@code 1.0.a = 1.a}); then part by part
 * with a missing part read as 0, letters before numbers ({@code 1.0.a < 1.0}), numbers numerically, letters by byte.
 */
public final class RubyGemsVersion implements VersionScheme {

  public static final RubyGemsVersion SCHEME = new RubyGemsVersion();

  private static final Pattern VERSION =
      Pattern.compile("\\s*([0-9]+(?:\\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?\\s*");
  private static final Pattern SEGMENT = Pattern.compile("[0-9]+|[a-zA-Z]+");

  private RubyGemsVersion() {}

  @Override
  public String name() {
    return "rubygems";
  }

  @Override
  public int compare(String a, String b) {
    List<String> x = canonicalSegments(a);
    List<String> y = canonicalSegments(b);
    for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
      String l = i < x.size() ? x.get(i) : "0";
      String r = i < y.size() ? y.get(i) : "0";
      boolean lNumber = Numerals.isDigit(l.charAt(0));
      boolean rNumber = Numerals.isDigit(r.charAt(0));
      int c = lNumber && rNumber ? Numerals.compare(l, r)
          : lNumber != rNumber ? (lNumber ? 1 : -1) : Integer.signum(l.compareTo(r));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  @Override
  public void validate(String version) {
    if (!VERSION.matcher(VersionScheme.bounded(name(), version)).matches()) {
      throw new InvalidVersionException(name(), version, "not a gem version (Gem::Version::ANCHORED_VERSION_PATTERN)");
    }
  }

  /** The segments without trailing zeros in the numeric prefix and in the rest; an empty version is {@code 0}. */
  private List<String> canonicalSegments(String version) {
    validate(version);
    String text = version.strip().replace("-", ".pre.");
    List<String> segments = new ArrayList<>();
    Matcher m = SEGMENT.matcher(text);
    while (m.find()) {
      segments.add(m.group());
    }
    if (segments.isEmpty()) {
      segments.add("0");
    }
    int firstLetters = 0;
    while (firstLetters < segments.size() && Numerals.isDigit(segments.get(firstLetters).charAt(0))) {
      firstLetters++;
    }
    List<String> canonical = new ArrayList<>(dropTrailingZeros(segments.subList(0, firstLetters)));
    canonical.addAll(dropTrailingZeros(segments.subList(firstLetters, segments.size())));
    return canonical;
  }

  private static List<String> dropTrailingZeros(List<String> segments) {
    int end = segments.size();
    while (end > 0 && Numerals.isDigits(segments.get(end - 1)) && Numerals.compare(segments.get(end - 1), "0") == 0) {
      end--;
    }
    return segments.subList(0, end);
  }
}
