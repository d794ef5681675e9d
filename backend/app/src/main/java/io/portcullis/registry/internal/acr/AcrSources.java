package io.portcullis.registry.internal.acr;

import com.azure.containers.containerregistry.ContainerRegistryAsyncClient;
import com.azure.containers.containerregistry.ContainerRegistryClientBuilder;
import com.azure.containers.containerregistry.ContainerRegistryContentClientBuilder;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.RetryPolicy;
import java.net.URI;
import java.util.Objects;

/**
 * Opens Azure Container Registries as {@link AcrSource}s. One instance serves the whole installation: it holds the
 * settings that do not change from one registry to the next, and one HTTP client whose connections all registries
 * share.
 *
 * <pre>{@code
 * AcrSources acr = new AcrSources(AzureCloud.PUBLIC, AcrTransport.defaults(), AcrLimits.defaults(), Manifests::parse);
 * RegistrySource source = acr.open(URI.create("https://contoso.azurecr.io"), credential);
 * }</pre>
 */
public final class AcrSources {

  private final AzureCloud cloud;
  private final HttpClient http;
  private final RetryPolicy retries;
  private final AcrLimits limits;
  private final ManifestParser parser;

  /**
   * @param parser reads manifest bytes; pass the scanner's {@code Manifests::parse}
   */
  public AcrSources(AzureCloud cloud, AcrTransport transport, AcrLimits limits, ManifestParser parser) {
    this.cloud = Objects.requireNonNull(cloud, "cloud");
    this.http = transport.httpClient();
    this.retries = transport.retryPolicy();
    this.limits = Objects.requireNonNull(limits, "limits");
    this.parser = Objects.requireNonNull(parser, "parser");
  }

  /**
   * A source for the registry at {@code endpoint}, signed in as {@code credential} (from {@link AcrCredentials}).
   * Nothing is sent until the source is used.
   *
   * @param endpoint the registry's login server as an https URL without a path, e.g. {@code https://contoso.azurecr.io}
   */
  public AcrSource open(URI endpoint, TokenCredential credential) {
    Objects.requireNonNull(credential, "credential");
    String url = checkedEndpoint(endpoint);
    ContainerRegistryAsyncClient registry =
        new ContainerRegistryClientBuilder()
            .endpoint(url)
            .credential(credential)
            .audience(cloud.acrAudience())
            .httpClient(http)
            .retryPolicy(retries)
            .httpLogOptions(AcrTransport.noHttpLogging())
            .buildAsyncClient();
    return new AcrSource(endpoint.getAuthority(), registry, repository -> contentClients(url, repository, credential),
        limits, parser);
  }

  private AcrSource.RepositoryClients contentClients(String url, String repository, TokenCredential credential) {
    ContainerRegistryContentClientBuilder builder =
        new ContainerRegistryContentClientBuilder()
            .endpoint(url)
            .repositoryName(repository)
            .credential(credential)
            .audience(cloud.acrAudience())
            .httpClient(http)
            .retryPolicy(retries)
            .httpLogOptions(AcrTransport.noHttpLogging())
            .addPolicy(new ManifestAcceptPolicy());
    return new AcrSource.RepositoryClients(builder.buildClient(), builder.buildAsyncClient());
  }

  /**
   * The SDK sends the credential's Entra token to whatever host it is given, so the endpoint is held to the form of a
   * login server of the configured cloud: https, a host under its registry domain, nothing else.
   */
  private String checkedEndpoint(URI endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    boolean bare =
        "https".equals(endpoint.getScheme())
            && endpoint.getHost() != null
            && endpoint.getUserInfo() == null
            && (endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() || "/".equals(endpoint.getRawPath()))
            && endpoint.getRawQuery() == null
            && endpoint.getRawFragment() == null;
    if (!bare) {
      throw new IllegalArgumentException("a registry endpoint is https://<login server>, not " + endpoint);
    }
    if (!cloud.isRegistryHost(endpoint.getHost())) {
      throw new IllegalArgumentException(
          endpoint.getHost() + " is not a registry login server of this cloud (*." + cloud.registryDomain() + ")");
    }
    return "https://" + endpoint.getAuthority();
  }
}
