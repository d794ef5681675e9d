package io.portcullis.registry.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Portcullis reaches registries.
 *
 * @param allowPrivateNetworks whether a connection may point at loopback, link-local or private addresses. Off by
 *     default: a tenant must not be able to make Portcullis probe its own network or cloud metadata endpoints. Local mode
 *     and installations inside a customer's network turn it on.
 * @param schedule whether connections are discovered on their interval
 * @param maxRepositories how many repository names (or tags of one repository) one listing may return
 * @param maxPages how many pages one listing may take before it is taken for a registry that pages forever
 * @param maxRetryWait how long one call may wait in all when a registry answers 429 or 503 with Retry-After
 * @param requestTimeout how long to wait for each answer
 * @param azure how Portcullis signs in to Azure Container Registries with Entra ID
 */
@ConfigurationProperties("portcullis.registry")
public record RegistryProperties(
    boolean allowPrivateNetworks,
    @DefaultValue("true") boolean schedule,
    @DefaultValue("100000") int maxRepositories,
    @DefaultValue("1000") int maxPages,
    @DefaultValue("60s") java.time.Duration maxRetryWait,
    @DefaultValue("30s") java.time.Duration requestTimeout,
    @DefaultValue Azure azure) {

  /**
   * @param cloud {@code PUBLIC}, {@code CHINA} or {@code US_GOVERNMENT}: the Entra authority and the registry domain
   * @param clientId the Portcullis multi-tenant application that customers consent to (by default the sign-in one)
   * @param clientSecret its secret
   * @param clientCertificate or its certificate, PEM with the private key
   * @param managedIdentityClientId a user-assigned managed identity's client id; empty for the system-assigned one. On
   *     AKS, workload identity is used instead when the pod has it ({@code AZURE_FEDERATED_TOKEN_FILE})
   * @param managedIdentityEnabled whether tenants may use the installation's own identity. Off by default: that identity
   *     reads every registry it has been granted, whoever owns it, so in a shared installation any tenant could point a
   *     connection at another organisation's registry. Turn it on only where the installation serves one organisation
   */
  public record Azure(
      @DefaultValue("PUBLIC") String cloud,
      String clientId,
      String clientSecret,
      String clientCertificate,
      String managedIdentityClientId,
      boolean managedIdentityEnabled) {

    @Override
    public String toString() {
      return "Azure[cloud=" + cloud + ", clientId=" + clientId + "]";
    }
  }
}
