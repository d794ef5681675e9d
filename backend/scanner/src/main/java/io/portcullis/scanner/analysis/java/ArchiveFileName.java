package io.portcullis.scanner.analysis.java;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a Java archive's file name says. Maven repositories store every artifact as {@code artifactId-version.jar}, and
 * build tools copy them under that name into {@code WEB-INF/lib}, {@code BOOT-INF/lib} and images, so the name is the
 * last resort when the archive carries no metadata ({@code commons-lang-2.6.jar} is commons-lang 2.6).
 */
final class ArchiveFileName {

  /**
   * Java archives by extension: jar, web (war) and enterprise (ear) archives, Jenkins plugins (jpi, hpi), and the
   * JBoss service and Eclipse plugin archives (sar, par). {@code .rar} is left out: far more of those are RAR files
   * than resource adapters.
   */
  static final Set<String> EXTENSIONS = Set.of("jar", "war", "ear", "jpi", "hpi", "sar", "par");

  private ArchiveFileName() {}

  /** Whether a path or entry name ends in one of {@link #EXTENSIONS}, in any case. */
  static boolean isArchive(String name) {
    int dot = name.lastIndexOf('.');
    int slash = name.lastIndexOf('/');
    return dot > slash + 1 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The last part of a path or entry name. */
  static String of(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The file name without its extension. */
  static String base(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot > 0 ? fileName.substring(0, dot) : fileName;
  }

  /**
   * The artifact and version a file name gives: split at the first {@code -} that a digit follows, as version numbers
   * start with one and artifact ids rarely have such a part ({@code jackson-databind-2.9.10.6}, {@code
   * spring-core-5.3.4-SNAPSHOT}, {@code guava-29.0-jre}, {@code bcprov-jdk15on-1.70}). Empty when there is no such
   * split or a part is implausible; the group is never known from a file name.
   */
  static Optional<MavenCoordinates> coordinates(String fileName) {
    String base = base(fileName);
    for (int i = 1; i < base.length() - 1; i++) {
      if (base.charAt(i) == '-' && Character.isDigit(base.charAt(i + 1))) {
        String artifact = base.substring(0, i);
        String version = base.substring(i + 1);
        return MavenCoordinates.plausible(null, artifact, version)
            ? Optional.of(new MavenCoordinates(null, artifact, version))
            : Optional.empty();
      }
    }
    return Optional.empty();
  }
}
