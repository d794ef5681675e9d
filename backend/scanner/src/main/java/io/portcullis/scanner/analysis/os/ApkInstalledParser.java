package io.portcullis.scanner.analysis.os;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads Alpine's {@code /lib/apk/db/installed}: records separated by blank lines, one {@code X:value} field per line
 * with a single-letter key. Every record in this file is an installed package (apk removes the record on
 * uninstall), so there is no status to filter on.
 *
 * <p>Keys kept: {@code P} name, {@code V} version, {@code A} architecture, {@code o} origin (the source package),
 * {@code L} license. File lists ({@code F}, {@code R}, {@code Z}, ...) repeat per file and are read past.
 */
public final class ApkInstalledParser {

  /** {@link OsPackage#foundBy()} for packages from {@code /lib/apk/db/installed}. */
  public static final String INSTALLED = "apk-installed";

  private final ReadLimits limits;

  public ApkInstalledParser() {
    this(ReadLimits.PACKAGE_DATABASE);
  }

  public ApkInstalledParser(ReadLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Parses an apk installed database.
   *
   * @param path the file's path in the image, recorded in each package
   */
  public PackageListing parse(InputStream in, String path) throws IOException, PackageDatabaseException {
    Objects.requireNonNull(path, "path");
    LineReader lines = new LineReader(in, limits, path);
    List<OsPackage> packages = new ArrayList<>();
    Entry entry = new Entry();
    int records = 0;
    int malformed = 0;
    String line;
    do {
      line = lines.next();
      if (line == null || line.isBlank()) {
        if (entry.isEmpty()) {
          continue;
        }
        if (++records > limits.maxRecords()) {
          throw new PackageDatabaseException(path + " has more than " + limits.maxRecords() + " records");
        }
        if (entry.isComplete()) {
          packages.add(entry.toPackage(path));
        } else {
          malformed++;
        }
        entry = new Entry();
      } else if (lines.lastLineTooLong()) {
        entry.broken = true;
      } else {
        entry.accept(line);
      }
    } while (line != null);
    return new PackageListing(packages, malformed);
  }

  /** The fields of one record that matter, and whether the record broke a rule. */
  private static final class Entry {

    private boolean started;
    private boolean broken;
    private String name;
    private String version;
    private String architecture;
    private String origin;
    private String license;

    boolean isEmpty() {
      return !started && !broken;
    }

    void accept(String line) {
      started = true;
      if (line.length() < 2 || line.charAt(1) != ':') {
        broken = true;
        return;
      }
      String value = line.substring(2);
      switch (line.charAt(0)) {
        case 'P' -> name = once(name, value);
        case 'V' -> version = once(version, value);
        case 'A' -> architecture = once(architecture, value);
        case 'o' -> origin = once(origin, value);
        case 'L' -> license = once(license, value);
        default -> { }
      }
    }

    // a second P: or V: means two packages ran together; guessing which one the rest belongs to would be worse than
    // reporting the record as malformed
    private String once(String current, String value) {
      if (current != null) {
        broken = true;
      }
      return value;
    }

    boolean isComplete() {
      return !broken && name != null && !name.isEmpty() && version != null && !version.isEmpty();
    }

    OsPackage toPackage(String path) {
      return new OsPackage(
          name,
          version,
          architecture == null || architecture.isEmpty() ? null : architecture,
          origin == null || origin.isEmpty() ? name : origin,
          null,
          license == null || license.isEmpty() ? null : license,
          INSTALLED,
          path);
    }
  }
}
