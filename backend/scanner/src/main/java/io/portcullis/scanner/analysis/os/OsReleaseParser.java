package io.portcullis.scanner.analysis.os;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code /etc/os-release} and {@code /usr/lib/os-release}: {@code KEY=value} lines that are also valid shell
 * assignments, so values may be unquoted, in double quotes (where a backslash escapes {@code $ " \ `}) or in single
 * quotes (taken literally), and quoted and unquoted parts may be joined. Lines that do not parse are ignored, as
 * systemd ignores them; a later assignment wins, as it would in a shell.
 */
public final class OsReleaseParser {

  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final ReadLimits limits;

  public OsReleaseParser() {
    this(ReadLimits.OS_RELEASE);
  }

  public OsReleaseParser(ReadLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Parses an os-release file.
   *
   * @param path the file's path in the image, for messages
   */
  public OsRelease parse(InputStream in, String path) throws IOException, PackageDatabaseException {
    LineReader lines = new LineReader(in, limits, path);
    Map<String, String> values = new HashMap<>();
    int count = 0;
    for (String line = lines.next(); line != null; line = lines.next()) {
      if (++count > limits.maxRecords()) {
        throw new PackageDatabaseException(path + " has more than " + limits.maxRecords() + " lines");
      }
      if (lines.lastLineTooLong()) {
        continue;
      }
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      if (equals <= 0 || !KEY.matcher(trimmed.substring(0, equals)).matches()) {
        continue;
      }
      String key = trimmed.substring(0, equals);
      unquote(trimmed.substring(equals + 1)).ifPresent(value -> values.put(key, value));
    }
    return new OsRelease(
        Optional.ofNullable(values.get("ID")).filter(id -> !id.isEmpty()).orElse("linux"),
        emptyToNull(values.get("VERSION_ID")),
        emptyToNull(values.get("VERSION_CODENAME")),
        emptyToNull(values.get("PRETTY_NAME")));
  }

  /**
   * The value of a shell word, or empty when it is not one (an unterminated quote, or unquoted whitespace followed by
   * more text, which a shell would run as a command).
   */
  static Optional<String> unquote(String word) {
    StringBuilder value = new StringBuilder(word.length());
    int i = 0;
    while (i < word.length()) {
      char c = word.charAt(i);
      if (c == '"') {
        int end = i + 1;
        while (end < word.length() && word.charAt(end) != '"') {
          char d = word.charAt(end);
          if (d == '\\' && end + 1 < word.length() && "$\"\\`".indexOf(word.charAt(end + 1)) >= 0) {
            value.append(word.charAt(end + 1));
            end += 2;
          } else {
            value.append(d);
            end++;
          }
        }
        if (end >= word.length()) {
          return Optional.empty();
        }
        i = end + 1;
      } else if (c == '\'') {
        int end = word.indexOf('\'', i + 1);
        if (end < 0) {
          return Optional.empty();
        }
        value.append(word, i + 1, end);
        i = end + 1;
      } else if (c == '\\') {
        if (i + 1 >= word.length()) {
          return Optional.empty();
        }
        value.append(word.charAt(i + 1));
        i += 2;
      } else if (c == ' ' || c == '\t') {
        String rest = word.substring(i).strip();
        return rest.isEmpty() || rest.startsWith("#") ? Optional.of(value.toString()) : Optional.empty();
      } else {
        value.append(c);
        i++;
      }
    }
    return Optional.of(value.toString());
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
