package io.portcullis.scanner.version;

import static io.portcullis.scanner.version.Vectors.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class Pep440VersionTests {

  private static final String ALL = "packaging_all_parametrize.jsonl";

  /**
   * The parametrizations of packaging's tests that check behaviour of its Python objects rather than of versions and
   * specifiers (hashing, pickling, repr, properties, filtering lists, set relations between specifier sets, the
   * pre-release policy switches): read and counted as not applicable, by name, so that a new kind of row shows.
   */
  private static final Set<String> PYTHON_API = Set.of(
      "TestVersion.test_non_string_versions_raise_invalid_version", "TestVersion.test_version_str_repr",
      "TestVersion.test_version_hash", "TestVersion.test_version_public", "TestVersion.test_version_base_version",
      "TestVersion.test_version_epoch", "TestVersion.test_version_release", "TestVersion.test_version_local",
      "TestVersion.test_version_pre", "TestVersion.test_version_is_prerelease", "TestVersion.test_version_dev",
      "TestVersion.test_version_is_devrelease", "TestVersion.test_version_post",
      "TestVersion.test_version_is_postrelease", "TestVersion.test_dunder_op_returns_notimplemented",
      "TestVersion.test_compare_other", "TestVersion.test_base_version_notimplemented_with_non_base_version",
      "test_from_parts", "test_pickle_roundtrip", "TestSpecifier.test_specifiers_normalized",
      "TestSpecifier.test_specifiers_str_and_repr", "TestSpecifier.test_specifiers_hash",
      "TestSpecifier.test_comparison_true", "TestSpecifier.test_comparison_canonicalizes",
      "TestSpecifier.test_comparison_false", "TestSpecifier.test_specifier_prereleases_set",
      "TestSpecifier.test_specifier_prereleases_detection", "TestSpecifier.test_specifiers_prereleases",
      "TestSpecifier.test_specifier_filter", "TestSpecifier.test_specifier_filter_with_key",
      "TestSpecifier.test_specifier_operator_property", "TestSpecifier.test_specifier_version_property",
      "TestSpecifier.test_length", "TestSpecifier.test_iteration",
      "TestSpecifierInternal.test_spec_version_cache_consistency",
      "TestSpecifierInternal.test_spec_version_cache_with_wildcards",
      "TestSpecifierInternal.test_spec_version_cache_with_arbitrary_equality",
      "TestSpecifierInternal.test_spec_version_cache_compatible_operator",
      "TestSpecifierSet.test_empty_specifier_arbitrary_string",
      "TestSpecifierSet.test_empty_specifier_ordering_with_arbitrary",
      "TestSpecifierSet.test_specifier_prereleases_explicit",
      "TestSpecifierSet.test_specifier_contains_installed_prereleases",
      "TestSpecifierSet.test_specifierset_filter_with_key", "TestSpecifierSet.test_empty_specifierset_filter_with_key",
      "TestSpecifierSet.test_filter_exclusionary_bridges", "TestSpecifierSet.test_contains_exclusionary_bridges",
      "TestSpecifierSet.test_specifiers_str_and_repr", "TestSpecifierSet.test_specifiers_hash",
      "TestSpecifierSet.test_specifiers_combine", "TestSpecifierSet.test_comparison_true",
      "TestSpecifierSet.test_comparison_false", "TestSpecifierSet.test_comparison_canonicalizes",
      "TestSpecifierSet.test_is_subset", "TestSpecifierSet.test_is_superset", "TestSpecifierSet.test_is_disjoint",
      "TestSpecifierSet.test_set_relations_raise_on_prerelease_policy_mismatch",
      "TestSpecifierSet.test_set_relations_require_specifierset",
      "TestSpecifierSet.test_set_relations_reject_arbitrary_equality",
      "TestSpecifierSet.test_arbitrary_equality_is_intersection_preserving",
      "TestIsUnsatisfiable.test_post_release_boundary_unsatisfiable",
      "TestIsUnsatisfiable.test_contains_identical_across_canonicalization", "test_pickle_specifier_roundtrip",
      "test_pickle_specifierset_roundtrip", "test_specifier_construction_is_lazy",
      "test_specifierset_construction_is_lazy", "TestSpecifierSetToRangeEquivalence.test_contains_equivalent",
      "TestSpecifierSetToRangeEquivalence.test_filter_equivalent",
      "TestSpecifierSetToRangeEquivalence.test_to_specifier_set_roundtrip_matches",
      "TestSpecifierSetToRangeEquivalence.test_contains_equivalent_with_version_objects");

  private final Pep440Version pypi = Pep440Version.SCHEME;

  @Test
  void passesEveryUpstreamVector() {
    Path folder = Vectors.folder("pypi");
    VectorTally tally = new VectorTally("pypi");
    Vectors.checkSorted(tally, "packaging_test_version_VERSIONS_sorted.txt",
        Vectors.lines(folder.resolve("packaging_test_version_VERSIONS_sorted.txt")), pypi);
    for (String[] row : Vectors.tsv(folder.resolve("pep440_compare_pairs_from_VERSIONS.tsv"))) {
      int expected = Integer.parseInt(row[2]);
      tally.check("pep440_compare_pairs_from_VERSIONS.tsv", row[0] + " " + expected + " " + row[1],
          () -> sign(pypi.compare(row[0], row[1])) == expected && sign(pypi.compare(row[1], row[0])) == -expected);
    }
    for (JsonNode row : Vectors.jsonl(folder.resolve("pep440_normalized.jsonl"))) {
      String input = row.get("input").asString();
      tally.check("pep440_normalized.jsonl", input,
          () -> pypi.normalize(input).equals(row.get("expected_normalized").asString()));
    }
    for (JsonNode row : Vectors.jsonl(folder.resolve("pep440_invalid_versions.jsonl"))) {
      String version = row.get("version").asString();
      tally.check("pep440_invalid_versions.jsonl", version, !pypi.isValid(version));
    }
    for (String[] row : Vectors.tsv(folder.resolve("pep440_specifier_contains.tsv"))) {
      tally.check("pep440_specifier_contains.tsv", row[0] + " in " + row[1],
          () -> contains(row[1], row[0]) == Boolean.parseBoolean(row[2]));
    }
    int notApplicable = 0;
    for (JsonNode test : Vectors.jsonl(folder.resolve(ALL))) {
      String name = test.get("test").asString();
      if (PYTHON_API.contains(name)) {
        notApplicable += test.get("rows").size();
        continue;
      }
      List<String> arguments = new ArrayList<>();
      test.get("argnames").forEach(argument -> arguments.add(argument.asString()));
      for (JsonNode row : test.get("rows")) {
        tally.check(ALL, name + " " + row, () -> parametrization(name, arguments, row));
      }
    }
    tally.note(ALL, notApplicable + " rows of the Python object API not applicable");
    tally.verify(folder, Set.of("README.md", "oracle_check.vs-packaging-26.2.txt"), Map.of());
  }

  private boolean parametrization(String test, List<String> arguments, JsonNode row) {
    return switch (test) {
      case "TestVersion.test_valid_versions" -> pypi.isValid(row.asString());
      case "TestVersion.test_invalid_versions", "TestVersion.test_oversized_version_raises_valueerror" ->
          !pypi.isValid(row.asString());
      case "TestVersion.test_normalized_versions" ->
          pypi.normalize(row.get(0).asString()).equals(row.get(1).asString());
      case "TestVersion.test_comparison_true", "TestVersion.test_comparison_false" -> {
        int order = pypi.compare(row.get(0).asString(), row.get(1).asString());
        boolean holds = switch (row.get(2).asString()) {
          case "lt" -> order < 0;
          case "le" -> order <= 0;
          case "eq" -> order == 0;
          case "ne" -> order != 0;
          case "ge" -> order >= 0;
          case "gt" -> order > 0;
          default -> throw new IllegalArgumentException(row.toString());
        };
        yield holds == test.endsWith("true");
      }
      case "TestSpecifier.test_specifiers_valid" -> validSpecifier(row.asString());
      case "TestSpecifier.test_specifiers_invalid" -> !validSpecifier(row.asString());
      case "TestSpecifierSet.test_contains_oversized_version_raises_valueerror" -> !validSpecifier(row.asString());
      case "TestSpecifierSet.test_contains_rejects_invalid_specifier" ->
          !contains(row.get(0).asString(), row.get(1).asString());
      case "TestSpecifier.test_specifiers", "TestSpecifier.test_arbitrary_equality",
          "TestSpecifier.test_invalid_version", "TestSpecifierSet.test_comparison_ignores_local",
          "TestSpecifierSet.test_contains_arbitrary_equality_contains",
          "TestSpecifierSet.test_contains_post_release_boundary_intersection",
          "test_boundary_closure_short_release" -> {
        String specifiers = argument(arguments, row, "spec_str", "specifier");
        String version = argument(arguments, row, "version", "version_str");
        yield contains(specifiers, version) == row.get(arguments.indexOf("expected")).asBoolean();
      }
      case "TestSpecifierSet.test_empty_specifier" -> contains("", row.asString());
      default -> throw new IllegalArgumentException("no check for " + test + " (add one, or list it as Python API)");
    };
  }

  /** The value of whichever of {@code names} the parametrization has. */
  private static String argument(List<String> arguments, JsonNode row, String... names) {
    for (String name : names) {
      if (arguments.contains(name)) {
        return row.get(arguments.indexOf(name)).asString();
      }
    }
    throw new IllegalArgumentException("none of " + List.of(names) + " in " + arguments);
  }

  /**
   * Specifier-set containment. Where packaging answers false for a string that is not a version, the scheme refuses
   * it instead (a matcher must not read "not affected" into a version it cannot parse): that counts as false.
   */
  private boolean contains(String specifiers, String version) {
    try {
      return pypi.contains(specifiers, version);
    } catch (InvalidVersionException e) {
      if (pypi.isValid(version)) {
        throw e;
      }
      return false;
    }
  }

  private boolean validSpecifier(String specifier) {
    try {
      pypi.specifier(specifier);
      return true;
    } catch (InvalidVersionException e) {
      return false;
    }
  }

  @Test
  void ordersLegacyVersionsBeforePep440Ones() {
    assertThat(pypi.compare("0.3m1", "0.3m2")).isNegative();
    assertThat(pypi.compare("2013-01-21T20:33:09+0100", "0.0.1")).isNegative();
    assertThat(pypi.isValid("0.3m1")).isFalse();
    assertThat(pypi.compare("1.0", "1.0.0")).isZero();
    assertThat(pypi.compare("1.0.post1", "1.0+local")).isPositive();
    assertThat(pypi.contains(">=1.0,!=1.3.*,<2", "1.3.5")).isFalse();
    assertThat(pypi.contains(">=1.0,!=1.3.*,<2", "1.4rc1")).isTrue();
    assertThatThrownBy(() -> pypi.contains(">=1.0", "french toast")).isInstanceOf(InvalidVersionException.class);
    assertThatThrownBy(() -> pypi.specifier("~=1")).hasMessageContaining("two release numbers");
  }
}
