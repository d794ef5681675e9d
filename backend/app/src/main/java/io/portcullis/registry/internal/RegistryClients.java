package io.portcullis.registry.internal;

import io.portcullis.registry.Connection;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistrySource;
import io.portcullis.scanner.image.registry.Credentials;
import io.portcullis.scanner.image.registry.OciRegistry;
import java.net.URI;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The client for each kind of connection: the OCI distribution client for OCI registries and for ACR tokens (an ACR
 * accepts its tokens through the standard token flow), the Azure SDK for the Entra ID ways into an ACR.
 */
@Component
class RegistryClients implements RegistrySources.SourceFactory {

  private final AzureRegistries azure;
  private final RegistryProperties properties;

  RegistryClients(AzureRegistries azure, RegistryProperties properties) {
    this.azure = azure;
    this.properties = properties;
  }

  @Override
  public RegistrySource create(Connection connection, URI endpoint, String secret) throws RegistryException {
    return switch (connection.authentication()) {
      case ANONYMOUS -> oci(connection, endpoint, Credentials.anonymous());
      case BASIC, ACR_TOKEN -> oci(connection, endpoint, Credentials.basic(connection.username(), secret));
      case BEARER -> oci(connection, endpoint, Credentials.bearer(secret));
      case ACR_APPLICATION, ACR_SERVICE_PRINCIPAL, ACR_MANAGED_IDENTITY -> azure.open(connection, endpoint, secret);
    };
  }

  private RegistrySource oci(Connection connection, URI endpoint, Credentials credentials) throws RegistryException {
    try {
      OciRegistry.Settings settings =
          OciRegistry.Settings.of(endpoint.toString())
              .withCredentials(credentials)
              .withTimeouts(Duration.ofSeconds(10), properties.requestTimeout())
              .withLimits(
                  new OciRegistry.Limits(
                      OciRegistry.Limits.DEFAULT.pageSize(),
                      properties.maxRepositories(),
                      properties.maxPages(),
                      OciRegistry.Limits.DEFAULT.maxJsonBytes(),
                      properties.maxRetryWait()));
      if (connection.caCertificates() != null && !connection.caCertificates().isBlank()) {
        settings = settings.withTrustedCertificates(connection.caCertificates());
      }
      return new OciRegistry(settings);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(RegistryException.Kind.MALFORMED, "the connection cannot be used: " + e.getMessage(), e);
    }
  }
}
