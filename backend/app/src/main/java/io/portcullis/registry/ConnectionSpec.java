package io.portcullis.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a person asks for when adding or editing a connection, checked field by field. {@code secret} is null or empty
 * to keep the stored one (forms never show it back).
 */
public record ConnectionSpec(
    String name,
    ConnectionKind kind,
    String endpoint,
    Authentication authentication,
    String username,
    String azureTenantId,
    String secret,
    String caCertificates,
    List<String> includeRepositories,
    List<String> excludeRepositories,
    Duration discoveryInterval) {

  private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");
  private static final Pattern HOST =
      Pattern.compile("(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*");
  private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9._/*?\\-\\[\\]{},]{1,255}");

  /** Problems by field name; empty when the spec is acceptable. {@code creating}: a secret must be given when needed. */
  public Map<String, String> problems(boolean creating, boolean secretStored) {
    Map<String, String> problems = new LinkedHashMap<>();
    if (name == null || name.isBlank() || name.length() > 100) {
      problems.put("name", "Give the connection a name of at most 100 characters.");
    }
    if (kind == null) {
      problems.put("kind", "Choose Azure Container Registry or OCI registry.");
      return problems;
    }
    if (authentication == null || authentication.kind() != kind) {
      problems.put("authentication", "Choose how Portcullis signs in to this registry.");
    }
    try {
      String normalised = normalisedEndpoint();
      if (normalised.startsWith("http://") && !loopback(URI.create(normalised).getHost())
          && authentication != null && authentication != Authentication.ANONYMOUS) {
        problems.put("endpoint", "Credentials are sent only over https: use an https:// URL, or anonymous access.");
      }
    } catch (IllegalArgumentException e) {
      problems.put("endpoint", e.getMessage());
    }
    if (authentication != null && authentication.needsUsername() && (username == null || username.isBlank())) {
      problems.put(
          "username",
          authentication == Authentication.ACR_SERVICE_PRINCIPAL ? "Give the application (client) id." : "Give the user name.");
    }
    if (username != null && username.length() > 200) {
      problems.put("username", "At most 200 characters.");
    }
    if (authentication != null && authentication.needsAzureTenant()
        && (azureTenantId == null || !GUID.matcher(azureTenantId.trim()).matches())) {
      problems.put("azureTenantId", "Give the directory (tenant) id, a GUID.");
    }
    boolean secretGiven = secret != null && !secret.isEmpty();
    if (authentication != null && authentication.needsSecret() && !secretGiven && (creating || !secretStored)) {
      problems.put("secret", "Give the password, token or client secret.");
    }
    if (secretGiven && secret.length() > 16_384) {
      problems.put("secret", "At most 16384 characters.");
    }
    if (caCertificates != null && !caCertificates.isBlank()) {
      if (caCertificates.length() > 65_536 || !caCertificates.contains("-----BEGIN CERTIFICATE-----")) {
        problems.put("caCertificates", "Paste one or more PEM certificates (-----BEGIN CERTIFICATE-----), at most 64 KiB.");
      }
    }
    for (String glob : concat(includeRepositories, excludeRepositories)) {
      if (!GLOB.matcher(glob).matches()) {
        problems.put("repositories", "Repository filters are globs such as team-a/** or *-dev; \"" + clip(glob) + "\" is not.");
        break;
      }
    }
    if (includeRepositories.size() + excludeRepositories.size() > 100) {
      problems.put("repositories", "At most 100 filters.");
    }
    if (discoveryInterval == null
        || discoveryInterval.compareTo(Duration.ofMinutes(5)) < 0
        || discoveryInterval.compareTo(Duration.ofDays(7)) > 0) {
      problems.put("discoveryInterval", "Choose an interval between 5 minutes and 7 days.");
    }
    return problems;
  }

  /**
   * The endpoint as stored: {@code https://host[:port]} (or {@code http://} for an OCI registry that has no TLS). An ACR
   * may be given by its login server name alone.
   */
  public String normalisedEndpoint() {
    if (endpoint == null || endpoint.isBlank()) {
      throw new IllegalArgumentException(
          kind == ConnectionKind.ACR ? "Give the login server, such as contoso.azurecr.io." : "Give the registry URL.");
    }
    String value = endpoint.trim();
    if (!value.contains("://")) {
      value = "https://" + value;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("That is not a URL.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(scheme.equals("http") && kind == ConnectionKind.OCI)) {
      throw new IllegalArgumentException(
          kind == ConnectionKind.ACR ? "An Azure Container Registry is reached over https." : "Use an https:// (or http://) URL.");
    }
    if (uri.getHost() == null || !HOST.matcher(uri.getHost()).matches()) {
      throw new IllegalArgumentException("The host name is not valid.");
    }
    if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null
        || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
      throw new IllegalArgumentException("Give only the scheme, host and port: no path, user, query or fragment.");
    }
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
  }

  /** A loopback address written out (never resolved: a name could resolve to anything). */
  private static boolean loopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String clip(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "…";
  }

  @Override
  public String toString() {
    return "ConnectionSpec[" + name + ", " + kind + ", " + endpoint + ", " + authentication + "]";
  }
}
