package io.portcullis.scanner.analysis.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.scanner.analysis.lang.LanguagePackage.Ecosystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguagePackageTests {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    // ecosystem, name,                 version,  purl
    "NPM,         lodash,               4.17.21,  pkg:npm/lodash@4.17.21",
    "NPM,         @babel/core,          7.22.5,   pkg:npm/%40babel/core@7.22.5",
    "PYPI,        Zope.Interface,       6.0,      pkg:pypi/zope-interface@6.0",
    "PYPI,        typing__extensions,   4.7.1,    pkg:pypi/typing-extensions@4.7.1",
    "PYPI,        Unidecode,            0.4.1,    pkg:pypi/unidecode@0.4.1",
    "NUGET,       Newtonsoft.Json,      13.0.1,   pkg:nuget/Newtonsoft.Json@13.0.1",
  })
  void buildsThePurlTheSpecDescribes(Ecosystem ecosystem, String name, String version, String purl) {
    LanguagePackage p = new LanguagePackage(ecosystem, name, version, false, "test", "/f");

    assertThat(p.purl().canonicalize()).isEqualTo(purl);
  }

  @Test
  void namesEcosystemsAsOsvDoes() {
    assertThat(Ecosystem.NPM.osvName()).isEqualTo("npm");
    assertThat(Ecosystem.PYPI.osvName()).isEqualTo("PyPI");
    assertThat(Ecosystem.NUGET.osvName()).isEqualTo("NuGet");
  }

  @Test
  void refusesAPurlForAnEmptyName() {
    LanguagePackage p = new LanguagePackage(Ecosystem.NPM, "", "1.0.0", false, "test", "/f");

    assertThatThrownBy(p::purl).isInstanceOf(IllegalArgumentException.class);
  }
}
