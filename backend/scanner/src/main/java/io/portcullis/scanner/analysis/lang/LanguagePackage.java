package io.portcullis.scanner.analysis.lang;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;
import java.util.Locale;
import java.util.Objects;

/**
 * One package of a language ecosystem, as a lockfile or an installed package's metadata names it.
 *
 * @param ecosystem the ecosystem, whose {@link Ecosystem#osvName()} is the OSV name advisories are filed under
 * @param name the name as written ({@code @babel/core}, {@code Unidecode}, {@code Newtonsoft.Json}); not normalised,
 *     so the package reads as its ecosystem shows it; {@link #purl()} normalises where the purl spec says to
 * @param version the version as written
 * @param dev whether the package is only a development dependency (npm lockfiles' {@code "dev": true}); false for
 *     formats that do not say. A package installed both as a dev and as a production dependency is not dev
 * @param foundBy the parser that produced this package ({@link NpmPackageLockParser#PACKAGE_LOCK}, {@link
 *     NpmPackageJsonParser#PACKAGE_JSON}, {@link PythonMetadataParser#METADATA}, {@link DotnetDepsParser#DEPS_JSON})
 * @param path the file the package came from, as given by the caller
 */
public record LanguagePackage(
    Ecosystem ecosystem, String name, String version, boolean dev, String foundBy, String path) {

  /** The ecosystems these parsers know, named as OSV names them. */
  public enum Ecosystem {
    NPM("npm", "npm"),
    PYPI("PyPI", "pypi"),
    NUGET("NuGet", "nuget");

    private final String osvName;
    private final String purlType;

    Ecosystem(String osvName, String purlType) {
      this.osvName = osvName;
      this.purlType = purlType;
    }

    /** The ecosystem's name in OSV advisories ({@code npm}, {@code PyPI}, {@code NuGet}). */
    public String osvName() {
      return osvName;
    }

    /** The purl type ({@code npm}, {@code pypi}, {@code nuget}). */
    public String purlType() {
      return purlType;
    }
  }

  public LanguagePackage {
    Objects.requireNonNull(ecosystem, "ecosystem");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(foundBy, "foundBy");
    Objects.requireNonNull(path, "path");
  }

  /**
   * The package URL ({@code pkg:npm/%40babel/core@7.22.5}, {@code pkg:pypi/zope-interface@6.0}, {@code
   * pkg:nuget/Newtonsoft.Json@13.0.1}). An npm scope becomes the namespace; PyPI names are normalised as PEP 503 says,
   * because the purl spec and PyPI itself treat {@code Zope.Interface} and {@code zope_interface} as one project.
   *
   * @throws IllegalArgumentException when the name or version cannot form a purl; names come from untrusted files, so
   *     the caller decides whether a package without a purl matters
   */
  public PackageURL purl() {
    String namespace = null;
    String purlName = name;
    switch (ecosystem) {
      case NPM -> {
        int slash = name.indexOf('/');
        if (name.startsWith("@") && slash > 1) {
          namespace = name.substring(0, slash);
          purlName = name.substring(slash + 1);
        }
      }
      case PYPI -> purlName = pep503(name);
      case NUGET -> { }
    }
    try {
      return PackageURLBuilder.aPackageURL()
          .withType(ecosystem.purlType())
          .withNamespace(namespace)
          .withName(purlName)
          .withVersion(version)
          .build();
    } catch (MalformedPackageURLException e) {
      throw new IllegalArgumentException("no package URL for " + name + " " + version + ": " + e.getMessage(), e);
    }
  }

  /** PEP 503: lower case, and every run of {@code -}, {@code _} and {@code .} becomes one {@code -}. */
  public static String pep503(String name) {
    return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
  }
}
