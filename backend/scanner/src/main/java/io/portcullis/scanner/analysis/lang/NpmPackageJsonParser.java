package io.portcullis.scanner.analysis.lang;

import io.portcullis.scanner.analysis.lang.LanguagePackage.Ecosystem;
import io.portcullis.scanner.analysis.os.PackageDatabaseException;
import io.portcullis.scanner.analysis.os.ReadLimits;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads the {@code package.json} of one installed package ({@code node_modules/**}{@code /package.json}): its {@code
 * name} and {@code version}, nothing else. Images without a lockfile still have these.
 */
public final class NpmPackageJsonParser {

  /** {@link LanguagePackage#foundBy()} for packages from an installed package.json. */
  public static final String PACKAGE_JSON = "npm-package-json";

  /**
   * Installed package.json files are small, but npm before version 5 copied the whole README into them; a few MiB
   * covers those.
   */
  public static final ReadLimits LIMITS = new ReadLimits(8L * 1024 * 1024, 1, 4 * 1024 * 1024);

  private static final int MAX_NESTING_DEPTH = 64;

  private final UntrustedJson json;

  public NpmPackageJsonParser() {
    this(LIMITS);
  }

  /** @param limits {@link ReadLimits#maxLineLength()} bounds any single JSON string; the record count is unused */
  public NpmPackageJsonParser(ReadLimits limits) {
    this.json = new UntrustedJson(Objects.requireNonNull(limits, "limits"), MAX_NESTING_DEPTH);
  }

  /**
   * Parses one package.json.
   *
   * @param path the file's path in the image, recorded in the package
   * @return the package, or empty when {@code name} or {@code version} is missing, empty or not a string (a folder's
   *     own package.json, for instance, may have neither)
   * @throws PackageDatabaseException when the file is over a limit or is not a JSON object
   */
  public Optional<LanguagePackage> parse(InputStream in, String path) throws IOException, PackageDatabaseException {
    Objects.requireNonNull(path, "path");
    JsonNode root = json.readObject(in, path);
    String name = UntrustedJson.string(root, "name");
    String version = UntrustedJson.string(root, "version");
    if (name == null || name.isEmpty() || version == null || version.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new LanguagePackage(Ecosystem.NPM, name, version, false, PACKAGE_JSON, path));
  }
}
