package io.portcullis.scanner.analysis.java;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The main section of {@code META-INF/MANIFEST.MF}, for archives built without Maven metadata. The format is the JAR
 * File Specification's: {@code Name: value} lines, a line starting with one space continues the one before, and the
 * first empty line ends the main section. Only the headers that name the archive are kept; the rest (OSGi imports and
 * exports, and the per-entry digests of signed jars, which make manifests of several MiB) is read past, not stored.
 */
final class JarManifest {

  /** The headers kept, in lower case: the JAR specification's package versioning headers and OSGi's bundle headers. */
  private static final Set<String> KEPT = Set.of(
      "implementation-title", "implementation-version", "implementation-vendor-id", "specification-title",
      "specification-version", "bundle-symbolicname", "bundle-version", "extension-name");

  private static final int MAX_VALUE_LENGTH = 1024;
  private static final Pattern REVERSE_DOMAIN_START = Pattern.compile("[a-z]{2,}");

  private final Map<String, String> headers;

  private JarManifest(Map<String, String> headers) {
    this.headers = headers;
  }

  /**
   * Reads up to the end of the main section.
   *
   * @return the main section's bytes, or null when it is longer than {@code maxBytes}
   */
  static byte[] mainSection(InputStream in, int maxBytes) throws IOException {
    byte[] bytes = new byte[Math.min(maxBytes + 1, 8192)];
    int length = 0;
    int scanned = 0;
    while (true) {
      if (length == bytes.length) {
        if (length > maxBytes) {
          return null;
        }
        bytes = Arrays.copyOf(bytes, (int) Math.min((long) maxBytes + 1, 2L * length));
      }
      int n = in.read(bytes, length, bytes.length - length);
      if (n < 0) {
        return length > maxBytes ? null : Arrays.copyOf(bytes, length);
      }
      length += n;
      // a line end split over two reads is found on the next one: look back a little
      int end = endOfMainSection(bytes, length, Math.max(0, scanned - 3));
      if (end >= 0) {
        return Arrays.copyOf(bytes, end);
      }
      scanned = length;
    }
  }

  /** Where the first empty line starts (after a line end that another follows: LF, CR LF or CR), or -1. */
  private static int endOfMainSection(byte[] bytes, int length, int from) {
    for (int i = from; i < length; i++) {
      int next = lineEnd(bytes, length, i);
      if (next > 0 && lineEnd(bytes, length, next) > 0) {
        return next;
      }
    }
    return -1;
  }

  /** If a line ends at {@code i}, where the next line starts; otherwise -1. */
  private static int lineEnd(byte[] bytes, int length, int i) {
    if (i >= length) {
      return -1;
    }
    if (bytes[i] == '\n') {
      return i + 1;
    }
    if (bytes[i] == '\r') {
      return i + 1 < length && bytes[i + 1] == '\n' ? i + 2 : i + 1;
    }
    return -1;
  }

  /** Parses a main section. Lines that are no header are skipped: real manifests are often sloppy. */
  static JarManifest parse(byte[] mainSection) {
    Map<String, String> headers = new HashMap<>();
    String name = null;
    StringBuilder value = null;
    for (String line : new String(mainSection, StandardCharsets.UTF_8).split("\r\n|\r|\n", -1)) {
      if (line.startsWith(" ")) {
        if (value != null && value.length() <= MAX_VALUE_LENGTH) {
          value.append(line, 1, line.length());
        }
        continue;
      }
      keep(headers, name, value);
      name = null;
      value = null;
      int colon = line.indexOf(':');
      if (colon > 0) {
        String header = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        if (KEPT.contains(header) && !headers.containsKey(header)) {
          name = header;
          value = new StringBuilder(line.length() - colon).append(line, colon + 1, line.length());
        }
      }
    }
    keep(headers, name, value);
    return new JarManifest(headers);
  }

  private static void keep(Map<String, String> headers, String name, StringBuilder value) {
    if (name != null && value.length() <= MAX_VALUE_LENGTH) {
      headers.put(name, value.toString().strip());
    }
  }

  /** A kept header's value, or null. */
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /**
   * What the manifest says the archive is, empty without a version and a name.
   *
   * <ul>
   *   <li>version: {@code Implementation-Version}, else {@code Bundle-Version}, else {@code Specification-Version};
   *   <li>group: {@code Implementation-Vendor-Id} (Maven's archiver writes the groupId there), else the bundle's
   *       symbolic name without its last part when it is a reverse domain name of three parts or more ({@code
   *       org.springframework.core} gives {@code org.springframework});
   *   <li>artifact: the file name's when the file name carries the same version ({@code log4j-core-2.14.1.jar}),
   *       else the first of {@code Implementation-Title}, {@code Extension-Name}, {@code Bundle-SymbolicName} and
   *       {@code Specification-Title} that is an id rather than a title with spaces.
   * </ul>
   *
   * <p>The manifest has no field for a Maven artifact id, so this is a best guess; Eclipse and the SpringSource bundle
   * repository did publish bundles with the symbolic name as the artifact and its prefix as the group.
   */
  Optional<MavenCoordinates> coordinates(Optional<MavenCoordinates> fromFileName) {
    String version = firstToken("implementation-version", "bundle-version", "specification-version");
    if (version == null) {
      return Optional.empty();
    }
    String symbolicName = symbolicName();
    String group = header("implementation-vendor-id");
    if (!MavenCoordinates.token(group)) {
      group = reverseDomainPrefix(symbolicName);
    }
    String artifact;
    if (fromFileName.isPresent() && fromFileName.get().version().equals(version)) {
      artifact = fromFileName.get().artifactId();
    } else {
      artifact = firstToken("implementation-title", "extension-name");
      if (artifact == null && MavenCoordinates.token(symbolicName)) {
        artifact = symbolicName;
      }
      if (artifact == null) {
        artifact = firstToken("specification-title");
      }
    }
    if (artifact == null || !MavenCoordinates.plausible(group, artifact, version)) {
      return Optional.empty();
    }
    return Optional.of(new MavenCoordinates(group, artifact, version));
  }

  /** {@code Bundle-SymbolicName} without its directives ({@code ;singleton:=true}). */
  private String symbolicName() {
    String value = header("bundle-symbolicname");
    if (value == null) {
      return null;
    }
    int semicolon = value.indexOf(';');
    return (semicolon >= 0 ? value.substring(0, semicolon) : value).strip();
  }

  private static String reverseDomainPrefix(String symbolicName) {
    if (!MavenCoordinates.token(symbolicName)) {
      return null;
    }
    String[] parts = symbolicName.split("\\.", -1);
    if (parts.length < 3 || !REVERSE_DOMAIN_START.matcher(parts[0]).matches()) {
      return null;
    }
    for (String part : parts) {
      if (part.isEmpty()) {
        return null;
      }
    }
    return symbolicName.substring(0, symbolicName.lastIndexOf('.'));
  }

  private String firstToken(String... names) {
    for (String name : names) {
      String value = header(name);
      if (MavenCoordinates.token(value)) {
        return value;
      }
    }
    return null;
  }
}
