package io.portcullis.registry.internal.acr;

import com.azure.containers.containerregistry.models.ContainerRegistryAudience;
import com.azure.identity.AzureAuthorityHosts;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The Azure cloud a registry lives in: where Entra issues tokens, which audience the Entra token is requested for
 * before the registry exchanges it, and the domain its registries' login servers are in. Sovereign clouds have their
 * own of each.
 *
 * @param authorityHost the Entra authority, https and no path, such as {@code https://login.microsoftonline.com}
 * @param acrAudience the audience the registry's {@code /oauth2/exchange} accepts
 * @param registryDomain login servers are {@code <name>.<registryDomain>}; Entra tokens are sent to no other host
 */
public record AzureCloud(URI authorityHost, ContainerRegistryAudience acrAudience, String registryDomain) {

  /** The public Azure cloud. ACR has its own audience there, so the token grants registry access and nothing else. */
  public static final AzureCloud PUBLIC =
      new AzureCloud(
          URI.create(AzureAuthorityHosts.AZURE_PUBLIC_CLOUD),
          ContainerRegistryAudience.fromString("https://containerregistry.azure.net"),
          "azurecr.io");

  /** Azure operated by 21Vianet. The SDK knows no registry-only audience there; the exchange takes the ARM one. */
  public static final AzureCloud CHINA =
      new AzureCloud(
          URI.create(AzureAuthorityHosts.AZURE_CHINA),
          ContainerRegistryAudience.AZURE_RESOURCE_MANAGER_CHINA,
          "azurecr.cn");

  /** Azure Government, with its ARM audience for the same reason. */
  public static final AzureCloud US_GOVERNMENT =
      new AzureCloud(
          URI.create(AzureAuthorityHosts.AZURE_GOVERNMENT),
          ContainerRegistryAudience.AZURE_RESOURCE_MANAGER_GOVERNMENT,
          "azurecr.us");

  private static final Set<String> MICROSOFT_AUTHORITIES =
      Set.of(
          normalise(AzureAuthorityHosts.AZURE_PUBLIC_CLOUD),
          normalise(AzureAuthorityHosts.AZURE_CHINA),
          normalise(AzureAuthorityHosts.AZURE_GOVERNMENT));

  public AzureCloud {
    Objects.requireNonNull(authorityHost, "authorityHost");
    Objects.requireNonNull(acrAudience, "acrAudience");
    Objects.requireNonNull(registryDomain, "registryDomain");
    if (registryDomain.isBlank() || registryDomain.startsWith(".")) {
      throw new IllegalArgumentException("registryDomain is a domain like azurecr.io: " + registryDomain);
    }
    if (!"https".equals(authorityHost.getScheme()) || authorityHost.getHost() == null) {
      throw new IllegalArgumentException("the Entra authority must be an https URL: " + authorityHost);
    }
  }

  /**
   * Whether Entra's instance discovery can vouch for the authority. It knows only Microsoft's own clouds: for any other
   * authority (Azure Stack, a test server) discovery would call out to the public cloud and fail, so it is switched
   * off.
   */
  boolean knownAuthority() {
    return MICROSOFT_AUTHORITIES.contains(normalise(authorityHost.toString()));
  }

  /**
   * Whether {@code host} is a registry of this cloud. An Entra token for the registry audience opens every registry
   * that trusts its identity (for a managed identity, every registry of the installation's tenant): sending one to a
   * host that someone typed in would hand it over.
   */
  boolean isRegistryHost(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    return name.equals(registryDomain) || name.endsWith("." + registryDomain);
  }

  private static String normalise(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
