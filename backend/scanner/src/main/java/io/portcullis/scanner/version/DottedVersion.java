package io.portcullis.scanner.version;

import java.util.ArrayList;
import java.util.List;

/**
 * Versions that are only numbers between separators, compared as lists of numbers where a longer list that starts
 * with a shorter one is newer ({@code 1.0 < 1.0.0}): R packages on CRAN ({@code package_version}: dots or hyphens,
 * {@code 0.1-2}) and Haskell packages on Hackage (the Package Versioning Policy: dots).
 *
 * <p>Written by hand: a dozen lines, and no library models these ecosystems.
 */
public final class DottedVersion implements VersionScheme {

  public static final DottedVersion CRAN = new DottedVersion("cran", ".-");
  public static final DottedVersion HACKAGE = new DottedVersion("hackage", ".");

  private final String name;
  private final String separators;

  private DottedVersion(String name, String separators) {
    this.name = name;
    this.separators = separators;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int compare(String a, String b) {
    List<String> x = numbers(a);
    List<String> y = numbers(b);
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      int c = Numerals.compare(x.get(i), y.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.size(), y.size());
  }

  @Override
  public void validate(String version) {
    numbers(version);
  }

  private List<String> numbers(String version) {
    String text = VersionScheme.bounded(name, version);
    List<String> numbers = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || separators.indexOf(text.charAt(i)) >= 0) {
        String number = text.substring(start, i);
        if (!Numerals.isDigits(number)) {
          throw new InvalidVersionException(name, version, "\"" + number + "\" is not a number");
        }
        numbers.add(number);
        start = i + 1;
      }
    }
    return numbers;
  }
}
