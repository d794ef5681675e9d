package io.portcullis.registry.internal.acr;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.identity.AadCredentialBuilderBase;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The Entra identities Portcullis reads a registry as. Each method returns a {@link TokenCredential} for
 * {@link AcrSources#open}; tokens are fetched when the registry is first called, and cached by the credential.
 *
 * <ol>
 *   <li><b>The Portcullis application</b> ({@link #portcullisApplication}): the multi-tenant app registration,
 *       signing in to the customer's tenant after the customer consented to it and gave it AcrPull. Its proof is
 *       Portcullis's own configuration, never the tenant's.
 *   <li><b>A service principal of the tenant</b> ({@link #servicePrincipal}): an app registration in the customer's
 *       tenant, with a secret or certificate the tenant gave Portcullis.
 *   <li><b>The platform's own identity</b> ({@link #platformIdentity}): the managed identity of the machine Portcullis
 *       runs on, or its Kubernetes workload identity. An identity lives in one tenant, so this reaches only registries
 *       that tenant's administrators opened to it: meant for a self-hosted, single-organisation installation.
 * </ol>
 *
 * <p>A repository-scoped ACR token (user name and password) is no Entra identity and is not made here: ACR accepts it
 * through the standard Docker token flow, so the OCI distribution client handles it.
 *
 * <p>The tenant id a credential signs in to decides whose registries it can read. For the Portcullis application it
 * must be the tenant id the organisation signed in with (the {@code tid} of its onboarding), never a value typed into a
 * form: otherwise one organisation could point Portcullis at another's consented tenant.
 */
public final class AcrCredentials {

  /** Entra tenant ids are GUIDs; a verified domain name is also accepted where a tenant supplies its own principal. */
  private static final Pattern TENANT_DOMAIN = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");

  private final AzureCloud cloud;
  private final HttpClient http;
  private final int maxRetries;

  public AcrCredentials(AzureCloud cloud, AcrTransport transport) {
    this.cloud = Objects.requireNonNull(cloud, "cloud");
    this.http = transport.httpClient();
    this.maxRetries = transport.maxRetries();
  }

  /** How an application proves who it is to Entra. */
  public sealed interface ClientProof permits Secret, CertificatePem, FederatedTokenFile {}

  /** A client secret. */
  public record Secret(String value) implements ClientProof {
    public Secret {
      requireText(value, "the secret");
    }

    @Override
    public String toString() {
      return "Secret[redacted]";
    }
  }

  /** A certificate and its private key in PEM, in one text (PKCS#8 key, then or before the certificate). */
  public record CertificatePem(String pem) implements ClientProof {
    public CertificatePem {
      requireText(pem, "the PEM");
      if (!pem.contains("PRIVATE KEY-----") || !pem.contains("-----BEGIN CERTIFICATE-----")) {
        throw new IllegalArgumentException("the PEM must hold the private key and the certificate");
      }
    }

    @Override
    public String toString() {
      return "CertificatePem[redacted]";
    }
  }

  /**
   * A file holding a token that Entra trusts through a federated credential of the application, such as the Kubernetes
   * service-account token that workload identity projects into the pod. No secret to store or rotate. Portcullis's own
   * configuration only: a tenant never names a file.
   */
  public record FederatedTokenFile(Path path) implements ClientProof {
    public FederatedTokenFile {
      Objects.requireNonNull(path, "path");
    }
  }

  /** The identity of the platform Portcullis runs on. */
  public sealed interface PlatformIdentity permits ManagedIdentity, WorkloadIdentity {}

  /**
   * An Azure managed identity (App Service, Container Apps, a virtual machine).
   *
   * @param clientId a user-assigned identity's client id, or null for the system-assigned identity
   */
  public record ManagedIdentity(String clientId) implements PlatformIdentity {}

  /**
   * Kubernetes workload identity (AKS): the pod's service-account token, federated with an Entra application or
   * user-assigned identity. The webhook sets {@code AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID} and
   * {@code AZURE_FEDERATED_TOKEN_FILE}; pass their values.
   */
  public record WorkloadIdentity(String tenantId, String clientId, Path tokenFile) implements PlatformIdentity {
    public WorkloadIdentity {
      requireText(tenantId, "the tenant id");
      requireText(clientId, "the client id");
      Objects.requireNonNull(tokenFile, "tokenFile");
    }
  }

  /**
   * Mode (a): the Portcullis multi-tenant application, in the customer's tenant.
   *
   * @param customerTenantId the tenant id (GUID) the organisation signed in with
   * @param clientId the application (client) id of the Portcullis app registration
   * @param proof from Portcullis's configuration: a secret, a certificate, or a federated token file
   */
  public TokenCredential portcullisApplication(String customerTenantId, String clientId, ClientProof proof) {
    requireGuid(customerTenantId, "the customer tenant id");
    return application(customerTenantId, clientId, proof);
  }

  /**
   * Mode (b): a service principal the tenant created and handed over.
   *
   * @param proof a {@link Secret} or {@link CertificatePem}; a token file is refused, files are Portcullis's own
   */
  public TokenCredential servicePrincipal(String tenantId, String clientId, ClientProof proof) {
    if (proof instanceof FederatedTokenFile) {
      throw new IllegalArgumentException("a tenant's service principal proves itself with a secret or a certificate");
    }
    requireTenant(tenantId);
    return application(tenantId, clientId, proof);
  }

  /**
   * Mode (c): the platform's identity. Chosen explicitly rather than with {@code DefaultAzureCredential}, whose chain
   * would also accept environment secrets and developer sign-ins (Azure CLI, IDEs) and, in a shared service, could
   * quietly read registries as whoever happened to be signed in on the machine. Managed identity fits App Service,
   * Container Apps and virtual machines; on AKS, workload identity is the supported way (the node's identity is shared
   * by every pod on it).
   */
  public TokenCredential platformIdentity(PlatformIdentity identity) {
    Objects.requireNonNull(identity, "identity");
    if (identity instanceof ManagedIdentity managed) {
      ManagedIdentityCredentialBuilder builder =
          new ManagedIdentityCredentialBuilder()
              .httpClient(http)
              .maxRetry(maxRetries)
              .httpLogOptions(AcrTransport.noHttpLogging());
      if (managed.clientId() != null && !managed.clientId().isBlank()) {
        builder.clientId(managed.clientId());
      }
      return builder.build();
    }
    WorkloadIdentity workload = (WorkloadIdentity) identity;
    return federated(workload.tenantId(), workload.clientId(), workload.tokenFile());
  }

  private TokenCredential application(String tenantId, String clientId, ClientProof proof) {
    requireText(clientId, "the client id");
    Objects.requireNonNull(proof, "proof");
    if (proof instanceof Secret secret) {
      return entra(new ClientSecretCredentialBuilder().clientSecret(secret.value()), tenantId, clientId).build();
    }
    if (proof instanceof CertificatePem certificate) {
      return entra(
              new ClientCertificateCredentialBuilder()
                  .pemCertificate(new ByteArrayInputStream(certificate.pem().getBytes(StandardCharsets.US_ASCII))),
              tenantId,
              clientId)
          .build();
    }
    FederatedTokenFile file = (FederatedTokenFile) proof;
    return federated(tenantId, clientId, file.path());
  }

  private TokenCredential federated(String tenantId, String clientId, Path tokenFile) {
    return entra(new WorkloadIdentityCredentialBuilder().tokenFilePath(tokenFile.toString()), tenantId, clientId).build();
  }

  /**
   * What every Entra sign-in shares, whatever the proof: the tenant and client, this cloud's authority (vouched for by
   * instance discovery only when Microsoft knows it), the shared HTTP client, bounded retries and no HTTP logging.
   */
  private <T extends AadCredentialBuilderBase<T>> T entra(T builder, String tenantId, String clientId) {
    builder
        .tenantId(tenantId)
        .clientId(clientId)
        .authorityHost(cloud.authorityHost().toString())
        .httpClient(http)
        .maxRetry(maxRetries)
        .httpLogOptions(AcrTransport.noHttpLogging());
    if (!cloud.knownAuthority()) {
      builder.disableInstanceDiscovery();
    }
    return builder;
  }

  private static void requireGuid(String value, String what) {
    requireText(value, what);
    if (!isGuid(value)) {
      throw new IllegalArgumentException(what + " must be a GUID");
    }
  }

  private static void requireTenant(String tenantId) {
    requireText(tenantId, "the tenant id");
    if (!isGuid(tenantId) && !TENANT_DOMAIN.matcher(tenantId).matches()) {
      throw new IllegalArgumentException("the tenant id must be a GUID or a verified domain name");
    }
  }

  private static boolean isGuid(String value) {
    try {
      return UUID.fromString(value).toString().equalsIgnoreCase(value);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is missing");
    }
  }
}
