package io.portcullis.scanner.analysis.golang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.scanner.analysis.golang.GoBuildInfo.Module;
import io.portcullis.scanner.analysis.os.PackageDatabaseException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The module information between the sentinels, parsed as runtime/debug.ParseBuildInfo does, but line by line. */
class GoBuildInfoTests {

  @Test
  void readsPathMainModuleDependenciesAndSettings() throws Exception {
    GoBuildInfo info = GoBuildInfo.parse("go1.22.1", """
        path\tgithub.com/acme/tool/cmd/tool
        mod\tgithub.com/acme/tool\tv1.4.0\th1:main=
        dep\tgithub.com/pkg/errors\tv0.9.1\th1:errors=
        dep\tgolang.org/x/net\tv0.1.0
        =>\tgolang.org/x/net\tv0.23.0\th1:net=
        dep\texample.com/local\tv0.0.0
        =>\t../local\t(devel)\t
        build\t-ldflags="-s -w -X main.version=1.4.0"
        build\tCGO_ENABLED=0
        """, 100);

    assertThat(info.goVersion()).isEqualTo("go1.22.1");
    assertThat(info.path()).isEqualTo("github.com/acme/tool/cmd/tool");
    assertThat(info.main()).isEqualTo(new Module("github.com/acme/tool", "v1.4.0", "h1:main=", null));
    assertThat(info.deps()).containsExactly(
        new Module("github.com/pkg/errors", "v0.9.1", "h1:errors=", null),
        new Module("golang.org/x/net", "v0.1.0", "", new Module("golang.org/x/net", "v0.23.0", "h1:net=", null)),
        new Module("example.com/local", "v0.0.0", "", new Module("../local", "(devel)", "", null)));
    assertThat(info.deps().get(1).compiled().version()).isEqualTo("v0.23.0");
    assertThat(info.settings()).containsExactly("-ldflags=\"-s -w -X main.version=1.4.0\"", "CGO_ENABLED=0");
    assertThat(info.malformedLines()).isZero();
  }

  @Test
  void binariesBuiltOutsideModuleModeHaveAPathOnly() throws Exception {
    GoBuildInfo info = GoBuildInfo.parse("go1.19.8", "path\tgithub.com/docker/distribution/cmd/registry\n"
        + "build\t-compiler=gc\n", 100);
    assertThat(info.main()).isNull();
    assertThat(info.deps()).isEmpty();
    assertThat(info.path()).isEqualTo("github.com/docker/distribution/cmd/registry");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a dep with one column                | dep\\tgithub.com/a                      | 0",
        "a dep with four columns              | dep\\tgithub.com/a\\tv1\\th1:x\\textra  | 0",
        "a replacement with two columns       | dep\\tgithub.com/a\\tv1\\n=>\\tgithub.com/b\\tv2 | 1",
        "a replacement before any module      | =>\\tgithub.com/b\\tv2\\th1:y           | 0",
        "a second replacement in a row        | dep\\tgithub.com/a\\tv1\\n=>\\tb\\tv2\\t\\n=>\\tc\\tv3\\t | 1",
      })
  void skipsAndCountsLinesGoWouldRefuse(String name, String text, int deps) throws Exception {
    String lines = text.strip().replace("\\t", "\t").replace("\\n", "\n") + "\n";
    GoBuildInfo info = GoBuildInfo.parse("go1.22.1", "path\tx\n" + lines + "dep\tgithub.com/z\tv1.0.0\t\n", 100);
    assertThat(info.malformedLines()).isEqualTo(1);
    assertThat(info.deps()).hasSize(deps + 1).last().extracting(Module::path).isEqualTo("github.com/z");
  }

  @Test
  void ignoresUnknownLinesAndALastLineWithoutNewline() throws Exception {
    GoBuildInfo info = GoBuildInfo.parse("go1.22.1", "future\tsomething\ndep\ta\tv1\t\ndep\tb\tv2\t", 100);
    assertThat(info.deps()).extracting(Module::path).containsExactly("a");
    assertThat(info.malformedLines()).isZero();
  }

  @Test
  void refusesMoreModulesThanTheLimit() {
    String many = "dep\tm\tv1\t\n".repeat(11);
    assertThatThrownBy(() -> GoBuildInfo.parse("go1.22.1", many, 10))
        .isInstanceOf(PackageDatabaseException.class).hasMessageContaining("more than 10 modules");
    assertThatThrownBy(() -> GoBuildInfo.parse("go1.22.1", "build\tA=1\n".repeat(11), 10))
        .isInstanceOf(PackageDatabaseException.class).hasMessageContaining("more than 10 build settings");
  }

  @Test
  void printsAsGoVersionMinusMDoes() throws Exception {
    GoBuildInfo info = GoBuildInfo.parse("go1.15.2", "path\tp\nmod\tp\t(devel)\t\ndep\ta\tv1\n=>\tb\tv2\th1:b\n", 10);
    assertThat(info.asGoVersionLines())
        .isEqualTo(List.of("go1.15.2", "\tpath\tp", "\tmod\tp\t(devel)\t", "\tdep\ta\tv1", "\t=>\tb\tv2\th1:b"));
  }
}
