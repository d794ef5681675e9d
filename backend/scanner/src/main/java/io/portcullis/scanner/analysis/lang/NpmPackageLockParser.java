package io.portcullis.scanner.analysis.lang;

import io.portcullis.scanner.analysis.lang.LanguagePackage.Ecosystem;
import io.portcullis.scanner.analysis.os.PackageDatabaseException;
import io.portcullis.scanner.analysis.os.ReadLimits;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code package-lock.json} (and {@code npm-shrinkwrap.json}, {@code node_modules/.package-lock.json}, which
 * share the format).
 *
 * <p>Lockfile versions 2 and 3 list every install location in the flat {@code packages} map, keyed by path ({@code
 * node_modules/a/node_modules/@s/b}); the name is the part after the last {@code node_modules/} unless the entry has a
 * {@code name} (aliases install one package under another's folder). The root entry {@code ""} is the project itself,
 * entries with {@code "link": true} point at workspace folders, and keys outside any {@code node_modules/} are those
 * workspace folders: all three are the project's own code, not packages from the registry, and are left out. Version 1
 * has only the nested {@code dependencies} tree; version 2 has both, and its {@code packages} map is preferred as npm
 * itself prefers it.
 *
 * <p>Each name and version is listed once. {@link LanguagePackage#dev()} is true only when every install location of
 * that name and version says {@code "dev": true}: a package that production code also pulls in is shipped. {@code
 * devOptional} entries count as not dev, because npm installs them in production when the optional dependency applies.
 */
public final class NpmPackageLockParser {

  /** {@link LanguagePackage#foundBy()} for packages from a package-lock.json. */
  public static final String PACKAGE_LOCK = "npm-package-lock";

  /**
   * Version 1 lockfiles nest two JSON levels per {@code node_modules} level; npm 3 and later install flat, so real
   * lockfiles stay far below this.
   */
  static final int MAX_NESTING_DEPTH = 64;

  private static final String NODE_MODULES = "node_modules/";

  private final ReadLimits limits;
  private final UntrustedJson json;

  public NpmPackageLockParser() {
    this(ReadLimits.PACKAGE_DATABASE);
  }

  /**
   * @param limits {@link ReadLimits#maxRecords()} bounds the entries of the lockfile, {@link ReadLimits#maxLineLength()}
   *     any single JSON string
   */
  public NpmPackageLockParser(ReadLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.json = new UntrustedJson(limits, MAX_NESTING_DEPTH);
  }

  /**
   * Parses a lockfile.
   *
   * @param path the file's path in the image, recorded in each package
   * @throws PackageDatabaseException when the file is over a limit, is not a JSON object, or its {@code packages} or
   *     top-level {@code dependencies} is not an object
   */
  public LanguagePackageListing parse(InputStream in, String path) throws IOException, PackageDatabaseException {
    Objects.requireNonNull(path, "path");
    JsonNode root = json.readObject(in, path);
    Listing listing = new Listing(path);
    JsonNode packages = root.get("packages");
    if (packages != null && !packages.isNull()) {
      readPackages(object(packages, path, "packages"), listing);
    } else {
      JsonNode dependencies = root.get("dependencies");
      if (dependencies != null && !dependencies.isNull()) {
        readDependencies(object(dependencies, path, "dependencies"), listing);
      }
    }
    return listing.toListing();
  }

  private void readPackages(JsonNode packages, Listing listing) throws PackageDatabaseException {
    listing.count(packages.size());
    for (Map.Entry<String, JsonNode> entry : packages.properties()) {
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      if (key.isEmpty()) {
        continue;
      }
      if (!value.isObject()) {
        listing.malformed++;
        continue;
      }
      Boolean link = flag(value, "link");
      int at = key.lastIndexOf(NODE_MODULES);
      if (link == null) {
        listing.malformed++;
        continue;
      }
      if (link || at < 0 || (at > 0 && key.charAt(at - 1) != '/')) {
        continue;
      }
      String name = key.substring(at + NODE_MODULES.length());
      if (value.has("name")) {
        name = UntrustedJson.string(value, "name");
      }
      listing.add(name, UntrustedJson.string(value, "version"), flag(value, "dev"));
    }
  }

  /** Version 1: {@code dependencies} maps names to entries that carry their own nested {@code dependencies}. */
  private void readDependencies(JsonNode dependencies, Listing listing) throws PackageDatabaseException {
    // the tree is no deeper than the JSON nesting limit, so recursion is bounded
    listing.count(dependencies.size());
    for (Map.Entry<String, JsonNode> entry : dependencies.properties()) {
      JsonNode value = entry.getValue();
      if (!value.isObject()) {
        listing.malformed++;
        continue;
      }
      String name = entry.getKey();
      String version = UntrustedJson.string(value, "version");
      if (version != null && version.startsWith("npm:")) {
        // an alias: "my-name": {"version": "npm:real-name@1.2.3"}
        int separator = version.lastIndexOf('@');
        if (separator > "npm:".length()) {
          name = version.substring("npm:".length(), separator);
          version = version.substring(separator + 1);
        }
      }
      // "file:" versions are local folders, the project's own code
      if (version == null || !version.startsWith("file:")) {
        listing.add(name, version, flag(value, "dev"));
      }
      JsonNode nested = value.get("dependencies");
      if (nested == null || nested.isNull()) {
        continue;
      }
      if (!nested.isObject()) {
        listing.malformed++;
        continue;
      }
      readDependencies(nested, listing);
    }
  }

  /** A boolean field: false when absent, null when it has another type. */
  private static Boolean flag(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    return value.isBoolean() ? value.booleanValue() : null;
  }

  private static JsonNode object(JsonNode node, String path, String field) throws PackageDatabaseException {
    if (!node.isObject()) {
      throw new PackageDatabaseException(path + ": " + field + " is not an object");
    }
    return node;
  }

  /** Collects packages once per name and version, and the entries that were skipped. */
  private final class Listing {

    private final String path;
    private final Map<String, LanguagePackage> packages = new LinkedHashMap<>();
    private int entries;
    private int malformed;

    Listing(String path) {
      this.path = path;
    }

    void count(int more) throws PackageDatabaseException {
      entries += more;
      if (entries > limits.maxRecords()) {
        throw new PackageDatabaseException(path + " has more than " + limits.maxRecords() + " entries");
      }
    }

    void add(String name, String version, Boolean dev) {
      if (name == null || name.isEmpty() || version == null || version.isEmpty() || dev == null) {
        malformed++;
        return;
      }
      packages.merge(
          name + '\0' + version,
          new LanguagePackage(Ecosystem.NPM, name, version, dev, PACKAGE_LOCK, path),
          (first, again) -> first.dev() && !again.dev() ? again : first);
    }

    LanguagePackageListing toListing() {
      return new LanguagePackageListing(new ArrayList<>(packages.values()), malformed);
    }
  }
}
