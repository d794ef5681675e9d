package io.portcullis.scanner.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.portcullis.scanner.testing.TestCertificateAuthority;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTests {

  @ParameterizedTest
  @ValueSource(
      strings = {"https://registry.example.com", "https://registry.example.com/", "HTTPS://Registry.example.com"})
  void urlIsReducedToItsOrigin(String url) {
    assertThat(OciRegistry.Settings.of(url).url()).isEqualTo(URI.create("https://registry.example.com"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://registry.example.com",
        "registry.example.com:5000",
        "https://registry.example.com/v2/",
        "https://registry.example.com?x=1",
        "https://user:secret@registry.example.com"
      })
  void urlsThatAreNotAnOriginAreRefused(String url) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> OciRegistry.Settings.of(url))
        .withMessageNotContaining("secret");
  }

  @Test
  void credentialsGoOverPlainHttpOnlyToLoopback() {
    Credentials basic = Credentials.basic("scanner", "secret");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> OciRegistry.Settings.of("http://registry.internal:5000").withCredentials(basic))
        .withMessageContaining("use https");
    assertThat(OciRegistry.Settings.of("http://127.0.0.1:5000").withCredentials(basic).credentials()).isEqualTo(basic);
    assertThat(OciRegistry.Settings.of("http://localhost:5000").withCredentials(basic).credentials()).isEqualTo(basic);
  }

  @Test
  void trustedCertificatesMustBePem() {
    OciRegistry.Settings settings = OciRegistry.Settings.of("https://registry.example.com");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> settings.withTrustedCertificates("not a certificate"))
        .withMessageContaining("not valid PEM");
    assertThat(settings.withTrustedCertificates(TestCertificateAuthority.create("ca").certificatePem()).toString())
        .contains("trustedCertificates=custom")
        .doesNotContain("BEGIN CERTIFICATE");
  }

  @Test
  void secretsStayOutOfToString() {
    OciRegistry.Settings settings =
        OciRegistry.Settings.of("https://registry.example.com")
            .withCredentials(Credentials.basic("scanner", "hunter2"));

    assertThat(settings.toString()).contains("scanner").doesNotContain("hunter2");
    assertThat(Credentials.bearer("tok.en.value").toString()).doesNotContain("tok.en.value");
  }

  @Test
  void credentialsThatWouldBreakAHeaderAreRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> Credentials.basic("a:b", "x"));
    assertThatIllegalArgumentException().isThrownBy(() -> Credentials.basic("a", "x\r\nHost: evil"));
    assertThatIllegalArgumentException().isThrownBy(() -> Credentials.bearer("abc def"));
  }
}
