package io.portcullis.scanner.severity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CvssTests {

  /** The examples of FIRST's "CVSS v3.1: Examples" document: CVE, vector, published base score and rating. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "CVE-2013-1937 phpMyAdmin reflected XSS | AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N | 6.1 | MEDIUM",
        "CVE-2013-0375 MySQL stored SQL injection | AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N | 6.4 | MEDIUM",
        "CVE-2014-3566 SSLv3 POODLE | AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N | 3.1 | LOW",
        "CVE-2012-1516 VMware guest to host escape | AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H | 9.9 | CRITICAL",
        "CVE-2009-0783 Apache Tomcat XML parser | AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L | 4.2 | MEDIUM",
        "CVE-2012-0384 Cisco IOS command execution | AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H | 8.8 | HIGH",
        "CVE-2015-1098 Apple iWork denial of service | AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H | 7.8 | HIGH",
        "CVE-2014-0160 OpenSSL Heartbleed | AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N | 7.5 | HIGH",
        "CVE-2014-6271 GNU Bash Shellshock | AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H | 9.8 | CRITICAL",
        "CVE-2008-1447 DNS Kaminsky bug | AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N | 6.8 | MEDIUM",
        "CVE-2014-2005 Sophos login screen bypass | AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H | 6.8 | MEDIUM",
        "CVE-2010-0467 Joomla directory traversal | AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N | 5.8 | MEDIUM",
        "CVE-2012-1342 Cisco access control bypass | AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N | 5.8 | MEDIUM",
        "CVE-2013-6014 Juniper proxy ARP denial of service | AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H | 9.3 | CRITICAL",
        "CVE-2014-9253 DokuWiki reflected XSS | AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N | 5.4 | MEDIUM",
        "CVE-2009-0658 Adobe Acrobat buffer overflow | AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H | 7.8 | HIGH",
        "CVE-2011-1265 Microsoft Windows Bluetooth | AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H | 8.8 | HIGH",
        "CVE-2014-2019 Apple iOS security bypass | AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N | 4.6 | MEDIUM",
        "CVE-2015-0970 SearchBlox CSRF | AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H | 8.8 | HIGH",
        "CVE-2014-0224 OpenSSL CCS injection | AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N | 7.4 | HIGH",
        "CVE-2016-1645 Google Chrome PDFium | AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H | 9.6 | CRITICAL",
        "CVE-2016-0128 Badlock | AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N | 6.8 | MEDIUM",
      })
  void scoresTheV31SpecificationExamples(String example, String metrics, String score, Severity rating) {
    for (String prefix : new String[] {"CVSS:3.1/", "CVSS:3.0/"}) {
      // the v3.1 Roundup and v3.0's round-up give the same result on every base vector
      CvssScore scored = Cvss.parse(prefix + metrics);

      assertThat(scored.baseScore()).as(prefix).isEqualTo(new BigDecimal(score));
      assertThat(scored.score()).isEqualTo(scored.baseScore());
      assertThat(scored.rating()).isEqualTo(rating);
      assertThat(scored.nomenclature()).isEqualTo("CVSS-B");
      assertThat(scored.version()).isEqualTo(prefix.equals("CVSS:3.1/") ? CvssVersion.V3_1 : CvssVersion.V3_0);
      assertThat(scored.vector()).hasToString(prefix + metrics);
    }
  }

  /** The examples of the CVSS v2 guide, section 3.3, and NVD's rating table. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "CVE-2002-0392 Apache chunked encoding | AV:N/AC:L/Au:N/C:N/I:N/A:C | 7.8 | HIGH",
        "CVE-2003-0818 Windows ASN.1 | AV:N/AC:L/Au:N/C:C/I:C/A:C | 10.0 | HIGH",
        "CVE-2003-0062 NOD32 buffer overflow | AV:L/AC:H/Au:N/C:C/I:C/A:C | 6.2 | MEDIUM",
        "temporal metrics are kept, not applied | AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C | 6.2 | MEDIUM",
        "no impact is low, v2 has no None | AV:N/AC:L/Au:N/C:N/I:N/A:N | 0.0 | LOW",
        "a common NVD vector | AV:N/AC:L/Au:N/C:P/I:P/A:P | 7.5 | HIGH",
      })
  void scoresV2Vectors(String example, String vector, String score, Severity rating) {
    CvssScore scored = Cvss.parse(vector);

    assertThat(scored.version()).isEqualTo(CvssVersion.V2_0);
    assertThat(scored.baseScore()).isEqualTo(new BigDecimal(score));
    assertThat(scored.rating()).isEqualTo(rating);
    assertThat(scored.vector()).hasToString(vector);
  }

  /**
   * CVSS v4.0 vectors and the scores of the reference implementation. Unless noted, rows come from the test data of
   * RedHatProductSecurity/cvss (tests/vectors_simple4, vectors_threat4, vectors_security4, vectors_supplemental4), the
   * Python port of FIRST's calculator by its authors, whose scores are generated by the reference algorithm.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // vector | base score | score | nomenclature | rating
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N | 9.3 | 9.3 | CVSS-B | CRITICAL",
        "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N | 8.5 | 8.5 | CVSS-B | HIGH",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L | 9.2 | 9.2 | CVSS-B | CRITICAL",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:H/SI:N/SA:L | 7.8 | 7.8 | CVSS-B | HIGH",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:L/SA:N | 6.9 | 6.9 | CVSS-B | MEDIUM",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:L/SA:H | 7.9 | 7.9 | CVSS-B | HIGH",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:L/VI:N/VA:L/SC:N/SI:H/SA:N | 6.3 | 6.3 | CVSS-B | MEDIUM",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N | 8.6 | 8.6 | CVSS-B | HIGH",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N | 5.1 | 5.1 | CVSS-B | MEDIUM",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:L/SC:N/SI:L/SA:N | 7.1 | 7.1 | CVSS-B | HIGH",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:P/VC:H/VI:L/VA:L/SC:L/SI:L/SA:L | 7.0 | 7.0 | CVSS-B | HIGH",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:A/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H | 9.3 | 9.3 | CVSS-B | CRITICAL",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:P/VC:L/VI:L/VA:N/SC:L/SI:N/SA:N | 4.8 | 4.8 | CVSS-B | MEDIUM",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:A/VC:L/VI:N/VA:N/SC:H/SI:N/SA:H | 6.0 | 6.0 | CVSS-B | MEDIUM",
        "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H | 9.5 | 9.5 | CVSS-B | CRITICAL",
        "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:L/VI:L/VA:N/SC:H/SI:N/SA:N | 4.9 | 4.9 | CVSS-B | MEDIUM",
        "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N | 2.1 | 2.1 | CVSS-B | LOW",
        "CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:N | 2.3 | 2.3 | CVSS-B | LOW",
        "CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:L/VA:L/SC:L/SI:N/SA:N | 1.8 | 1.8 | CVSS-B | LOW",
        "CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:L/SI:H/SA:L | 9.4 | 9.4 | CVSS-B | CRITICAL",
        "CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:A/VC:L/VI:L/VA:L/SC:H/SI:H/SA:H | 5.2 | 5.2 | CVSS-B | MEDIUM",
        "CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N | 4.0 | 4.0 | CVSS-B | MEDIUM",
        "CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:L/VI:L/VA:H/SC:L/SI:N/SA:N | 8.3 | 8.3 | CVSS-B | HIGH",
        "CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:N/VI:L/VA:N/SC:L/SI:H/SA:L | 7.0 | 7.0 | CVSS-B | HIGH",
        // threat: exploit maturity lowers the score; E:A is the worst case an undefined E already assumes
        "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A | 7.3 | 7.3 | CVSS-BT | HIGH",
        "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P | 7.3 | 5.9 | CVSS-BT | MEDIUM",
        "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U | 7.3 | 4.1 | CVSS-BT | MEDIUM",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/E:A | 0.0 | 0.0 | CVSS-BT | NONE",
        // environmental: security requirements
        "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:H/AR:M | 7.3 | 7.2 | CVSS-BE | HIGH",
        "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:M/AR:L | 7.3 | 7.1 | CVSS-BE | HIGH",
        "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:M/IR:M/AR:M | 7.3 | 5.5 | CVSS-BE | MEDIUM",
        "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:L/AR:L | 7.3 | 5.4 | CVSS-BE | MEDIUM",
        // supplemental metrics never change the score
        "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/S:N/AU:N/R:A/V:D/RE:L/U:Red"
            + " | 7.3 | 7.3 | CVSS-B | HIGH",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/S:N/AU:Y/R:A/V:D/RE:L/U:Clear | 0.0 | 0.0"
            + " | CVSS-B | NONE",
        // ties the reference rounds up since its 2024 fix (RedHatProductSecurity/cvss-v4-calculator issues #48 and
        // #66, RedHatProductSecurity/cvss issues #60 and #63): floating point puts these at 8.5499…, 0.3499…
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H | 8.6 | 8.6 | CVSS-B | HIGH",
        "CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:A/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/E:U | 2.0 | 0.4 | CVSS-BT | LOW",
        "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:N/SC:H/SI:H/SA:H/E:P | 9.5 | 9.0 | CVSS-BT | CRITICAL",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:A/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/E:P/CR:L/IR:L/AR:L/MAV:N/MAC:L/MAT:N/MPR:L"
            + "/MUI:A/MVC:H/MVI:H/MVA:H/MSC:H/MSI:S/MSA:S/S:P/AU:Y/R:I/V:C/RE:H/U:Red | 8.4 | 8.5 | CVSS-BTE | HIGH",
        // metrics out of the specification's order, as that report wrote them
        "CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:N/SA:H/S:N/AU:N/R:I/V:C/RE:M/U:Green/MAV:A/MAC:L"
            + "/MAT:N/MPR:N/MUI:N/MVC:H/MVI:N/MVA:H/MSC:H/MSI:H/MSA:H/CR:H/IR:M/AR:H/E:A | 7.0 | 8.6 | CVSS-BTE | HIGH",
      })
  void scoresV40VectorsAsTheReferenceImplementationDoes(
      String vector, String baseScore, String score, String nomenclature, Severity rating) {
    CvssScore scored = Cvss.parse(vector);

    assertThat(scored.version()).isEqualTo(CvssVersion.V4_0);
    assertThat(scored.baseScore()).isEqualTo(new BigDecimal(baseScore));
    assertThat(scored.score()).isEqualTo(new BigDecimal(score));
    assertThat(scored.nomenclature()).isEqualTo(nomenclature);
    assertThat(scored.rating()).isEqualTo(rating);
  }

  /**
   * Every base vector of each version, scored and hashed as lines of "vector score" in the grammar's order. The
   * digests were computed from independent implementations of FIRST's formulas when this test was written: for v2
   * NVD's equations, for v3.0 and v3.1 the specification's in IEEE doubles as FIRST's calculator does, for v4.0 the
   * reference algorithm with its 2024 rounding fix (ae-cvss-calculator 1.0.13, which matches the reference's test
   * data). A changed digest means a changed score somewhere in the space; any of the tables above will say where.
   */
  @ParameterizedTest(name = "CVSS {0}: {1} vectors")
  @CsvSource({
    "V2_0, 729, efed619b32adeeb5402004b8a9180ce9e25cc70b2b2453f48d631a941c756a01",
    "V3_0, 2592, 18c7d4b21f4908d5950f38af660814a4aa4b79b6ad61901ec0dd35196a2e3f63",
    "V3_1, 2592, ad0f52124967752cabaff871eb43c121fa279e6b9a52feedc15d042401232eb4",
    "V4_0, 104976, 3e71127d206a943d510f7324d2d7fd463e43d947e834bf7d001df9779df3405f",
  })
  void scoresTheWholeBaseVectorSpaceAsTheReferenceDoes(CvssVersion version, int count, String digest)
      throws Exception {
    List<CvssMetric> base =
        CvssGrammar.metrics(version).values().stream().filter(CvssMetric::mandatory).toList();
    MessageDigest hash = MessageDigest.getInstance("SHA-256");
    int[] chosen = new int[base.size()];
    int scored = 0;
    do {
      StringJoiner vector = new StringJoiner("/");
      if (version != CvssVersion.V2_0) {
        vector.add("CVSS:" + version.label());
      }
      for (int i = 0; i < base.size(); i++) {
        vector.add(base.get(i).name() + ":" + base.get(i).values().get(chosen[i]));
      }
      CvssScore score = Cvss.parse(vector.toString());
      hash.update((vector + " " + score.baseScore() + "\n").getBytes(StandardCharsets.UTF_8));
      scored++;
    } while (next(chosen, base));

    assertThat(scored).isEqualTo(count);
    assertThat(HexFormat.of().formatHex(hash.digest())).isEqualTo(digest);
  }

  /** Advances {@code chosen} like an odometer over the metrics' values; false when it wraps around. */
  private static boolean next(int[] chosen, List<CvssMetric> metrics) {
    for (int i = chosen.length - 1; i >= 0; i--) {
      if (++chosen[i] < metrics.get(i).values().size()) {
        return true;
      }
      chosen[i] = 0;
    }
    return false;
  }

  @Test
  void normalisesOrderWhiteSpaceAndNotDefinedMetrics() {
    assertThat(Cvss.parse("  CVSS:3.1/C:H/I:H/A:H/AV:N/AC:L/PR:N/UI:N/S:U/E:X/MAV:X \n").vector())
        .hasToString("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    assertThat(Cvss.parse("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:ND/CDP:ND/TD:H").vector())
        .hasToString("AV:N/AC:L/Au:N/C:P/I:P/A:P/TD:H");
    CvssScore allNotDefined =
        Cvss.parse(
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X"
                + "/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/RE:X/U:X");
    assertThat(allNotDefined.vector()).hasToString("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
    assertThat(allNotDefined.nomenclature()).isEqualTo("CVSS-B");
    assertThat(allNotDefined.vector())
        .isEqualTo(CvssVector.parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"));
  }

  @Test
  void keepsV3TemporalAndEnvironmentalMetricsWithoutApplyingThem() {
    CvssScore scored = Cvss.parse("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/RL:O/CR:L/MAV:P");

    assertThat(scored.score()).isEqualTo(new BigDecimal("10.0"));
    assertThat(scored.rating()).isEqualTo(Severity.CRITICAL);
    assertThat(scored.vector().value("RL")).isEqualTo("O");
    assertThat(scored.vector()).hasToString("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/RL:O/CR:L/MAV:P");
  }

  @Test
  void ratesZeroAsNoneFromV3On() {
    assertThat(Cvss.parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N").rating()).isEqualTo(Severity.NONE);
    assertThat(Cvss.parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N").rating())
        .isEqualTo(Severity.NONE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "unknown metric | CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/FOO:X | unknown metric 'FOO' for CVSS 3.1",
        "v4 metric in v3 | CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H | unknown metric 'AT' for CVSS 3.1",
        "missing mandatory | CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H | mandatory metric A missing for CVSS 3.1",
        "missing several | CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H | mandatory metrics VI, VA, SC, SI, SA missing",
        "duplicate metric | CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L | metric 'AV' appears twice",
        "duplicate even when equal | AV:N/AC:L/Au:N/C:P/I:P/A:P/AV:N | metric 'AV' appears twice",
        "unknown prefix | CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H | unknown prefix 'CVSS:3.2'",
        "v2 has no prefix | CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P | unknown prefix 'CVSS:2.0'",
        "lower-case prefix | cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H | no CVSS prefix and not a v2 vector",
        "v3 vector without prefix | AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H | unknown metric 'PR' for CVSS 2.0",
        "prefix alone | CVSS:3.1 | no metrics after CVSS:3.1",
        "invalid value | CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H | 'AV:X' is not a CVSS 3.1 value (AV takes N, A,",
        "value with a tail | CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Hx | 'A:Hx' is not a CVSS 3.1 value",
        "values are case-sensitive | CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:red | 'U:red'",
        "trailing slash | CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ | empty metric",
        "no value | CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A: | 'A:' is not METRIC:VALUE",
        "no colon | CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/AH | 'AH' is not METRIC:VALUE",
        "S:S is only for modified subsequent impact | CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N"
            + " | 'SI:S' is not a CVSS 4.0 value",
        "parenthesised v2 | (AV:N/AC:L/Au:N/C:P/I:P/A:P) | no CVSS prefix and not a v2 vector",
      })
  void refusesInvalidVectorsSayingWhy(String why, String vector, String reason) {
    assertThatThrownBy(() -> Cvss.parse(vector))
        .isInstanceOf(InvalidCvssVectorException.class)
        .hasMessageStartingWith("invalid CVSS vector: ")
        .hasMessageContaining(reason);
  }

  @Test
  void refusesEmptyNullAndOverlongInputBeforeReadingIt() {
    assertThatThrownBy(() -> Cvss.parse(null))
        .isInstanceOf(InvalidCvssVectorException.class)
        .hasMessageContaining("no vector");
    assertThatThrownBy(() -> Cvss.parse(" \t"))
        .isInstanceOf(InvalidCvssVectorException.class)
        .hasMessageContaining("empty vector");
    String longest =
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A/CR:H/IR:H/AR:H/MAV:N/MAC:L/MAT:N"
            + "/MPR:N/MUI:N/MVC:H/MVI:H/MVA:H/MSC:H/MSI:S/MSA:S/S:P/AU:Y/R:I/V:C/RE:H/U:Amber";
    assertThat(Cvss.parse(longest).score()).isEqualTo(new BigDecimal("10.0"));
    String overlong = longest + " ".repeat(CvssVector.MAX_LENGTH + 1 - longest.length());
    assertThatThrownBy(() -> Cvss.parse(overlong))
        .isInstanceOf(InvalidCvssVectorException.class)
        .hasMessageContaining("longer than 256 characters (257)");
    assertThatThrownBy(() -> Cvss.parse("AV:N/".repeat(100_000)))
        .isInstanceOf(InvalidCvssVectorException.class)
        .hasMessageContaining("longer than 256 characters (500000)");
  }

  @Test
  void quotesHostileTextSafelyAndBriefly() {
    InvalidCvssVectorException refused =
        (InvalidCvssVectorException)
            catchThrowable(
                () -> Cvss.parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/\u001b[31m" + "x".repeat(100) + ":Y"));

    assertThat(refused.reason()).startsWith("unknown metric '?[31mxxxxxxxx").contains("…'").doesNotContain("\u001b");
    assertThat(refused.reason().length()).isLessThan(80);
  }

  @Test
  void checksVectorsBuiltInCode() {
    assertThatThrownBy(() -> new CvssVector(CvssVersion.V3_1, Map.of("AV", "N")))
        .isInstanceOf(InvalidCvssVectorException.class)
        .hasMessageContaining("mandatory metrics AC, PR, UI, S, C, I, A missing");
  }
}
