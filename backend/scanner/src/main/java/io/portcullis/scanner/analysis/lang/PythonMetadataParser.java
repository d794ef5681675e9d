package io.portcullis.scanner.analysis.lang;

import io.portcullis.scanner.analysis.lang.LanguagePackage.Ecosystem;
import io.portcullis.scanner.analysis.os.PackageDatabaseException;
import io.portcullis.scanner.analysis.os.ReadLimits;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the core metadata of one installed Python distribution: {@code *.dist-info/METADATA}, {@code
 * *.egg-info/PKG-INFO}, or an {@code *.egg-info} file. The format is email headers; {@code Name} and {@code Version}
 * are taken from the header block, and reading stops at the first blank line, so the long description in the body is
 * never read. Field names are case-insensitive, as the email format has them.
 */
public final class PythonMetadataParser {

  /** {@link LanguagePackage#foundBy()} for packages from Python core metadata. */
  public static final String METADATA = "python-metadata";

  /**
   * Metadata 1.x puts the whole description in the header block as continuation lines, so headers of a few hundred KiB
   * occur; the record count bounds the header lines.
   */
  public static final ReadLimits LIMITS = new ReadLimits(4L * 1024 * 1024, 100_000, 64 * 1024);

  private final ReadLimits limits;

  public PythonMetadataParser() {
    this(LIMITS);
  }

  /**
   * @param limits {@link ReadLimits#maxBytes()} bounds the header block (the body is not read), {@link
   *     ReadLimits#maxRecords()} its lines
   */
  public PythonMetadataParser(ReadLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Parses one metadata file.
   *
   * @param path the file's path in the image, recorded in the package
   * @return the package, or empty when the header block has no usable {@code Name} and {@code Version}: one is
   *     missing or empty, appears twice, or a line before the first field is not a header
   * @throws PackageDatabaseException when the header block is over a limit or holds a NUL byte (the file is not text)
   */
  public Optional<LanguagePackage> parse(InputStream in, String path) throws IOException, PackageDatabaseException {
    Objects.requireNonNull(path, "path");
    Header header = new Header(new BufferedInputStream(in), path);
    String name = null;
    String version = null;
    boolean sawField = false;
    int lines = 0;
    String line;
    while ((line = header.nextLine()) != null && !line.isEmpty()) {
      if (++lines > limits.maxRecords()) {
        throw new PackageDatabaseException(path + " has more than " + limits.maxRecords() + " header lines");
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        // continues a field we do not keep (Description, Classifier); without a field before it, it is garbage
        if (!sawField) {
          return Optional.empty();
        }
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        return Optional.empty();
      }
      sawField = true;
      String field = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      if (header.lastLineCut() && (field.equals("name") || field.equals("version"))) {
        return Optional.empty();
      }
      String value = line.substring(colon + 1).strip();
      if (field.equals("name")) {
        if (name != null) {
          return Optional.empty();
        }
        name = value;
      } else if (field.equals("version")) {
        if (version != null) {
          return Optional.empty();
        }
        version = value;
      }
    }
    if (name == null || name.isEmpty() || version == null || version.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new LanguagePackage(Ecosystem.PYPI, name, version, false, METADATA, path));
  }

  /** Lines of the header block within the limits; a longer line is cut at the line limit and the rest skipped. */
  private final class Header {

    private final InputStream in;
    private final String path;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long consumed;
    private boolean cut;

    Header(InputStream in, String path) {
      this.in = in;
      this.path = path;
    }

    String nextLine() throws IOException, PackageDatabaseException {
      line.reset();
      cut = false;
      int b;
      boolean any = false;
      while ((b = in.read()) >= 0) {
        any = true;
        if (++consumed > limits.maxBytes()) {
          throw new PackageDatabaseException(
              path + " has a header larger than the limit of " + limits.maxBytes() + " bytes");
        }
        if (b == '\n') {
          break;
        }
        if (b == 0) {
          throw new PackageDatabaseException(path + " is not a text file: NUL byte at offset " + (consumed - 1));
        }
        if (line.size() < limits.maxLineLength()) {
          line.write(b);
        } else {
          cut = true;
        }
      }
      if (!any) {
        return null;
      }
      String text = line.toString(StandardCharsets.UTF_8);
      return !cut && text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    boolean lastLineCut() {
      return cut;
    }
  }
}
