package io.portcullis.registry.internal;

import com.azure.core.credential.TokenCredential;
import io.portcullis.registry.Connection;
import io.portcullis.registry.internal.acr.AcrCredentials;
import io.portcullis.registry.internal.acr.AcrLimits;
import io.portcullis.registry.internal.acr.AcrSources;
import io.portcullis.registry.internal.acr.AcrTransport;
import io.portcullis.registry.internal.acr.AzureCloud;
import io.portcullis.scanner.image.Manifests;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistrySource;
import io.portcullis.tenancy.Tenants;
import java.net.URI;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * Opens Azure Container Registries through the Azure SDK with one of the three Entra identities a connection can use:
 * the Portcullis application in the organisation's own tenant, the organisation's service principal, or the platform's
 * managed or workload identity.
 */
@Component
class AzureRegistries {

  private final RegistryProperties.Azure settings;
  private final AcrSources sources;
  private final AcrCredentials credentials;
  private final Tenants tenants;

  AzureRegistries(RegistryProperties properties, Tenants tenants) {
    this.settings = properties.azure();
    this.tenants = tenants;
    AzureCloud cloud =
        switch (settings.cloud()) {
          case "CHINA" -> AzureCloud.CHINA;
          case "US_GOVERNMENT" -> AzureCloud.US_GOVERNMENT;
          default -> AzureCloud.PUBLIC;
        };
    AcrTransport transport = AcrTransport.defaults().withRetries(2, properties.maxRetryWait());
    AcrLimits limits =
        new AcrLimits(
            properties.maxRepositories(),
            properties.maxRepositories(),
            properties.maxPages(),
            AcrLimits.defaults().maxManifestBytes());
    this.sources = new AcrSources(cloud, transport, limits, Manifests::parse);
    this.credentials = new AcrCredentials(cloud, transport);
  }

  RegistrySource open(Connection connection, URI endpoint, String secret) throws RegistryException {
    try {
      return sources.open(endpoint, credential(connection, secret));
    } catch (IllegalArgumentException e) {
      throw new RegistryException(RegistryException.Kind.MALFORMED, "the connection cannot be used: " + e.getMessage(), e);
    }
  }

  private TokenCredential credential(Connection connection, String secret) throws RegistryException {
    return switch (connection.authentication()) {
      case ACR_APPLICATION -> {
        if (settings.clientId() == null || settings.clientId().isBlank()) {
          throw new RegistryException(
              RegistryException.Kind.UNAUTHORIZED, "this installation has no Portcullis application configured for registries");
        }
        String organisation = tenants.current().entraTenantId();
        yield credentials.portcullisApplication(organisation, settings.clientId(), applicationProof());
      }
      case ACR_SERVICE_PRINCIPAL -> credentials.servicePrincipal(connection.azureTenantId(), connection.username(), proof(secret));
      case ACR_MANAGED_IDENTITY -> {
        if (!settings.managedIdentityEnabled()) {
          throw new RegistryException(
              RegistryException.Kind.UNAUTHORIZED,
              "this installation does not lend its own identity to connections (portcullis.registry.azure.managed-identity-enabled)");
        }
        yield credentials.platformIdentity(platformIdentity());
      }
      default -> throw new IllegalStateException("not an Entra ID connection: " + connection.authentication());
    };
  }

  private AcrCredentials.ClientProof applicationProof() throws RegistryException {
    if (settings.clientCertificate() != null && !settings.clientCertificate().isBlank()) {
      return new AcrCredentials.CertificatePem(settings.clientCertificate());
    }
    if (settings.clientSecret() != null && !settings.clientSecret().isBlank()) {
      return new AcrCredentials.Secret(settings.clientSecret());
    }
    throw new RegistryException(
        RegistryException.Kind.UNAUTHORIZED, "this installation has no secret or certificate for its registry application");
  }

  /** A service principal's secret, or its certificate when a PEM was pasted. */
  private static AcrCredentials.ClientProof proof(String secret) {
    if (secret != null && secret.contains("-----BEGIN")) {
      return new AcrCredentials.CertificatePem(secret);
    }
    return new AcrCredentials.Secret(secret);
  }

  private AcrCredentials.PlatformIdentity platformIdentity() {
    String tokenFile = System.getenv("AZURE_FEDERATED_TOKEN_FILE");
    if (tokenFile != null && !tokenFile.isBlank()) {
      return new AcrCredentials.WorkloadIdentity(System.getenv("AZURE_TENANT_ID"), System.getenv("AZURE_CLIENT_ID"), Path.of(tokenFile));
    }
    return new AcrCredentials.ManagedIdentity(settings.managedIdentityClientId());
  }
}
