package io.portcullis.scanner.analysis.secret;

import java.util.ArrayList;
import java.util.List;

/**
 * The secrets of an image config, redacted: environment values (which are read for this and then dropped), labels,
 * entrypoint, command, health check and build history (which are kept, redacted). At most {@value #MAX} are kept; the
 * rest are counted.
 */
public record ConfigSecrets(List<Secret> found, int notShown) {

  public static final int MAX = 100;
  public static final ConfigSecrets NONE = new ConfigSecrets(List.of(), 0);

  public ConfigSecrets {
    found = List.copyOf(found);
  }

  /** Gathers the secrets of one config while it is read. */
  public static final class Collector {
    private final SecretDetector detector = SecretDetector.standard();
    private final List<Secret> found = new ArrayList<>();
    private int notShown;

    /** Returns {@code text} with its secrets redacted and reports them under {@code where} ({@code config:cmd}). */
    public String redact(String where, String text) {
      SecretDetector.Redaction redaction = detector.redact(text);
      redaction.detections().forEach(detection -> add(where, detection));
      return redaction.text();
    }

    /**
     * Returns {@code value} redacted, scanned as {@code name=value}: the name is what tells the generic rule that a
     * random-looking value is a password ({@code DB_PASSWORD=…}).
     */
    public String redact(String where, String name, String value) {
      String prefix = name + "=";
      String redacted = redact(where, prefix + value);
      return redacted.startsWith(prefix) ? redacted.substring(prefix.length()) : SecretDetector.MASK;
    }

    public ConfigSecrets result() {
      return new ConfigSecrets(found, notShown);
    }

    private void add(String where, SecretDetector.Detection detection) {
      if (found.size() < MAX) {
        found.add(Secret.of(detection.rule(), where, null, detection.excerpt()));
      } else {
        notShown++;
      }
    }
  }
}
