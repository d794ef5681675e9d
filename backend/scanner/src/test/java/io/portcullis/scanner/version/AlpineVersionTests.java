package io.portcullis.scanner.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlpineVersionTests {

  private final AlpineVersion apk = AlpineVersion.SCHEME;

  @Test
  void passesEveryUpstreamVector() {
    Path folder = Vectors.folder("apk");
    VectorTally tally = new VectorTally("apk");
    for (String[] row : Vectors.tsv(folder.resolve("apk_version_compare.tsv"))) {
      boolean expected = Boolean.parseBoolean(row[3]);
      tally.check("apk_version_compare.tsv", row[0] + " " + row[1] + " " + row[2],
          () -> holds(row[0], row[1], row[2]) == expected);
    }
    for (String[] row : Vectors.tsv(folder.resolve("apk_version_validate.tsv"))) {
      tally.check("apk_version_validate.tsv", row[0], apk.isValid(row[0]) == Boolean.parseBoolean(row[1]));
    }
    // The upstream file itself, as apk-tools' unit test reads it: "a op b" or "a !op b" lines, and "version" or
    // "!version" lines for the validity check; "#" starts a comment.
    String upstream = "apk-tools_test_unit_version.data";
    for (String line : Vectors.lines(folder.resolve(upstream))) {
      String content = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
      List<String> words = List.of(content.trim().split("\\s+"));
      if (content.isBlank() && !line.startsWith("!")) {
        continue;
      }
      if (words.size() == 3) {
        boolean negated = words.get(1).startsWith("!");
        String op = negated ? words.get(1).substring(1) : words.get(1);
        tally.check(upstream, line, () -> holds(words.get(0), op, words.get(2)) != negated);
      } else {
        boolean negated = words.get(0).startsWith("!");
        String version = negated ? words.get(0).substring(1) : words.get(0);
        tally.check(upstream, line, apk.isValid(version) != negated);
      }
    }
    tally.verify(folder, Set.of("README.md"), Map.of());
  }

  /** apk's result masks: "<", ">", "=", "~" (fuzzy), and combinations such as "<~". */
  private boolean holds(String a, String op, String b) {
    int order = Integer.signum(apk.compare(a, b));
    boolean result = (op.contains("<") && order < 0) || (op.contains(">") && order > 0)
        || (op.contains("=") && order == 0) || (op.contains("~") && apk.fuzzyMatches(a, b));
    // the relation must also read the same from the other side
    return result && Integer.signum(apk.compare(b, a)) == -order;
  }

  @Test
  void ordersSuffixesRevisionsAndLeadingZeros() {
    assertThat(apk.compare("1.0_rc1", "1.0")).isNegative();
    assertThat(apk.compare("1.0_p1", "1.0")).isPositive();
    assertThat(apk.compare("1.0-r1", "1.0.1")).isNegative();
    assertThat(apk.compare("1.2.09", "1.2.1")).isNegative();
    assertThat(apk.compare("1.0_pre" + "9".repeat(40), "1.0_pre" + "1" + "0".repeat(40))).isNegative();
    assertThatThrownBy(() -> apk.validate("1.0-r1-r2")).hasMessageContaining("unexpected \"-r2\"");
  }
}
