package io.portcullis.scanner.version;

import static io.portcullis.scanner.version.Vectors.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GoVersionTests {

  private final GoVersion go = GoVersion.SCHEME;

  @Test
  void passesEveryUpstreamVector() {
    Path folder = Vectors.folder("go");
    VectorTally tally = new VectorTally("go");
    for (String[] row : Vectors.tsv(folder.resolve("go_semver_tests_table.tsv"))) {
      tally.check("go_semver_tests_table.tsv", row[0] + " -> " + row[1],
          () -> row[1].isEmpty() ? !go.isValid(row[0]) : go.canonical(row[0]).equals(row[1]));
    }
    for (String[] row : Vectors.tsv(folder.resolve("go_semver_compare_pairs.tsv"))) {
      int expected = Integer.parseInt(row[2]);
      tally.check("go_semver_compare_pairs.tsv", row[0] + " " + expected + " " + row[1],
          () -> sign(go.compare(row[0], row[1])) == expected && sign(go.compare(row[1], row[0])) == -expected);
    }
    Instant time = Instant.parse("2006-01-02T15:04:05Z");
    for (String[] row : Vectors.tsv(folder.resolve("go_module_pseudoTests.tsv"))) {
      tally.check("go_module_pseudoTests.tsv", row[2],
          () -> go.pseudoVersion(row[0], row[1], time, "hash").equals(row[2]) && go.isPseudoVersion(row[2]));
    }
    tally.verify(folder, Set.of("README.md"), Map.of());
  }

  @Test
  void readsOsvVersionsWithoutTheV() {
    assertThat(go.compare("1.2.3", "v1.2.3")).isZero();
    assertThat(go.compare("v1.2.3+incompatible", "v1.2.3")).isZero();
    assertThat(go.compare("v0.0.0-20191109021931-daa7c04131f5", "v0.0.1")).isNegative();
    assertThat(go.isPseudoVersion("v1.2.4-0.20191109021931-daa7c04131f5")).isTrue();
    assertThat(go.isPseudoVersion("v1.2.4-rc.1")).isFalse();
    assertThat(go.compare("bad", "v0.0.0")).isNegative();
    assertThatThrownBy(() -> go.validate("v1.2-pre")).hasMessageContaining("needs MAJOR.MINOR.PATCH");
  }
}
