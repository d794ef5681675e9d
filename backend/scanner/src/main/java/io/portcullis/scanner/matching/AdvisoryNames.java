package io.portcullis.scanner.matching;

import io.portcullis.scanner.analysis.lang.LanguagePackage;
import java.util.Locale;

/**
 * How package names compare within an ecosystem, so that an advisory filed under {@code Django} finds the installed
 * {@code django}: PyPI names are equal under PEP 503 normalisation, NuGet ids are case-insensitive; every other
 * ecosystem compares names exactly.
 */
public final class AdvisoryNames {

  private AdvisoryNames() {}

  /** The lookup key of {@code name} in {@code ecosystem} (with or without a release suffix). */
  public static String key(String ecosystem, String name) {
    int colon = ecosystem.indexOf(':');
    String base = colon < 0 ? ecosystem : ecosystem.substring(0, colon);
    return switch (base) {
      case "PyPI" -> LanguagePackage.pep503(name);
      case "NuGet" -> name.toLowerCase(Locale.ROOT);
      default -> name;
    };
  }
}
