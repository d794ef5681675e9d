package io.portcullis.scanner.analysis.golang;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.analysis.golang.GoBuildInfo.Module;
import io.portcullis.scanner.sbom.FoundPackage;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packages a Go binary's build information names: the standard library of the toolchain that built it, the main
 * module, and every module compiled in. Named as the Go vulnerability database (and OSV's {@code Go} ecosystem) names
 * them: the standard library is {@code stdlib}, modules go by their module path.
 */
final class GoPackages {

  /** {@link FoundPackage#foundBy()} for packages read from Go binaries. */
  static final String GO_BINARY = "go-binary";

  static final String TYPE = "golang";
  static final String STDLIB = "stdlib";
  /** What Go writes for a module built from its source tree rather than fetched at a version. */
  static final String DEVEL = "(devel)";

  private static final Pattern RELEASE = Pattern.compile("go(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:(beta|rc)(\\d+))?");

  private GoPackages() {}

  /**
   * Adds the packages of {@code info}, found in the file at {@code path}.
   *
   * <p>A module that is replaced counts as its replacement, whose code is what was compiled in. A replacement by a
   * local directory has a file path and no version; it is listed under the module it replaces, as {@code (devel)},
   * like a main module built from its source tree (Kubernetes lists its {@code k8s.io/*} staging modules so). A
   * {@code (devel)} module keeps that version, so the inventory says so, and gets a package URL without a version, so
   * no advisory is matched against a version it does not have. Versions given to the main package with {@code -ldflags
   * -X} are not taken as the module's: that string can be anything the build chose.
   */
  static void record(GoBuildInfo info, String path, FileFindings findings) {
    Set<String> seen = new HashSet<>();
    String stdlib = stdlibVersion(info.goVersion());
    add(STDLIB, stdlib != null ? stdlib : info.goVersion(), stdlib != null, path, findings, seen);
    if (info.main() != null && !info.main().path().isEmpty()) {
      module(info.main(), path, findings, seen);
    }
    for (Module dep : info.deps()) {
      if (!dep.path().isEmpty()) { // Go 1.15 and older could list the main module as a dep without a path
        module(dep, path, findings, seen);
      }
    }
    if (info.malformedLines() > 0) {
      findings.problem(path + ": " + info.malformedLines() + " malformed lines of Go module information skipped");
    }
  }

  private static void module(Module module, String path, FileFindings findings, Set<String> seen) {
    Module compiled = module.compiled();
    boolean localDirectory = module.replacement() != null && isDirectory(compiled.path());
    String name = localDirectory ? module.path() : compiled.path();
    String version = localDirectory || compiled.version().isEmpty() ? DEVEL : compiled.version();
    add(name, version, !version.equals(DEVEL), path, findings, seen);
  }

  /**
   * Whether a replacement names a directory rather than a module, as go.mod's rule has it: a path that starts with
   * {@code ./}, {@code ../} or {@code /}, or their Windows forms. Go writes these with the version {@code (devel)}.
   */
  static boolean isDirectory(String replacement) {
    return replacement.startsWith("./") || replacement.startsWith("../") || replacement.startsWith("/")
        || replacement.startsWith(".\\") || replacement.startsWith("..\\") || replacement.startsWith("\\")
        || replacement.length() >= 2 && Character.isLetter(replacement.charAt(0)) && replacement.charAt(1) == ':';
  }

  private static void add(
      String name, String version, boolean versioned, String path, FileFindings findings, Set<String> seen) {
    if (!seen.add(name + "@" + version)) {
      return;
    }
    int slash = name.lastIndexOf('/');
    String purl;
    try {
      purl = PackageURLBuilder.aPackageURL()
          .withType(TYPE)
          .withNamespace(slash > 0 ? name.substring(0, slash) : null)
          .withName(name.substring(slash + 1))
          .withVersion(versioned ? version : null)
          .build()
          .canonicalize();
    } catch (MalformedPackageURLException | IllegalArgumentException e) {
      findings.problem(path + ": no package URL for Go module " + name + " " + version + ": " + e.getMessage());
      purl = null; // still listed, like a jar known by its file name only
    }
    findings.add(new FoundPackage(TYPE, name, version, null, null, null, null, GO_BINARY, path, purl, null));
  }

  /**
   * The standard library's version as the Go vulnerability database writes it, a semantic version without {@code v}:
   * {@code go1.22.1} is {@code 1.22.1}, {@code go1.21} {@code 1.21.0}, {@code go1.21rc2} {@code 1.21.0-rc.2}; what
   * follows a space ({@code X:loopvar}, {@code X:boringcrypto}) names experiments, not another release. Null for
   * toolchains that are no release ({@code devel go1.23-7e8a2b0 ...}).
   */
  static String stdlibVersion(String goVersion) {
    String release = goVersion.split(" ", 2)[0];
    Matcher m = RELEASE.matcher(release);
    if (!m.matches()) {
      return null;
    }
    String minor = m.group(2) != null ? m.group(2) : "0";
    String patch = m.group(3) != null ? m.group(3) : "0";
    String version = m.group(1) + "." + minor + "." + patch;
    return m.group(4) != null ? version + "-" + m.group(4) + "." + m.group(5) : version;
  }
}
