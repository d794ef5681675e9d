package io.portcullis.scanner.version;

import static io.portcullis.scanner.version.Vectors.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DebianVersionTests {

  private final DebianVersion dpkg = DebianVersion.SCHEME;

  @Test
  void passesEveryUpstreamVector() {
    Path folder = Vectors.folder("dpkg");
    VectorTally tally = new VectorTally("dpkg");
    for (String file : List.of("dpkg_Dpkg_Version_t_compare.tsv", "apt_compareversion_test.tsv")) {
      for (String[] row : Vectors.tsv(folder.resolve(file))) {
        int columns = row.length;
        String a = row[columns - 3];
        String b = row[columns - 2];
        int expected = Integer.parseInt(row[columns - 1]);
        tally.check(file, a + " " + expected + " " + b,
            () -> sign(dpkg.compare(a, b)) == expected && sign(dpkg.compare(b, a)) == -expected);
      }
    }
    // Dpkg::Version's three sort checks: whole versions, upstream parts, and strings without digits runs that matter;
    // the last two are verrevcmp on one fragment, as dpkg compares an upstream version or a revision.
    for (String[] row : Vectors.tsv(folder.resolve("dpkg_Dpkg_Version_t_sorted.tsv"))) {
      Comparator<String> order = row[0].equals("version_compare") ? dpkg : DebianVersion::compareFragment;
      List<String> sorted = Arrays.stream(row[1].split(" ")).sorted(order).toList();
      tally.check("dpkg_Dpkg_Version_t_sorted.tsv", row[0], sorted.equals(List.of(row[2].split(" "))));
    }
    for (JsonNode row : Vectors.jsonl(folder.resolve("dpkg_t-version_c_parse.jsonl"))) {
      String input = row.get("input").asString();
      tally.check("dpkg_t-version_c_parse.jsonl", input, () -> {
        if (!row.get("valid").asBoolean()) {
          return !dpkg.isValid(input);
        }
        DebianVersion.Parts parts = dpkg.parse(input);
        return parts.equals(new DebianVersion.Parts(
            row.get("epoch").asInt(), row.get("upstream").asString(), row.get("revision").asString()));
      });
    }
    tally.verify(folder, Set.of("README.md"), Map.of());
  }

  @Test
  void rejectsWhatDpkgRejectsWithItsReason() {
    assertThatThrownBy(() -> dpkg.compare("1.0", "1.0-"))
        .isInstanceOf(InvalidVersionException.class)
        .hasMessage("dpkg: invalid version \"1.0-\": revision number is empty");
    assertThatThrownBy(() -> dpkg.validate("a:1")).hasMessageContaining("epoch in version is not number");
    assertThatThrownBy(() -> dpkg.validate("1.0".repeat(400))).hasMessageContaining("longer than 1024");
    assertThatThrownBy(() -> dpkg.validate(null)).isInstanceOf(InvalidVersionException.class);
  }

  @Test
  void comparesWhatDpkgOnlyWarnsAboutButDoesNotCallItValid() {
    assertThat(dpkg.compare("abc", "1.0")).isPositive();
    assertThat(dpkg.isValid("abc")).isFalse();
    assertThatThrownBy(() -> dpkg.compare("1:", "1.0")).hasMessageContaining("nothing after colon");
  }

  @Test
  void comparesDigitRunsOfAnyLength() {
    assertThat(dpkg.compare("1." + "9".repeat(500), "1." + "1" + "0".repeat(500))).isNegative();
    assertThat(dpkg.compare("1.0~rc1", "1.0")).isNegative();
    assertThat(dpkg.compare("1:1.0", "2.0")).isPositive();
  }
}
