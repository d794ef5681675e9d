package io.portcullis.scanner.version;

import static io.portcullis.scanner.version.Vectors.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RpmVersionTests {

  private final RpmVersion rpm = RpmVersion.SCHEME;

  @Test
  void passesEveryUpstreamVector() {
    Path folder = Vectors.folder("rpm");
    VectorTally tally = new VectorTally("rpm");
    // rpm's own rpmvercmp.at, oddities included: they pin what rpm 4.18 does, and the README checked them against it
    for (String[] row : Vectors.tsv(folder.resolve("rpm_rpmvercmp_at.tsv"))) {
      int expected = Integer.parseInt(row[2]);
      tally.check("rpm_rpmvercmp_at.tsv", row[0] + " " + expected + " " + row[1],
          () -> sign(RpmVersion.compareSegments(row[0], row[1])) == expected
              && sign(RpmVersion.compareSegments(row[1], row[0])) == -expected);
    }
    for (String[] row : Vectors.tsv(folder.resolve("rpm_real_evr_pairs.tsv"))) {
      int expected = Integer.parseInt(row[2]);
      tally.check("rpm_real_evr_pairs.tsv", row[0] + " " + expected + " " + row[1],
          () -> sign(rpm.compare(row[0], row[1])) == expected && sign(rpm.compare(row[1], row[0])) == -expected);
    }
    Vectors.checkSorted(tally, "rpm_real_evrs_sorted.txt", Vectors.lines(folder.resolve("rpm_real_evrs_sorted.txt")),
        rpm);
    tally.verify(folder, Set.of("README.md"), Map.of());
  }

  @Test
  void splitsEpochVersionAndReleaseAsRpmDoes() {
    assertThat(rpm.split("2:1.0-3.el9")).isEqualTo(new RpmVersion.Evr("2", "1.0", "3.el9"));
    assertThat(rpm.split("1.0")).isEqualTo(new RpmVersion.Evr(null, "1.0", null));
    assertThat(rpm.split(":1.0-1")).isEqualTo(new RpmVersion.Evr("0", "1.0", "1"));
    assertThat(rpm.compare("1.0", "1.0-3")).isNegative(); // rpm 4.18's rpm.ver: a release beats none
    assertThat(rpm.compare("1.0", "1.0-~")).isNegative();
    assertThat(rpm.compare("1:1.0", "2.0")).isPositive();
    assertThat(rpm.compare("0:1.0-1", "1.0-1")).isZero();
    assertThat(rpm.compare("1.0~rc1", "1.0")).isNegative();
    assertThat(rpm.compare("1.0^git1", "1.0")).isPositive();
    assertThat(rpm.compare("1.0^git1", "1.0.1")).isNegative();
  }

  @Test
  void validatesAsRpmbuildDoes() {
    assertThat(rpm.isValid("1:2.36-9.el9_4.1")).isTrue();
    assertThatThrownBy(() -> rpm.validate("1.0-")).hasMessageContaining("the release is empty");
    assertThatThrownBy(() -> rpm.validate("1.0 beta-1")).hasMessageContaining("illegal character ' '");
    assertThatThrownBy(() -> rpm.compare("", "1")).isInstanceOf(InvalidVersionException.class);
  }
}
