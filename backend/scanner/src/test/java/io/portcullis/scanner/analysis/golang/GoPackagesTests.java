package io.portcullis.scanner.analysis.golang;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.sbom.FoundPackage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoPackagesTests {

  /** As the Go vulnerability database (and OSV's Go ecosystem) writes stdlib versions: semver without {@code v}. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      nullValues = "null",
      value = {
        "go1.22.1, 1.22.1",
        "go1.22.1 X:loopvar, 1.22.1",
        "go1.22.3 X:boringcrypto, 1.22.3",
        "go1.20, 1.20.0",
        "go1.21rc2, 1.21.0-rc.2",
        "go1.18beta1, 1.18.0-beta.1",
        "go1.15.2, 1.15.2",
        "go1, 1.0.0",
        "devel go1.23-7e8a2b0 Tue Apr 9 10:00:00 2024 +0000, null",
        "go1.25-20250209-RC00 cl/724970549 +ff27d270c9 X:fieldtrack, null",
        "gccgo, null",
      })
  void stdlibVersions(String goVersion, String expected) {
    assertThat(GoPackages.stdlibVersion(goVersion)).isEqualTo(expected);
  }

  @Test
  void theStandardLibraryTheMainModuleAndTheModulesCompiledIn() throws Exception {
    GoBuildInfo info = GoBuildInfo.parse("go1.22.1 X:loopvar", """
        path\tgithub.com/Acme/tool/cmd/tool
        mod\tgithub.com/Acme/tool\t(devel)\t
        dep\tgithub.com/pkg/errors\tv0.9.1\th1:x=
        dep\tgolang.org/x/net\tv0.1.0
        =>\tgolang.org/x/net\tv0.23.0\th1:y=
        dep\tgithub.com/old/name\tv1.0.0
        =>\tgithub.com/new/name\tv1.1.0+incompatible\th1:z=
        dep\tk8s.io/api\tv0.0.0
        =>\t./staging/src/k8s.io/api\t(devel)\t
        dep\tgopkg.in/yaml.v3\tv3.0.1\th1:w=
        dep\t\tDevel\t
        dep\tgithub.com/pkg/errors\tv0.9.1\th1:x=
        """, 100);
    FileFindings findings = new FileFindings();

    GoPackages.record(info, "usr/local/bin/tool", findings);

    assertThat(findings.packages()).extracting(p -> p.name() + " " + p.version() + " " + p.purl()).containsExactly(
        "stdlib 1.22.1 pkg:golang/stdlib@1.22.1",
        "github.com/Acme/tool (devel) pkg:golang/github.com/acme/tool",
        "github.com/pkg/errors v0.9.1 pkg:golang/github.com/pkg/errors@v0.9.1",
        "golang.org/x/net v0.23.0 pkg:golang/golang.org/x/net@v0.23.0",
        "github.com/new/name v1.1.0+incompatible pkg:golang/github.com/new/name@v1.1.0%2Bincompatible",
        "k8s.io/api (devel) pkg:golang/k8s.io/api",
        "gopkg.in/yaml.v3 v3.0.1 pkg:golang/gopkg.in/yaml.v3@v3.0.1");
    assertThat(findings.packages()).allSatisfy(p -> {
      assertThat(p.type()).isEqualTo("golang");
      assertThat(p.foundBy()).isEqualTo("go-binary");
      assertThat(p.path()).isEqualTo("usr/local/bin/tool");
    });
    assertThat(findings.problems()).isEmpty();
  }

  @Test
  void aToolchainThatIsNoReleaseKeepsItsNameAndNoPurlVersion() throws Exception {
    FileFindings findings = new FileFindings();
    GoPackages.record(GoBuildInfo.parse("devel go1.23-7e8a2b0", "", 10), "app", findings);
    assertThat(findings.packages()).extracting(FoundPackage::version, FoundPackage::purl)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("devel go1.23-7e8a2b0", "pkg:golang/stdlib"));
  }

  @Test
  void malformedLinesBecomeAProblem() throws Exception {
    FileFindings findings = new FileFindings();
    GoPackages.record(GoBuildInfo.parse("go1.22.1", "dep\tbroken\n", 10), "app", findings);
    assertThat(findings.problems()).containsExactly("app: 1 malformed lines of Go module information skipped");
  }

  @ParameterizedTest
  @CsvSource({"./x, true", "../x, true", "/abs, true", "C:\\\\x, true", "..\\\\x, true", "github.com/x, false",
      "example.com/x/v2, false"})
  void directoryReplacements(String path, boolean directory) {
    assertThat(GoPackages.isDirectory(path)).isEqualTo(directory);
  }
}
