package io.portcullis.scanner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CompareCommandTests {

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void printsTheOrderOfEachPairLikeDpkgCompareVersions() {
    int exit = run("1.0-1\t1.0-2\n2:1.0\t1:9.9\n1.0~rc1\t1.0~rc1\n", "compare", "dpkg");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("-1\n1\n0\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void takesAnOsvEcosystemAsTheScheme() {
    assertThat(run("1.0.0-rc.1\t1.0.0\r\n", "compare", "npm")).isZero();
    assertThat(run("1.0rc1\t1.0\n", "compare", "PyPI")).isZero();
    assertThat(run("1:2.3-4.el9\t1:2.3-10.el9\n", "compare", "Red Hat:enterprise_linux:9")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("-1\n-1\n-1\n");
  }

  @Test
  void reportsAnInvalidLineWithItsNumberAndGoesOn() {
    int exit = run("1.0\t2.0\n1.0-\t1.0\nno tab here\n3.0\t2.0\n", "compare", "dpkg");

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("-1\n\n\n1\n"); // aligned with the input
    assertThat(err.toString())
        .contains("compare: line 2: dpkg: invalid version \"1.0-\": revision number is empty")
        .contains("compare: line 3: expected two versions separated by a tab");
  }

  @Test
  void refusesAnUnknownSchemeOrAMissingOne() {
    assertThat(run("", "compare", "cobol")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown scheme cobol").contains("usage: compare SCHEME");
    assertThat(run("", "compare")).isEqualTo(2);
    assertThat(run("", "compare", "--help")).isZero();
    assertThat(out.toString()).contains("dpkg, apk, rpm, maven, npm, pypi, go, nuget, rubygems");
  }

  private int run(String stdin, String... args) {
    return new ScanCommand(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
        .run(args);
  }
}
