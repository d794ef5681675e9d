package io.portcullis.scanner.severity;

import static io.portcullis.scanner.severity.InvalidCvssVectorException.quote;

import io.portcullis.scanner.severity.CvssMetric.Group;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A checked CVSS vector: every metric known to its version, every value allowed, no metric twice, all base metrics
 * present. Metrics are kept in the order the specification lists them and those set to "not defined" ({@code X}, or
 * {@code ND} in v2) are left out, so two vectors that say the same thing are equal and print the same: the printed form
 * is the normalised vector ({@code CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H}; v2 vectors carry no prefix).
 *
 * <p>Metrics may come in any order (the v3 specifications allow it; v4 asks for its order but a reordered vector
 * still says the same thing), and v2 vectors are recognised by having no {@code CVSS:} prefix, as OSV's
 * {@code CVSS_V2} entries and NVD's v2 data write them.
 */
public record CvssVector(CvssVersion version, Map<String, String> metrics) {

  /** Longer input is refused before it is looked at; the longest valid v4.0 vector is under 200 characters. */
  public static final int MAX_LENGTH = 256;

  /** Checks and normalises; throws {@link InvalidCvssVectorException} when the metrics are not a valid vector. */
  public CvssVector {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(metrics, "metrics");
    metrics = normalise(version, metrics);
  }

  /**
   * Reads a vector string. Surrounding white space is ignored; anything else that is not part of the version's
   * grammar is an {@link InvalidCvssVectorException} naming what is wrong.
   */
  public static CvssVector parse(String text) {
    if (text == null) {
      throw new InvalidCvssVectorException("no vector");
    }
    if (text.length() > MAX_LENGTH) {
      throw new InvalidCvssVectorException(
          "longer than " + MAX_LENGTH + " characters (" + text.length() + "): " + quote(text));
    }
    String vector = text.strip();
    if (vector.isEmpty()) {
      throw new InvalidCvssVectorException("empty vector");
    }
    CvssVersion version;
    String body;
    if (vector.startsWith("CVSS:")) {
      int slash = vector.indexOf('/');
      String prefix = slash < 0 ? vector : vector.substring(0, slash);
      version =
          switch (prefix) {
            case "CVSS:3.0" -> CvssVersion.V3_0;
            case "CVSS:3.1" -> CvssVersion.V3_1;
            case "CVSS:4.0" -> CvssVersion.V4_0;
            default -> throw new InvalidCvssVectorException(
                "unknown prefix " + quote(prefix) + " (CVSS:3.0, CVSS:3.1 and CVSS:4.0 are known; v2 has none)");
          };
      if (slash < 0) {
        throw new InvalidCvssVectorException("no metrics after " + prefix);
      }
      body = vector.substring(slash + 1);
    } else if (vector.startsWith("AV:")) {
      version = CvssVersion.V2_0;
      body = vector;
    } else {
      throw new InvalidCvssVectorException(
          "no CVSS prefix and not a v2 vector (those start with AV:): " + quote(vector));
    }
    Map<String, String> metrics = new LinkedHashMap<>();
    for (String part : body.split("/", -1)) {
      int colon = part.indexOf(':');
      if (part.isEmpty()) {
        throw new InvalidCvssVectorException("empty metric (two slashes, or a slash at the end)");
      }
      if (colon <= 0 || colon == part.length() - 1) {
        throw new InvalidCvssVectorException(quote(part) + " is not METRIC:VALUE");
      }
      String name = part.substring(0, colon);
      if (metrics.putIfAbsent(name, part.substring(colon + 1)) != null) {
        throw new InvalidCvssVectorException("metric " + quote(name) + " appears twice");
      }
    }
    return new CvssVector(version, metrics);
  }

  /** The value of {@code metric}, or {@code null} when the vector leaves it not defined. */
  public String value(String metric) {
    return metrics.get(metric);
  }

  /** Whether any metric of {@code group} is defined. */
  boolean defines(Group group) {
    Map<String, CvssMetric> grammar = CvssGrammar.metrics(version);
    return metrics.keySet().stream().anyMatch(name -> grammar.get(name).group() == group);
  }

  /** The base metrics alone, as the base score sees them. */
  Map<String, String> baseMetrics() {
    Map<String, CvssMetric> grammar = CvssGrammar.metrics(version);
    Map<String, String> base = new LinkedHashMap<>();
    metrics.forEach(
        (name, value) -> {
          if (grammar.get(name).group() == Group.BASE) {
            base.put(name, value);
          }
        });
    return base;
  }

  /** The normalised vector string. */
  @Override
  public String toString() {
    StringJoiner joined = new StringJoiner("/");
    if (version != CvssVersion.V2_0) {
      joined.add("CVSS:" + version.label());
    }
    metrics.forEach((name, value) -> joined.add(name + ":" + value));
    return joined.toString();
  }

  private static Map<String, String> normalise(CvssVersion version, Map<String, String> given) {
    Map<String, CvssMetric> grammar = CvssGrammar.metrics(version);
    Map<String, String> values = new HashMap<>();
    given.forEach(
        (name, value) -> {
          CvssMetric metric = grammar.get(Objects.requireNonNull(name, "metric name"));
          if (metric == null) {
            throw new InvalidCvssVectorException(
                "unknown metric " + quote(name) + " for CVSS " + version.label());
          }
          if (value == null || !metric.values().contains(value)) {
            throw new InvalidCvssVectorException(
                quote(name + ":" + value) + " is not a CVSS " + version.label() + " value (" + name + " takes "
                    + String.join(", ", metric.values()) + ")");
          }
          values.put(name, value);
        });
    List<String> missing = new ArrayList<>();
    Map<String, String> ordered = new LinkedHashMap<>();
    String notDefined = CvssGrammar.notDefined(version);
    for (CvssMetric metric : grammar.values()) {
      String value = values.get(metric.name());
      if (value == null && metric.mandatory()) {
        missing.add(metric.name());
      } else if (value != null && !value.equals(notDefined)) {
        ordered.put(metric.name(), value);
      }
    }
    if (!missing.isEmpty()) {
      throw new InvalidCvssVectorException(
          "mandatory metric" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + " missing for CVSS "
              + version.label());
    }
    return Collections.unmodifiableMap(ordered);
  }
}
