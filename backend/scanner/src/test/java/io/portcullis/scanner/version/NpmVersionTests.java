package io.portcullis.scanner.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.scanner.version.NpmVersion.Options;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class NpmVersionTests {

  private final NpmVersion npm = NpmVersion.SCHEME;

  @Test
  void passesEveryUpstreamVector() {
    Path folder = Vectors.folder("npm");
    VectorTally tally = new VectorTally("npm");
    // the TSV views and the JSONL fixtures hold the same rows; both are read, each as written
    for (String view : List.of("comparisons", "equality", "range-include", "range-exclude", "version-gt-range",
        "version-lt-range", "version-not-gt-range", "version-not-lt-range", "range-parse")) {
      String file = "node-semver_" + view + ".tsv";
      for (String[] columns : Vectors.tsv(folder.resolve(file))) {
        // a range with a tab in it ("<\t2.0.0") spreads over two columns: the last two are always the others
        int n = columns.length;
        String first = String.join("\t", List.of(columns).subList(0, n - 2));
        Options options = options(columns[n - 1]);
        tally.check(file, String.join(" | ", columns), () -> holds(view, first, columns[n - 2], options));
      }
      String jsonl = "node-semver_" + view + ".jsonl";
      for (JsonNode row : Vectors.jsonl(folder.resolve(jsonl))) {
        String expected = view.equals("range-parse") && row.get(1).isNull() ? "null" : row.get(1).asString();
        tally.check(jsonl, row.toString(), () -> holds(view, row.get(0).asString(), expected, options(row.get(2))));
      }
    }
    for (JsonNode row : Vectors.jsonl(folder.resolve("node-semver_valid-versions.jsonl"))) {
      tally.check("node-semver_valid-versions.jsonl", row.toString(), () -> {
        Semver v = npm.parse(row.get(0).asString(), Options.DEFAULT);
        return v.major().equals(row.get(1).asString()) && v.minor().equals(row.get(2).asString())
            && v.patch().equals(row.get(3).asString())
            && v.prerelease().equals(strings(row.get(4))) && v.build().equals(strings(row.get(5)));
      });
    }
    for (JsonNode row : Vectors.jsonl(folder.resolve("node-semver_invalid-versions.jsonl"))) {
      // non-string inputs (a RegExp, an object) cannot reach a method that takes a String: refused by the type
      tally.check("node-semver_invalid-versions.jsonl", row.toString(), () -> !row.get(0).isString()
          || !valid(row.get(0).asString(), options(row.get(2))));
    }
    for (JsonNode row : Vectors.jsonl(folder.resolve("node-semver_comparator-intersection.jsonl"))) {
      tally.check("node-semver_comparator-intersection.jsonl", row.toString(), () -> {
        Options options = options(row.get(3));
        boolean expected = row.get(2).asBoolean();
        return npm.comparatorsIntersect(row.get(0).asString(), row.get(1).asString(), options) == expected
            && npm.comparatorsIntersect(row.get(1).asString(), row.get(0).asString(), options) == expected;
      });
    }
    for (JsonNode row : Vectors.jsonl(folder.resolve("node-semver_range-intersection.jsonl"))) {
      tally.check("node-semver_range-intersection.jsonl", row.toString(), () -> {
        Options options = options(row.get(3));
        boolean expected = row.get(2).asBoolean();
        return npm.intersects(row.get(0).asString(), row.get(1).asString(), options) == expected
            && npm.intersects(row.get(1).asString(), row.get(0).asString(), options) == expected;
      });
    }
    // version arithmetic for release tooling (semver.inc, and truncation), not ordering: read, not applicable
    tally.note("node-semver_increments.jsonl",
        Vectors.jsonl(folder.resolve("node-semver_increments.jsonl")).size() + " rows of semver.inc not applicable");
    tally.note("node-semver_truncations.jsonl",
        Vectors.jsonl(folder.resolve("node-semver_truncations.jsonl")).size() + " rows of truncation not applicable");
    tally.verify(folder, Set.of("README.md", "oracle_check.vs-semver-7.8.6.txt"), Map.of());
  }

  private boolean holds(String view, String first, String second, Options options) {
    return switch (view) {
      case "comparisons" -> npm.parse(first, options).compareTo(npm.parse(second, options)) > 0
          && npm.parse(second, options).compareTo(npm.parse(first, options)) < 0;
      case "equality" -> npm.parse(first, options).compareTo(npm.parse(second, options)) == 0;
      case "range-include" -> satisfies(second, first, options);
      case "range-exclude" -> !satisfies(second, first, options);
      case "version-gt-range" -> npm.greaterThanRange(second, first, options);
      case "version-lt-range" -> npm.lessThanRange(second, first, options);
      case "version-not-gt-range" -> !npm.greaterThanRange(second, first, options);
      case "version-not-lt-range" -> !npm.lessThanRange(second, first, options);
      case "range-parse" -> second.equals("null") ? !validRange(first, options)
          : npm.validRange(first, options).equals(second);
      default -> throw new IllegalArgumentException(view);
    };
  }

  /**
   * node-semver answers false for a version it cannot parse; the scheme refuses it instead, so a matcher never reads
   * "not affected" into garbage. A refused invalid version counts as that false.
   */
  private boolean satisfies(String version, String range, Options options) {
    try {
      return npm.satisfies(version, range, options);
    } catch (InvalidVersionException e) {
      if (valid(version, options)) {
        throw e;
      }
      return false;
    }
  }

  private boolean valid(String version, Options options) {
    try {
      npm.parse(version, options);
      return true;
    } catch (InvalidVersionException e) {
      return false;
    }
  }

  private boolean validRange(String range, Options options) {
    try {
      npm.parseRange(range, options);
      return true;
    } catch (InvalidVersionException e) {
      return false;
    }
  }

  /** The options column of the TSV views: empty, "true" (loose), or JSON. */
  private static Options options(String column) {
    if (column.isEmpty() || column.equals("null")) {
      return Options.DEFAULT;
    }
    return options(tools.jackson.databind.json.JsonMapper.builder().build().readTree(column));
  }

  /** node-semver's parseOptions: a non-object truthy value means loose; object fields by JavaScript truthiness. */
  private static Options options(JsonNode node) {
    if (node == null || !truthy(node)) {
      return Options.DEFAULT;
    }
    if (node.isString()) {
      return Options.DEFAULT; // a RegExp object in the fixture, which the TSV view wrote as its source string
    }
    if (!node.isObject()) {
      return new Options(true, false);
    }
    return new Options(truthy(node.get("loose")), truthy(node.get("includePrerelease")));
  }

  private static boolean truthy(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return false;
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isNumber()) {
      return node.asDouble() != 0;
    }
    if (node.isString()) {
      return !node.asString().isEmpty();
    }
    return true;
  }

  private static List<String> strings(JsonNode array) {
    return array.valueStream().map(JsonNode::asString).toList();
  }

  @Test
  void matchesRangesAsNpmDoes() {
    assertThat(npm.satisfies("1.2.3", "^1.2.0")).isTrue();
    assertThat(npm.satisfies("2.0.0-rc.1", "^1.2.0 || >=2.0.0")).isFalse();
    assertThat(npm.satisfies("2.0.0-rc.1", ">=2.0.0-rc.0")).isTrue();
    assertThat(npm.satisfies("1.2.3", ">=1.0.0 <1.2.3 || 1.2.3")).isTrue();
    assertThat(npm.compare("1.2.3-r2", "1.2.3-r100")).isPositive();
    assertThatThrownBy(() -> npm.satisfies("1.2.3", "1.x.5")).hasMessageContaining("a number after x");
    assertThatThrownBy(() -> npm.validate("9007199254740992.0.0")).hasMessageContaining("2^53-1");
  }
}
