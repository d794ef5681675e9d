package io.portcullis.scanner.version;

import static io.portcullis.scanner.version.Vectors.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.maven.artifact.versioning.ComparableVersion;
import org.junit.jupiter.api.Test;

class MavenVersionTests {

  private static final String TEST_FILE = "maven_ComparableVersionTest.tsv";

  /**
   * The vectors come from Maven's master branch (the 4.0 line); the scanner follows maven-artifact 3.9.11, the Maven
   * that builds and resolves today (docs/adr/0006). These five are where the two Mavens themselves disagree, exactly
   * as oracle_check.vs-maven-artifact-3.9.11.txt recorded them.
   */
  static final Map<String, String> EXCEPTIONS = Map.of(
      // Maven 4 treats non-ASCII digits as digits; 3.9 as letters (a qualifier, so older than any number)
      TEST_FILE + ": 1 > ٨", "non-ASCII digit: Maven 3.9 and 4.0 disagree",
      TEST_FILE + ": ٨ < 1", "non-ASCII digit: Maven 3.9 and 4.0 disagree",
      // MNG-7714, fixed in Maven 4 only: "sp" after a release qualifier
      TEST_FILE + ": 1.0.final-redhat < 1.0-sp1-redhat", "MNG-7714: Maven 3.9 and 4.0 disagree",
      TEST_FILE + ": 1.0.final-redhat < 1.0-sp-1-redhat", "MNG-7714: Maven 3.9 and 4.0 disagree",
      TEST_FILE + ": 1.0.final-redhat < 1.0-sp.1-redhat", "MNG-7714: Maven 3.9 and 4.0 disagree");

  private final MavenVersion maven = MavenVersion.SCHEME;

  @Test
  void passesEveryUpstreamVectorButWhereMaven39And40Disagree() {
    Path folder = Vectors.folder("maven");
    VectorTally tally = new VectorTally("maven");
    for (String[] row : Vectors.tsv(folder.resolve(TEST_FILE))) {
      String a = row[1];
      String b = row[2];
      String expected = row[3];
      tally.check(TEST_FILE, a + " " + expected + " " + b, () -> switch (expected) {
        case "<" -> sign(maven.compare(a, b)) == -1 && sign(maven.compare(b, a)) == 1;
        case ">" -> sign(maven.compare(a, b)) == 1 && sign(maven.compare(b, a)) == -1;
        case "cmp==0" -> maven.compare(a, b) == 0 && maven.compare(b, a) == 0;
        case "==" -> {
          ComparableVersion x = maven.parse(a);
          ComparableVersion y = maven.parse(b);
          yield x.compareTo(y) == 0 && x.equals(y) && x.hashCode() == y.hashCode();
        }
        default -> throw new IllegalArgumentException("unknown expectation " + expected);
      });
    }
    // the two oracle-check files are documentation: the results of running these vectors through each Maven
    tally.verify(folder, Set.of("README.md", "oracle_check.vs-maven-artifact-3.9.11.txt",
        "oracle_check.vs-maven-artifact-4.0.0-rc-4.txt"), EXCEPTIONS);
    assertThat(new TreeSet<>(EXCEPTIONS.keySet())).isEqualTo(oracleMismatches(folder));
  }

  /** The mismatches the maintainers of the corpus recorded for maven-artifact 3.9.11, in this test's notation. */
  private static Set<String> oracleMismatches(Path folder) {
    Set<String> mismatches = new TreeSet<>();
    for (String line : Vectors.lines(folder.resolve("oracle_check.vs-maven-artifact-3.9.11.txt"))) {
      String[] parts = line.split("\t");
      if (parts[0].equals("MISMATCH")) {
        mismatches.add(TEST_FILE + ": " + parts[1] + " " + parts[3].substring("expected ".length()) + " " + parts[2]);
      }
    }
    return mismatches;
  }

  @Test
  void ordersQualifiersAsMavenDoes() {
    assertThat(maven.compare("1.0-alpha-1", "1.0-beta-1")).isNegative();
    assertThat(maven.compare("1.0-RC1", "1.0")).isNegative();
    assertThat(maven.compare("1.0", "1.0.0-ga")).isZero();
    assertThat(maven.compare("1.0-sp1", "1.0")).isPositive();
    assertThat(maven.compare("2.0.0.Final", "2.0.0")).isZero();
    assertThat(maven.compare("1." + "9".repeat(60), "1." + "1" + "0".repeat(60))).isNegative();
  }

  @Test
  void rejectsWhatAPomCannotHold() {
    assertThatThrownBy(() -> maven.validate("1.0 beta")).hasMessageContaining("character ' '");
    assertThatThrownBy(() -> maven.validate("1.0|2.0")).hasMessageContaining("character '|'");
    assertThatThrownBy(() -> maven.compare("", "1")).hasMessageContaining("empty");
  }
}
