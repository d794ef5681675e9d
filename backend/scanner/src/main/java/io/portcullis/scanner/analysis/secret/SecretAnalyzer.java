package io.portcullis.scanner.analysis.secret;

import io.portcullis.scanner.analysis.Analyzer;
import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.analysis.LayerFile;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads every small text file of a layer for secrets, wherever it lies: keys are baked into images as
 * {@code root/.ssh/id_rsa}, {@code app/.env}, {@code *.pem}, {@code appsettings.json}, {@code *.properties}, shell
 * scripts — names no list could foresee. What is left out is what cannot hold a secret worth reporting, so that the
 * reading stays cheap:
 *
 * <ul>
 *   <li>files larger than {@value #MAX_FILE_BYTES} bytes (logs, bundles, databases) and empty ones;
 *   <li>binaries, by extension (archives, images, fonts, compiled code, shared libraries) and by content: a NUL byte
 *       in the first {@value #SNIFF_BYTES} bytes;
 *   <li>trees that only hold what a package manager installed or the distribution ships: documentation, locales, time
 *       zones, headers, package databases and caches, language runtimes' standard libraries, {@code node_modules},
 *       {@code site-packages}, Go's module cache. Their keys are test fixtures of third-party code; a key an image's
 *       builder put there by hand is missed, which is the price of not drowning the report in those fixtures.
 * </ul>
 *
 * At most {@value #MAX_PER_FILE} secrets are kept per file; the rest are counted.
 */
public final class SecretAnalyzer implements Analyzer {

  public static final String TYPE = "secrets";
  public static final long MAX_FILE_BYTES = 1L << 20;
  public static final int SNIFF_BYTES = 1024;
  public static final int MAX_PER_FILE = 20;

  private static final List<String> THIRD_PARTY_PREFIXES = List.of(
      "usr/share/doc/", "usr/share/man/", "usr/share/info/", "usr/share/locale/", "usr/share/i18n/",
      "usr/share/zoneinfo/", "usr/share/mime/", "usr/share/icons/", "usr/share/fonts/", "usr/share/X11/",
      "usr/share/terminfo/", "usr/share/perl/", "usr/share/perl5/", "usr/share/vim/", "usr/share/ca-certificates/",
      "usr/include/", "usr/src/", "usr/lib/jvm/", "usr/local/go/", "usr/lib/go/", "usr/share/go/", "usr/lib/ruby/",
      "var/lib/dpkg/", "var/lib/apt/", "var/cache/apt/", "var/cache/apk/", "var/cache/dnf/", "var/cache/yum/",
      "var/cache/ldconfig/", "var/cache/man/", "var/cache/fontconfig/", "var/lib/rpm/", "usr/lib/sysimage/rpm/",
      "usr/share/rpm/", "lib/apk/db/", "proc/", "sys/", "dev/");
  private static final Pattern THIRD_PARTY_TREES = Pattern.compile(
      "(?:^|/)(?:node_modules|site-packages|dist-packages|__pycache__)/"
          + "|^usr/(?:local/)?lib/(?:python|pypy)[0-9][0-9.]{0,10}/|^usr/(?:lib|share)/go-[0-9][0-9.]{0,10}/"
          + "|(?:^|/)go/pkg/mod/|(?:^|/)\\.m2/repository/|(?:^|/)\\.gradle/caches/|(?:^|/)\\.cargo/registry/"
          + "|(?:^|/)\\.npm/_cacache/|(?:^|/)\\.cache/(?:pip|go-build|yarn)/");
  private static final Set<String> BINARY_EXTENSIONS = Set.of(
      "png", "jpg", "jpeg", "gif", "ico", "webp", "bmp", "tif", "tiff", "svgz", "psd",
      "zip", "gz", "tgz", "bz2", "xz", "zst", "lz4", "7z", "rar", "tar", "jar", "war", "ear", "whl", "egg", "apk",
      "deb", "rpm", "so", "a", "o", "ko", "dll", "exe", "dylib", "class", "pyc", "pyo", "wasm", "node",
      "ttf", "otf", "woff", "woff2", "eot", "mp3", "mp4", "wav", "ogg", "avi", "mov", "webm", "flac",
      "pdf", "db", "sqlite", "sqlite3", "mo", "gmo", "bin", "iso", "img", "qcow2", "pak", "idx", "pack");

  private final SecretDetector detector;

  public SecretAnalyzer() {
    this(SecretDetector.standard());
  }

  SecretAnalyzer(SecretDetector detector) {
    this.detector = detector;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int version() {
    return 1;
  }

  /** Whether the path may hold a secret worth reporting: not a binary by its name, not in a third-party tree. */
  @Override
  public boolean required(String path) {
    if (THIRD_PARTY_TREES.matcher(path).find()) {
      return false;
    }
    for (String prefix : THIRD_PARTY_PREFIXES) {
      if (path.startsWith(prefix)) {
        return false;
      }
    }
    return !BINARY_EXTENSIONS.contains(extension(path));
  }

  @Override
  public boolean required(String path, int mode, long size) {
    return size > 0 && size <= MAX_FILE_BYTES && required(path);
  }

  @Override
  public long maxFileBytes(long layerLimit) {
    return Math.min(layerLimit, MAX_FILE_BYTES);
  }

  @Override
  public void analyze(LayerFile file, FileFindings findings) throws IOException {
    byte[] content = file.content().readNBytes((int) Math.min(file.size(), MAX_FILE_BYTES));
    for (int i = 0; i < Math.min(content.length, SNIFF_BYTES); i++) {
      if (content[i] == 0) {
        return; // a binary whose name did not say so
      }
    }
    int[] notShown = {0};
    detector.scan(content, content.length, detection -> {
      if (findings.secrets().size() < MAX_PER_FILE) {
        findings.secret(Secret.of(detection.rule(), file.path(), detection.line(), detection.excerpt()));
      } else {
        notShown[0]++;
      }
    });
    findings.secretsNotShown(notShown[0]);
  }

  /** The extension of a file name, lower case; a versioned library ({@code libz.so.1.3}) counts as {@code so}. */
  static String extension(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    int so = name.indexOf(".so.");
    if (so > 0 && name.substring(so + 4).chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
      return "so";
    }
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? "" : name.substring(dot + 1);
  }
}
