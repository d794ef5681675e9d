package io.portcullis.scanner.severity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeverityTests {

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        // source | word | severity
        "GitHub advisories | CRITICAL | CRITICAL",
        "GitHub advisories | HIGH | HIGH",
        "GitHub advisories | MODERATE | MEDIUM",
        "GitHub advisories | LOW | LOW",
        "Bitnami | Critical | CRITICAL",
        "Bitnami | Medium | MEDIUM",
        "Bitnami | None | NONE",
        "Bitnami | Unknown | UNKNOWN",
        "Red Hat, AlmaLinux, Rocky | Important | HIGH",
        "Red Hat, AlmaLinux, Rocky | Moderate | MEDIUM",
        "SUSE | important | HIGH",
        "Debian | high | HIGH",
        "Debian | medium | MEDIUM",
        "Debian | low | LOW",
        "Debian | unimportant | LOW",
        "Debian | not yet assigned | UNKNOWN",
        "Debian | end-of-life | UNKNOWN",
        "Ubuntu | critical | CRITICAL",
        "Ubuntu | negligible | LOW",
        "Ubuntu | untriaged | UNKNOWN",
        "padded | '  High\t' | HIGH",
        "blank | '' | UNKNOWN",
        "missing | null | UNKNOWN",
        "anything else | severe | UNKNOWN",
        "a CVSS score is not a word | 9.8 | UNKNOWN",
        "long text | 'critical critical critical' | UNKNOWN",
      })
  void readsTheSeverityWordsOfAdvisoryDatabases(String source, String word, Severity expected) {
    assertThat(Severity.ofWord(word)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "'Important: thunderbird security update' | HIGH",
        "'Critical: firefox security update' | CRITICAL",
        "'Moderate: container-tools:rhel8 security update' | MEDIUM",
        "'Low: libtiff security update' | LOW",
        "'None: nodejs:20 bug fix' | NONE",
        "'container-tools:rhel8 bug fix and enhancement update' | UNKNOWN",
        "'idm:DL1 bug fix and enhancement update' | UNKNOWN",
        "'ALSA-2022:1234: kernel update' | UNKNOWN",
        "'NetworkManager bug fix and enhancement update' | UNKNOWN",
        "': nothing' | UNKNOWN",
        "null | UNKNOWN",
      })
  void readsTheSeverityAtTheStartOfRedHatStyleAdvisoryTitles(String title, Severity expected) {
    assertThat(Severity.ofAdvisoryTitle(title)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "V3_1 | 0.0 | NONE",
        "V3_1 | 0.1 | LOW",
        "V3_1 | 3.9 | LOW",
        "V3_1 | 4.0 | MEDIUM",
        "V3_1 | 6.9 | MEDIUM",
        "V3_1 | 7.0 | HIGH",
        "V3_1 | 8.9 | HIGH",
        "V3_1 | 9.0 | CRITICAL",
        "V3_1 | 10.0 | CRITICAL",
        "V3_0 | 9.0 | CRITICAL",
        "V4_0 | 0.0 | NONE",
        "V4_0 | 0.1 | LOW",
        "V4_0 | 6.9 | MEDIUM",
        "V4_0 | 8.9 | HIGH",
        "V4_0 | 9.0 | CRITICAL",
        "V2_0 | 0.0 | LOW",
        "V2_0 | 3.9 | LOW",
        "V2_0 | 4.0 | MEDIUM",
        "V2_0 | 6.9 | MEDIUM",
        "V2_0 | 7.0 | HIGH",
        "V2_0 | 10.0 | HIGH",
      })
  void ratesScoresWithEachVersionsTable(CvssVersion version, String score, Severity expected) {
    assertThat(Severity.ofCvss(version, new BigDecimal(score))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"-0.1", "10.1"})
  void refusesScoresOutsideTheScale(String score) {
    assertThatThrownBy(() -> Severity.ofCvss(CvssVersion.V3_1, new BigDecimal(score)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
