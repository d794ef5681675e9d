package io.portcullis.registry.internal.acr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.containers.containerregistry.models.ContainerRegistryAudience;
import com.azure.core.credential.TokenCredential;
import com.azure.identity.ManagedIdentityCredential;
import io.portcullis.registry.internal.acr.AcrCredentials.CertificatePem;
import io.portcullis.registry.internal.acr.AcrCredentials.FederatedTokenFile;
import io.portcullis.registry.internal.acr.AcrCredentials.ManagedIdentity;
import io.portcullis.registry.internal.acr.AcrCredentials.Secret;
import io.portcullis.registry.internal.acr.AcrCredentials.WorkloadIdentity;
import io.portcullis.registry.internal.acr.FakeEntra.TokenRequest;
import io.portcullis.scanner.image.Manifests;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryException.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.util.Base64;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credentials of {@link AcrCredentials}, each followed from Entra to the registry: a fake Entra token endpoint on
 * loopback (reached through the configurable authority host) issues the token that the fake registry then accepts at
 * its exchange.
 */
class AcrCredentialsTests {

  private static final String TENANT = "8a1f4bd6-3e52-4c4e-9c1e-0f4b7c2d9e11";
  private static final String CLIENT = "5d3c0a8e-1b2f-4e6d-8a7c-9f0e1d2c3b4a";
  private static final String OCI_INDEX = Manifests.OCI_INDEX;

  private MockWebServer entraServer;
  private MockWebServer registryServer;
  private FakeEntra entra;
  private FakeAcr acr;
  private AzureCloud cloud;
  private AcrTransport transport;
  private URI registry;

  @BeforeEach
  void start() throws IOException {
    entraServer = new MockWebServer();
    entraServer.useHttps(LoopbackTls.serverSockets());
    entra = new FakeEntra();
    entraServer.setDispatcher(entra);
    entraServer.start();

    registryServer = new MockWebServer();
    registryServer.useHttps(LoopbackTls.serverSockets());
    registryServer.start();
    registry = URI.create("https://" + registryServer.getHostName() + ":" + registryServer.getPort());
    acr = new FakeAcr(registryServer.getHostName(), registry.toString());
    registryServer.setDispatcher(acr);
    byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[]}")
        .getBytes(StandardCharsets.UTF_8);
    acr.pushManifest("app", OCI_INDEX, index, "latest");

    cloud =
        new AzureCloud(
            URI.create("https://" + entraServer.getHostName() + ":" + entraServer.getPort()),
            ContainerRegistryAudience.fromString("https://containerregistry.azure.net"),
            registryServer.getHostName());
    transport = AcrTransport.defaults().withTrust(LoopbackTls.clientTrust()).withRetries(1, Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    entraServer.close();
    registryServer.close();
  }

  @Test
  void aServicePrincipalWithASecretSignsInAtTheConfiguredAuthority() throws RegistryException {
    TokenCredential credential =
        new AcrCredentials(cloud, transport).servicePrincipal(TENANT, CLIENT, new Secret("s3cr3t"));

    readManifestAs(credential);

    TokenRequest request = onlyTokenRequest();
    assertThat(request.tenant()).isEqualTo(TENANT);
    assertThat(request.form())
        .containsEntry("grant_type", "client_credentials")
        .containsEntry("client_id", CLIENT)
        .containsEntry("client_secret", "s3cr3t")
        .hasEntrySatisfying(
            "scope", scope -> assertThat(scope.split(" ")).contains("https://containerregistry.azure.net/.default"));
    assertThat(entra.otherPaths).as("instance discovery is off for a non-Microsoft authority").isEmpty();
  }

  @Test
  void thePortcullisApplicationSignsInWithACertificate() throws Exception {
    HeldCertificate certificate = new HeldCertificate.Builder().commonName("portcullis").rsa2048().build();
    String pem = certificate.privateKeyPkcs8Pem() + certificate.certificatePem();
    TokenCredential credential =
        new AcrCredentials(cloud, transport).portcullisApplication(TENANT, CLIENT, new CertificatePem(pem));

    readManifestAs(credential);

    TokenRequest request = onlyTokenRequest();
    assertThat(request.form())
        .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        .doesNotContainKey("client_secret");
    assertSignedBy(request.form().get("client_assertion"), certificate.keyPair().getPublic());
  }

  @Test
  void aFederatedTokenFileIsSentAsTheAssertion(@TempDir Path directory) throws Exception {
    Path tokenFile = Files.writeString(directory.resolve("token"), "projected.service-account.token");
    TokenCredential credential =
        new AcrCredentials(cloud, transport).portcullisApplication(TENANT, CLIENT, new FederatedTokenFile(tokenFile));

    readManifestAs(credential);

    assertThat(onlyTokenRequest().form()).containsEntry("client_assertion", "projected.service-account.token");
  }

  @Test
  void workloadIdentityUsesTheProjectedToken(@TempDir Path directory) throws Exception {
    Path tokenFile = Files.writeString(directory.resolve("token"), "workload.token");
    TokenCredential credential =
        new AcrCredentials(cloud, transport)
            .platformIdentity(new WorkloadIdentity(TENANT, CLIENT, tokenFile));

    readManifestAs(credential);

    assertThat(onlyTokenRequest().form())
        .containsEntry("client_id", CLIENT)
        .containsEntry("client_assertion", "workload.token");
  }

  @Test
  void aSecretEntraRefusesIsUnauthorizedWithEntrasReason() {
    entra.refuseClients = true;
    TokenCredential credential =
        new AcrCredentials(cloud, transport).servicePrincipal(TENANT, CLIENT, new Secret("wrong"));
    AcrSource source = new AcrSources(cloud, transport, AcrLimits.defaults(), Manifests::parse)
        .open(registry, credential);

    assertThatThrownBy(() -> source.manifest("app", "latest"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED))
        .hasMessageContaining("AADSTS7000215")
        .hasMessageNotContaining("wrong");
    assertThat(acr.requests).noneMatch(r -> r.getUrl().encodedPath().equals("/oauth2/exchange"));
  }

  @Test
  void managedIdentityIsChosenExplicitly() {
    AcrCredentials credentials = new AcrCredentials(cloud, transport);

    assertThat(credentials.platformIdentity(new ManagedIdentity(null))).isInstanceOf(ManagedIdentityCredential.class);
    assertThat(credentials.platformIdentity(new ManagedIdentity(CLIENT))).isInstanceOf(ManagedIdentityCredential.class);
  }

  @Test
  void whatATenantSuppliesIsHeldToItsPlace(@TempDir Path directory) {
    AcrCredentials credentials = new AcrCredentials(cloud, transport);

    assertThatThrownBy(() -> credentials.servicePrincipal(TENANT, CLIENT, new FederatedTokenFile(directory)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> credentials.portcullisApplication("contoso.onmicrosoft.com", CLIENT, new Secret("x")))
        .as("the application signs in to the tenant id of the sign-in, a GUID")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> credentials.servicePrincipal("common", CLIENT, new Secret("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(credentials.servicePrincipal("contoso.onmicrosoft.com", CLIENT, new Secret("x"))).isNotNull();
    assertThat(new Secret("s3cr3t").toString()).doesNotContain("s3cr3t");
    assertThat(new CertificatePem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----BEGIN CERTIFICATE-----\nBBBB\n").toString())
        .doesNotContain("AAAA");
  }

  // --- helpers ------------------------------------------------------------------------------------------------------

  private void readManifestAs(TokenCredential credential) throws RegistryException {
    AcrSource source =
        new AcrSources(cloud, transport, AcrLimits.defaults(), Manifests::parse)
            .open(registry, credential);
    assertThat(source.manifest("app", "latest").mediaType()).isEqualTo(OCI_INDEX);
    assertThat(acr.requests)
        .filteredOn(r -> r.getUrl().encodedPath().equals("/oauth2/exchange"))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.getBody().utf8()).contains(FakeAcr.ENTRA_TOKEN));
  }

  private TokenRequest onlyTokenRequest() {
    assertThat(entra.tokenRequests).hasSize(1);
    return entra.tokenRequests.get(0);
  }

  /** Checks a client assertion's signature with the certificate's key, for the two algorithms MSAL uses. */
  private static void assertSignedBy(String jwt, PublicKey key) throws Exception {
    String[] parts = jwt.split("\\.");
    assertThat(parts).hasSize(3);
    String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
    Signature verifier;
    if (header.contains("\"PS256\"")) {
      verifier = Signature.getInstance("RSASSA-PSS");
      verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    } else {
      assertThat(header).contains("\"RS256\"");
      verifier = Signature.getInstance("SHA256withRSA");
    }
    verifier.initVerify(key);
    verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(verifier.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(claims).contains("\"iss\":\"" + CLIENT + "\"");
  }
}
