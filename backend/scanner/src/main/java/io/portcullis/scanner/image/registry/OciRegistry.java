package io.portcullis.scanner.image.registry;

import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.ManifestDocument;
import io.portcullis.scanner.image.Manifests;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryException.Kind;
import io.portcullis.scanner.image.RegistrySource;
import io.portcullis.scanner.image.StrictJson;
import io.portcullis.scanner.image.Untrusted;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A {@link RegistrySource} for any registry that speaks the OCI distribution API: catalog and tag listings with
 * {@code Link} pagination, manifests and blobs, Basic or token authentication.
 *
 * <p>Written by hand over {@link HttpClient} because no maintained Java library covers this within our limits: the
 * Azure SDK reads any registry's manifests but lists only through ACR's own catalog and refuses credentials over plain
 * HTTP; Jib's registry client is an internal part of a build tool; the Docker Java clients talk to a Docker daemon, not
 * to a registry. None of them lets us cap every response, page count and wait, which reading registries that customers
 * point us at requires. The protocol itself is small; the care is in the limits, which are all here, tested against a
 * real registry and a hostile one (see docs/adr/0004).
 *
 * <p>Every response is read through a size cap and a time limit; every name that goes into a URL path is checked
 * against the specification's grammar first; redirects are followed by hand so that credentials reach only the
 * registry's own origin; messages name the request path, never a password or a token. Instances are thread-safe.
 */
public final class OciRegistry implements RegistrySource {

  private static final String CATALOG_SCOPE = "registry:catalog:*";
  private static final String JSON = "application/json";
  private static final String MANIFEST_ACCEPT = String.join(", ", Manifests.MEDIA_TYPES);

  private final Settings settings;
  private final Transport transport;
  private final Wire wire;

  public OciRegistry(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    HttpClient.Builder client =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            // By hand: Java 17's client copies the Authorization header to whatever host a redirect names.
            .followRedirects(HttpClient.Redirect.NEVER)
            // One protocol keeps framing errors (a body shorter than its Content-Length) in one well-tested place.
            .version(HttpClient.Version.HTTP_1_1)
            // The JVM's proxy settings (https.proxyHost and friends), as operators expect of a server.
            .proxy(ProxySelector.getDefault());
    if (settings.trustedCertificates() != null) {
      client.sslContext(TrustedCertificates.sslContext(settings.trustedCertificates()));
    }
    this.wire = new Wire(client.build(), settings.requestTimeout());
    this.transport = new Transport(settings.url(), settings.credentials(), wire, Clock.systemUTC());
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public void repositories(Consumer<String> each) throws RegistryException {
    paged("/v2/_catalog", CATALOG_SCOPE, "repositories", "the catalog", "repository name", Names::isRepository, each);
  }

  @Override
  public void tags(String repository, Consumer<String> each) throws RegistryException {
    Names.repository(repository);
    paged(
        "/v2/" + repository + "/tags/list",
        pullScope(repository),
        "tags",
        "the tag list of " + repository,
        "tag",
        Names::isTag,
        each);
  }

  @Override
  public FetchedManifest manifest(String repository, String reference) throws RegistryException {
    Names.repository(repository);
    Names.Reference ref = Names.reference(reference);
    String path = "/v2/" + repository + "/manifests/" + ref.value();
    String what = "GET " + path;
    HttpResponse<InputStream> response =
        transport.get(settings.url().resolve(path), pullScope(repository), MANIFEST_ACCEPT, budget(), what);
    String servedType = response.headers().firstValue("Content-Type").orElse(null);
    Optional<String> statedDigest = response.headers().firstValue("Docker-Content-Digest");
    byte[] bytes = wire.read(response, Manifests.Limits.DEFAULT.maxBytes(), what);
    Digest digest = verify(bytes, ref, statedDigest, what);
    ManifestDocument document = Manifests.parse(servedType, bytes);
    return new FetchedManifest(digest, document.mediaType(), bytes, document);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reading fails with an {@link java.io.IOException} whose cause is a {@link RegistryException}: {@code
   * TOO_LARGE} beyond {@code maxBytes}, {@code MALFORMED} when the content does not match {@code digest} or ends early,
   * {@code TIMEOUT} when no data arrives for the request timeout.
   */
  @Override
  public InputStream blob(String repository, Digest digest, long maxBytes) throws RegistryException {
    Names.repository(repository);
    Objects.requireNonNull(digest, "digest");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative");
    }
    String path = "/v2/" + repository + "/blobs/" + digest;
    String what = "GET " + path;
    HttpResponse<InputStream> response =
        transport.get(settings.url().resolve(path), pullScope(repository), null, budget(), what);
    return wire.stream(response, maxBytes, digest, what);
  }

  @Override
  public String toString() {
    return "OciRegistry[" + settings.url() + "]";
  }

  private void paged(
      String path,
      String scope,
      String field,
      String listing,
      String itemName,
      Predicate<String> valid,
      Consumer<String> each)
      throws RegistryException {
    Limits limits = settings.limits();
    RetryBudget budget = budget();
    Set<String> visited = new HashSet<>();
    URI next = settings.url().resolve(path + "?n=" + limits.pageSize());
    int pages = 0;
    long count = 0;
    while (next != null) {
      if (++pages > limits.maxPages()) {
        throw new RegistryException(
            Kind.TOO_LARGE, listing + " has more than " + limits.maxPages() + " pages; stopped reading it");
      }
      String what = "GET " + next.getRawPath();
      HttpResponse<InputStream> response = transport.get(next, scope, JSON, budget, what);
      Optional<String> link = LinkHeader.next(response.headers());
      StrictJson page = StrictJson.parse(wire.readJson(response, limits.maxJsonBytes(), what), listing);
      List<String> values = page.strings(field, limits.maxNames());
      if (count + values.size() > limits.maxNames()) {
        throw new RegistryException(
            Kind.TOO_LARGE,
            listing + " has more than " + limits.maxNames() + " entries; stopped reading it");
      }
      for (String value : values) {
        if (!valid.test(value)) {
          throw new RegistryException(
              Kind.MALFORMED, listing + " holds an invalid " + itemName + ": " + Untrusted.quote(value));
        }
      }
      values.forEach(each);
      count += values.size();
      next = link.isPresent() ? nextPage(response.uri(), path, link.get(), visited, listing) : null;
    }
  }

  /**
   * The next page's URL: on the registry's origin and the same path (a link elsewhere could make a tag listing read
   * another repository), and never one seen before, which would page forever.
   */
  private URI nextPage(URI current, String path, String link, Set<String> visited, String listing)
      throws RegistryException {
    URI target;
    try {
      target = current.resolve(new URI(link));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new RegistryException(
          Kind.MALFORMED, listing + " links to a next page that is not a URL: " + Untrusted.quote(link));
    }
    if (!transport.isOrigin(target)) {
      throw new RegistryException(
          Kind.MALFORMED,
          listing + " links its next page to another host, "
              + Untrusted.quote(target.getScheme() + "://" + target.getAuthority()) + "; refused");
    }
    if (!path.equals(target.getRawPath())) {
      throw new RegistryException(
          Kind.MALFORMED, listing + " links its next page to another path, " + Untrusted.quote(target.getRawPath()));
    }
    String last = lastParameter(target.getRawQuery());
    if (!visited.add(String.valueOf(target.getRawQuery())) || (last != null && !visited.add("last=" + last))) {
      throw new RegistryException(
          Kind.MALFORMED, listing + " pages in a loop: the link to " + Untrusted.quote(link) + " was already followed");
    }
    return target;
  }

  private static String lastParameter(String query) {
    if (query == null) {
      return null;
    }
    for (String parameter : query.split("&")) {
      if (parameter.startsWith("last=")) {
        return parameter.substring("last=".length());
      }
    }
    return null;
  }

  private static Digest verify(byte[] bytes, Names.Reference reference, Optional<String> stated, String what)
      throws RegistryException {
    Digest statedDigest = null;
    if (stated.isPresent()) {
      try {
        statedDigest = Digest.parse(stated.get().trim());
      } catch (IllegalArgumentException e) {
        throw new RegistryException(
            Kind.MALFORMED, what + " stated an invalid Docker-Content-Digest " + Untrusted.quote(stated.get()));
      }
      Digest actual = Digest.of(statedDigest.algorithm(), bytes);
      if (!actual.equals(statedDigest)) {
        throw new RegistryException(
            Kind.MALFORMED,
            "the manifest from " + what + " does not match the digest the registry stated: stated " + statedDigest
                + ", content " + actual);
      }
    }
    if (reference.digest() != null) {
      Digest actual = Digest.of(reference.digest().algorithm(), bytes);
      if (!actual.equals(reference.digest())) {
        throw new RegistryException(
            Kind.MALFORMED, "the manifest from " + what + " is not the content its digest names: got " + actual);
      }
      return reference.digest();
    }
    return statedDigest != null ? statedDigest : Digest.of("sha256", bytes);
  }

  private RetryBudget budget() {
    return new RetryBudget(settings.limits().maxRetryWait());
  }

  private static String pullScope(String repository) {
    return "repository:" + repository + ":pull";
  }

  /**
   * Where the registry is and how to talk to it.
   *
   * @param url {@code https://host[:port]} or {@code http://host[:port]}, without a path: the API lives at {@code /v2/}
   * @param credentials how to authenticate; credentials go over plain HTTP only to a loopback address
   * @param trustedCertificates PEM certificates to trust instead of the JVM's CAs, or {@code null} for the JVM's
   * @param connectTimeout how long to wait for a connection
   * @param requestTimeout how long to wait for response headers, for a whole JSON response, and for the next bytes of a
   *     blob
   */
  public record Settings(
      URI url,
      Credentials credentials,
      String trustedCertificates,
      Duration connectTimeout,
      Duration requestTimeout,
      Limits limits) {

    public Settings {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(credentials, "credentials");
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      Objects.requireNonNull(limits, "limits");
      url = origin(url);
      if (!isPositive(connectTimeout) || !isPositive(requestTimeout)) {
        throw new IllegalArgumentException("timeouts must be positive");
      }
      boolean plain = url.getScheme().equals("http");
      if (plain && !(credentials instanceof Credentials.Anonymous) && !isLoopback(url.getHost())) {
        throw new IllegalArgumentException(
            "refusing to send credentials over plain http to " + url.getHost() + "; use https");
      }
      if (trustedCertificates != null && plain) {
        throw new IllegalArgumentException("trusted certificates apply to https registries only");
      }
      if (trustedCertificates != null) {
        TrustedCertificates.sslContext(trustedCertificates); // fails now, with a message, rather than at first use
      }
    }

    /** Anonymous access to {@code url}, 10 s to connect, 30 s per request, {@link Limits#DEFAULT}. */
    public static Settings of(String url) {
      return new Settings(
          URI.create(url),
          Credentials.anonymous(),
          null,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Limits.DEFAULT);
    }

    public Settings withCredentials(Credentials credentials) {
      return new Settings(url, credentials, trustedCertificates, connectTimeout, requestTimeout, limits);
    }

    /** Trust exactly these PEM certificates (a private CA, or the registry's own self-signed certificate). */
    public Settings withTrustedCertificates(String pem) {
      return new Settings(url, credentials, pem, connectTimeout, requestTimeout, limits);
    }

    public Settings withTimeouts(Duration connectTimeout, Duration requestTimeout) {
      return new Settings(url, credentials, trustedCertificates, connectTimeout, requestTimeout, limits);
    }

    public Settings withLimits(Limits limits) {
      return new Settings(url, credentials, trustedCertificates, connectTimeout, requestTimeout, limits);
    }

    @Override
    public String toString() {
      return "Settings[url=" + url + ", credentials=" + credentials + ", trustedCertificates="
          + (trustedCertificates == null ? "JVM default" : "custom") + ", connectTimeout=" + connectTimeout
          + ", requestTimeout=" + requestTimeout + ", limits=" + limits + "]";
    }

    private static URI origin(URI url) {
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http")) {
        throw new IllegalArgumentException("the registry URL must start with https:// or http://: " + url);
      }
      if (url.getHost() == null || url.getRawUserInfo() != null) {
        throw new IllegalArgumentException("the registry URL must name a host, without user information");
      }
      boolean bare = url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/");
      if (!bare || url.getRawQuery() != null || url.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "the registry URL must not have a path or query (the API is always at /v2/): " + url);
      }
      return URI.create(scheme + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()));
    }

    private static boolean isPositive(Duration duration) {
      return !duration.isNegative() && !duration.isZero();
    }

    private static boolean isLoopback(String host) {
      if (host.equalsIgnoreCase("localhost")) {
        return true;
      }
      // Only literal addresses: resolving a name here would ask DNS, which could answer anything.
      boolean literal = host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
      if (!literal) {
        return false;
      }
      try {
        return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }
  }

  /**
   * How much of a registry's answers is read.
   *
   * @param pageSize the {@code n} asked for on each listing page
   * @param maxNames repository names in a catalog, or tags of a repository, read in one call
   * @param maxPages pages of one listing
   * @param maxJsonBytes size of one JSON response (a listing page, a token response)
   * @param maxRetryWait total time one call may wait when a registry answers 429 or 503 with {@code Retry-After}
   */
  public record Limits(int pageSize, int maxNames, int maxPages, int maxJsonBytes, Duration maxRetryWait) {

    public static final Limits DEFAULT = new Limits(1_000, 100_000, 1_000, 8 * 1024 * 1024, Duration.ofSeconds(60));

    public Limits {
      Objects.requireNonNull(maxRetryWait, "maxRetryWait");
      if (pageSize <= 0 || maxNames <= 0 || maxPages <= 0 || maxJsonBytes <= 0 || maxRetryWait.isNegative()) {
        throw new IllegalArgumentException("limits must be positive");
      }
    }
  }
}
