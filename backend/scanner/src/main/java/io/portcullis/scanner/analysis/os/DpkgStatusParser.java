package io.portcullis.scanner.analysis.os;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the dpkg database: {@code /var/lib/dpkg/status} ({@link #parseStatus}) and the per-package files that
 * distroless images keep in {@code /var/lib/dpkg/status.d/} instead ({@link #parseStatusD}). Both are RFC 822-style
 * stanzas separated by blank lines, with continuation lines starting with a space or tab. Field names are
 * case-insensitive, as dpkg treats them.
 *
 * <p>Only what a matcher needs is kept; long fields like {@code Description} and {@code Conffiles} are read past
 * without being stored, so memory stays bounded by the longest line, not by the file.
 */
public final class DpkgStatusParser {

  /** {@link OsPackage#foundBy()} for packages from {@code /var/lib/dpkg/status}. */
  public static final String STATUS = "dpkg-status";

  /** {@link OsPackage#foundBy()} for packages from a distroless {@code /var/lib/dpkg/status.d/<name>} file. */
  public static final String STATUS_D = "dpkg-status.d";

  private final ReadLimits limits;

  public DpkgStatusParser() {
    this(ReadLimits.PACKAGE_DATABASE);
  }

  public DpkgStatusParser(ReadLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Parses a dpkg status file. Only stanzas whose {@code Status} says the package is installed count; a stanza without
   * {@code Status} is malformed here, because dpkg always writes one.
   *
   * @param path the file's path in the image, recorded in each package
   */
  public PackageListing parseStatus(InputStream in, String path) throws IOException, PackageDatabaseException {
    return parse(in, path, STATUS);
  }

  /**
   * Parses one distroless {@code status.d} file. Such files are written by image builders, not by dpkg, and usually
   * carry no {@code Status}: a stanza without one counts as installed, as syft and trivy count it. A stanza that does
   * say it is not installed is still left out.
   *
   * @param path the file's path in the image, recorded in each package
   */
  public PackageListing parseStatusD(InputStream in, String path) throws IOException, PackageDatabaseException {
    return parse(in, path, STATUS_D);
  }

  private PackageListing parse(InputStream in, String path, String foundBy)
      throws IOException, PackageDatabaseException {
    Objects.requireNonNull(path, "path");
    LineReader lines = new LineReader(in, limits, path);
    List<OsPackage> packages = new ArrayList<>();
    Stanza stanza = new Stanza();
    int stanzas = 0;
    int malformed = 0;
    String line;
    do {
      line = lines.next();
      if (line == null || line.isBlank()) {
        if (stanza.isEmpty()) {
          continue;
        }
        if (++stanzas > limits.maxRecords()) {
          throw new PackageDatabaseException(path + " has more than " + limits.maxRecords() + " stanzas");
        }
        switch (stanza.verdict(foundBy)) {
          case INSTALLED -> packages.add(stanza.toPackage(foundBy, path));
          case MALFORMED -> malformed++;
          case NOT_INSTALLED -> { }
        }
        stanza = new Stanza();
      } else if (lines.lastLineTooLong()) {
        stanza.broken = true;
      } else {
        stanza.accept(line);
      }
    } while (line != null);
    return new PackageListing(packages, malformed);
  }

  private enum Verdict {
    INSTALLED,
    NOT_INSTALLED,
    MALFORMED
  }

  /** The fields of one stanza that matter, and whether the stanza broke a rule. */
  private static final class Stanza {

    private final Set<String> seen = new HashSet<>();
    private boolean started;
    private boolean broken;
    private String lastField;
    private String packageName;
    private String version;
    private String architecture;
    private String source;
    private String status;

    boolean isEmpty() {
      return !started && !broken;
    }

    void accept(String line) {
      started = true;
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        // continuations only extend fields we do not keep (Description, Conffiles), but one with no field before it
        // means the stanza is not what dpkg wrote
        if (lastField == null) {
          broken = true;
        }
        return;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.substring(0, colon).chars().anyMatch(c -> c == ' ' || c == '\t')) {
        broken = true;
        return;
      }
      String field = line.substring(0, colon).toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (!seen.add(field)) {
        broken = true;
        return;
      }
      lastField = field;
      switch (field) {
        case "package" -> packageName = value;
        case "version" -> version = value;
        case "architecture" -> architecture = value;
        case "source" -> source = value;
        case "status" -> status = value;
        default -> { }
      }
    }

    Verdict verdict(String foundBy) {
      if (broken || packageName == null || packageName.isEmpty() || version == null || version.isEmpty()) {
        return Verdict.MALFORMED;
      }
      if (status == null) {
        return STATUS_D.equals(foundBy) ? Verdict.INSTALLED : Verdict.MALFORMED;
      }
      String[] words = status.split("\\s+");
      if (words.length != 3) {
        return Verdict.MALFORMED;
      }
      // the third word is the package state; the first is only what the admin wants ("hold" packages are installed
      // too), and "installed" is the one state in which all of the package's files are on disk
      return "installed".equals(words[2]) ? Verdict.INSTALLED : Verdict.NOT_INSTALLED;
    }

    OsPackage toPackage(String foundBy, String path) {
      String sourceName = packageName;
      String sourceVersion = null;
      if (source != null && !source.isEmpty()) {
        // "Source: gcc-5 (5.1.1-12ubuntu1)" when the source version differs from the binary's (binNMUs, renamed
        // binaries); otherwise just the name
        int open = source.indexOf('(');
        if (open >= 0 && source.endsWith(")")) {
          sourceName = source.substring(0, open).strip();
          sourceVersion = source.substring(open + 1, source.length() - 1).strip();
        } else {
          sourceName = source;
        }
        if (sourceName.isEmpty()) {
          sourceName = packageName;
        }
      }
      return new OsPackage(
          packageName,
          version,
          architecture == null || architecture.isEmpty() ? null : architecture,
          sourceName,
          sourceVersion == null || sourceVersion.isEmpty() ? null : sourceVersion,
          null,
          foundBy,
          path);
    }
  }
}
