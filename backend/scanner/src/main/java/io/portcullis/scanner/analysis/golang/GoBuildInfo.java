package io.portcullis.scanner.analysis.golang;

import io.portcullis.scanner.analysis.os.PackageDatabaseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The build information a Go binary carries, as {@code go version -m} shows it.
 *
 * @param goVersion the toolchain that built the binary, as written ({@code go1.22.1}, {@code go1.22.1 X:loopvar})
 * @param path the main package's import path; empty when the binary does not say
 * @param main the main module; null for binaries built outside module mode (GOPATH builds, such as Debian's)
 * @param deps the modules the binary was built with, in the binary's order, each with its replacement if it had one
 * @param settings the {@code build} lines as written ({@code -ldflags="-s -w"}, {@code GOARCH=amd64})
 * @param malformedLines lines of the module information that could not be understood and were skipped
 */
public record GoBuildInfo(
    String goVersion, String path, Module main, List<Module> deps, List<String> settings, int malformedLines) {

  /** The sentinels around the module information (cmd/go's modload.infoStart and infoEnd). */
  static final int SENTINEL_LENGTH = 16;

  public GoBuildInfo {
    Objects.requireNonNull(goVersion, "goVersion");
    Objects.requireNonNull(path, "path");
    deps = List.copyOf(deps);
    settings = List.copyOf(settings);
  }

  /**
   * A module line ({@code mod} or {@code dep}).
   *
   * @param version the version as written: a semantic version, a pseudo-version, {@code (devel)} for a module built
   *     from its source tree, or empty for a replacement by a local directory
   * @param sum the {@code h1:} checksum, empty when there is none
   * @param replacement what a {@code =>} line put in its place, null if nothing
   */
  public record Module(String path, String version, String sum, Module replacement) {

    /** The module whose code is in the binary: the replacement where there is one. */
    public Module compiled() {
      return replacement != null ? replacement : this;
    }

    Module replacedBy(Module other) {
      return new Module(path, version, sum, other);
    }
  }

  /**
   * Parses the module information (the text between the sentinels) the way {@code runtime/debug.ParseBuildInfo} does,
   * except that a line it would refuse is skipped and counted instead of failing the whole binary.
   *
   * @throws PackageDatabaseException when there are more than {@code maxModules} modules or build settings
   */
  static GoBuildInfo parse(String goVersion, String moduleInfo, int maxModules) throws PackageDatabaseException {
    String path = "";
    Module main = null;
    List<Module> deps = new ArrayList<>();
    List<String> settings = new ArrayList<>();
    int malformed = 0;
    // the module the next "=>" line replaces: -1 for the main module, else an index into deps; null for none
    Integer last = null;
    int start = 0;
    int newline;
    while ((newline = moduleInfo.indexOf('\n', start)) >= 0) {
      String line = moduleInfo.substring(start, newline);
      start = newline + 1;
      if (line.startsWith("path\t")) {
        path = line.substring(5);
      } else if (line.startsWith("mod\t") || line.startsWith("dep\t")) {
        boolean isMain = line.charAt(0) == 'm';
        String[] columns = line.substring(4).split("\t", -1);
        if (columns.length != 2 && columns.length != 3) {
          malformed++;
          last = null;
          continue;
        }
        Module module = new Module(columns[0], columns[1], columns.length == 3 ? columns[2] : "", null);
        if (isMain) {
          main = module;
          last = -1;
        } else {
          if (deps.size() >= maxModules) {
            throw new PackageDatabaseException("the Go build information lists more than " + maxModules + " modules");
          }
          deps.add(module);
          last = deps.size() - 1;
        }
      } else if (line.startsWith("=>\t")) {
        String[] columns = line.substring(3).split("\t", -1);
        if (columns.length != 3 || last == null) {
          malformed++;
          last = null;
          continue;
        }
        Module replacement = new Module(columns[0], columns[1], columns[2], null);
        if (last == -1) {
          main = main.replacedBy(replacement);
        } else {
          deps.set(last, deps.get(last).replacedBy(replacement));
        }
        last = null;
      } else if (line.startsWith("build\t")) {
        if (settings.size() >= maxModules) {
          throw new PackageDatabaseException(
              "the Go build information has more than " + maxModules + " build settings");
        }
        settings.add(line.substring(6));
      }
      // other lines are ignored, as Go ignores them: later versions may add kinds
    }
    return new GoBuildInfo(goVersion, path, main, deps, settings, malformed);
  }

  /** The information as {@code go version -m FILE} prints it after the file name, one line per element. */
  List<String> asGoVersionLines() {
    List<String> lines = new ArrayList<>();
    lines.add(goVersion);
    if (!path.isEmpty()) {
      lines.add("\tpath\t" + path);
    }
    if (main != null) {
      module(lines, "mod", main);
    }
    deps.forEach(dep -> module(lines, "dep", dep));
    settings.forEach(setting -> lines.add("\tbuild\t" + setting));
    return lines;
  }

  private static void module(List<String> lines, String word, Module m) {
    if (m.replacement() == null) {
      lines.add("\t" + word + "\t" + m.path() + "\t" + m.version() + "\t" + m.sum());
    } else {
      lines.add("\t" + word + "\t" + m.path() + "\t" + m.version());
      module(lines, "=>", m.replacement());
    }
  }
}
