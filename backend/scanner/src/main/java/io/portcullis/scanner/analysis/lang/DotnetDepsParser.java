package io.portcullis.scanner.analysis.lang;

import io.portcullis.scanner.analysis.lang.LanguagePackage.Ecosystem;
import io.portcullis.scanner.analysis.os.PackageDatabaseException;
import io.portcullis.scanner.analysis.os.ReadLimits;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads a .NET {@code *.deps.json}: its {@code libraries} map, keyed {@code Name/Version}. Only {@code "type":
 * "package"} entries are NuGet packages; {@code project} entries are the application's own assemblies and {@code
 * runtimepack} entries the .NET runtime shipped with a self-contained app, which are not NuGet advisories' subject.
 * The {@code targets} section is not read: it repeats the libraries per target framework.
 */
public final class DotnetDepsParser {

  /** {@link LanguagePackage#foundBy()} for packages from a deps.json file. */
  public static final String DEPS_JSON = "dotnet-deps-json";

  /** deps.json files of large applications are a few hundred KiB. */
  public static final ReadLimits LIMITS = new ReadLimits(32L * 1024 * 1024, 100_000, 64 * 1024);

  private static final int MAX_NESTING_DEPTH = 32;

  private final ReadLimits limits;
  private final UntrustedJson json;

  public DotnetDepsParser() {
    this(LIMITS);
  }

  /**
   * @param limits {@link ReadLimits#maxRecords()} bounds the entries of {@code libraries}, {@link
   *     ReadLimits#maxLineLength()} any single JSON string
   */
  public DotnetDepsParser(ReadLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.json = new UntrustedJson(limits, MAX_NESTING_DEPTH);
  }

  /**
   * Parses a deps.json file. A file without {@code libraries} has no packages.
   *
   * @param path the file's path in the image, recorded in each package
   * @throws PackageDatabaseException when the file is over a limit, is not a JSON object, or {@code libraries} is not
   *     an object
   */
  public LanguagePackageListing parse(InputStream in, String path) throws IOException, PackageDatabaseException {
    Objects.requireNonNull(path, "path");
    JsonNode root = json.readObject(in, path);
    JsonNode libraries = root.get("libraries");
    if (libraries == null || libraries.isNull()) {
      return new LanguagePackageListing(List.of(), 0);
    }
    if (!libraries.isObject()) {
      throw new PackageDatabaseException(path + ": libraries is not an object");
    }
    if (libraries.size() > limits.maxRecords()) {
      throw new PackageDatabaseException(path + " has more than " + limits.maxRecords() + " libraries");
    }
    Set<LanguagePackage> packages = new LinkedHashSet<>();
    int malformed = 0;
    for (Map.Entry<String, JsonNode> entry : libraries.properties()) {
      JsonNode library = entry.getValue();
      String type = library.isObject() ? UntrustedJson.string(library, "type") : null;
      String key = entry.getKey();
      int slash = key.indexOf('/');
      if (type == null || slash <= 0 || slash == key.length() - 1 || key.indexOf('/', slash + 1) >= 0) {
        malformed++;
        continue;
      }
      if (type.equals("package")) {
        packages.add(
            new LanguagePackage(
                Ecosystem.NUGET, key.substring(0, slash), key.substring(slash + 1), false, DEPS_JSON, path));
      }
    }
    return new LanguagePackageListing(new ArrayList<>(packages), malformed);
  }
}
