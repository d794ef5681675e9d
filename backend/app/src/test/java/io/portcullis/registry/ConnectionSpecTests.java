package io.portcullis.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectionSpecTests {

  @ParameterizedTest
  @CsvSource({
    "ACR, contoso.azurecr.io, https://contoso.azurecr.io",
    "ACR, https://Contoso.azurecr.io/, https://contoso.azurecr.io",
    "OCI, https://registry.example.com:5000, https://registry.example.com:5000",
    "OCI, http://10.0.0.5:5000, http://10.0.0.5:5000",
    "OCI, ghcr.io, https://ghcr.io",
  })
  void endpointsAreNormalised(ConnectionKind kind, String given, String stored) {
    assertThat(spec(kind, given).normalisedEndpoint()).isEqualTo(stored);
  }

  @ParameterizedTest
  @CsvSource({
    "ACR, http://contoso.azurecr.io, over https",
    "OCI, ftp://registry.example.com, https://",
    "OCI, https://user:pw@registry.example.com, only the scheme",
    "OCI, https://registry.example.com/v2/, only the scheme",
    "OCI, https://registry.example.com?x=1, only the scheme",
    "OCI, https://bad_host!.example.com, host name",
    "OCI, '', registry URL",
  })
  void badEndpointsAreExplained(ConnectionKind kind, String given, String message) {
    assertThat(spec(kind, given).problems(true, false)).containsKey("endpoint");
    assertThat(spec(kind, given).problems(true, false).get("endpoint")).contains(message);
  }

  @org.junit.jupiter.api.Test
  void requiredFieldsDependOnTheAuthentication() {
    var basicWithoutSecret =
        new ConnectionSpec("n", ConnectionKind.OCI, "https://r.example", Authentication.BASIC, "u", null, "", null, List.of(), List.of(), Duration.ofHours(1));
    assertThat(basicWithoutSecret.problems(true, false)).containsKey("secret");
    assertThat(basicWithoutSecret.problems(false, true)).doesNotContainKey("secret");
    var servicePrincipal =
        new ConnectionSpec("n", ConnectionKind.ACR, "c.azurecr.io", Authentication.ACR_SERVICE_PRINCIPAL, "", "not-a-guid", "s", null, List.of(), List.of(), Duration.ofHours(1));
    assertThat(servicePrincipal.problems(true, false)).containsKeys("username", "azureTenantId");
    var wrongKind =
        new ConnectionSpec("n", ConnectionKind.ACR, "c.azurecr.io", Authentication.BASIC, "u", null, "s", null, List.of(), List.of(), Duration.ofHours(1));
    assertThat(wrongKind.problems(true, false)).containsKey("authentication");
    var badGlobAndInterval =
        new ConnectionSpec("n", ConnectionKind.OCI, "r.example", Authentication.ANONYMOUS, null, null, null, "not a pem", List.of("ok/**", "bad glob;"), List.of(), Duration.ofMinutes(1));
    assertThat(badGlobAndInterval.problems(true, false)).containsKeys("repositories", "discoveryInterval", "caCertificates");
  }

  private static ConnectionSpec spec(ConnectionKind kind, String endpoint) {
    Authentication auth = kind == ConnectionKind.ACR ? Authentication.ACR_APPLICATION : Authentication.ANONYMOUS;
    return new ConnectionSpec("n", kind, endpoint, auth, null, null, null, null, List.of(), List.of(), Duration.ofHours(1));
  }
}
