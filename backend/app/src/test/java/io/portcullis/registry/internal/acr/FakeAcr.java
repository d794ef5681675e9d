package io.portcullis.registry.internal.acr;

import io.portcullis.scanner.image.Digest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * An Azure Container Registry on loopback, as far as the data-plane REST specification (2021-07-01) and the SDK's
 * authentication policy go: the bearer challenge, {@code /oauth2/exchange} and {@code /oauth2/token}, the
 * {@code /acr/v1} catalog and manifest listings with {@code Link} paging, and the distribution API's manifests and
 * ranged blob reads. Every request is recorded, so tests can see which token went where.
 */
final class FakeAcr extends Dispatcher {

  /** What the test credential hands the SDK, as Entra would: the registry must see it at the exchange, nowhere else. */
  static final String ENTRA_TOKEN = "entra." + jwtPayload("entra") + ".signature";

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

  final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  final String refreshToken = "acr-refresh." + jwtPayload("refresh") + ".signature";

  private final String service;
  private final String baseUrl;
  private final Map<String, String> accessTokens = new ConcurrentHashMap<>();
  private final AtomicInteger issued = new AtomicInteger();
  private final NavigableMap<String, Repository> repositories = new ConcurrentSkipListMap<>();
  private final Queue<Interruption> interruptions = new ConcurrentLinkedQueue<>();

  volatile int pageSize = 2;
  volatile boolean refuseEntraToken;
  volatile boolean endlessCatalog;
  volatile boolean redirectBlobs;

  /**
   * @param service the registry's service name as its challenges state it (its host)
   * @param baseUrl where it is reached, for the realm and for redirects
   */
  FakeAcr(String service, String baseUrl) {
    this.service = service;
    this.baseUrl = baseUrl;
  }

  private record Manifest(String mediaType, byte[] bytes, List<String> tags) {}

  private static final class Repository {
    final Map<String, Digest> tags = new LinkedHashMap<>();
    final Map<Digest, Manifest> manifests = new LinkedHashMap<>();
    final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<Digest, byte[]> served = new ConcurrentHashMap<>();
  }

  private record Interruption(String pathPrefix, MockResponse response) {}

  // --- what the registry holds --------------------------------------------------------------------------------------

  synchronized void addRepository(String name) {
    repositories.computeIfAbsent(name, n -> new Repository());
  }

  /** Stores a manifest under its digest, tagged with {@code tags}. */
  synchronized Digest pushManifest(String repository, String mediaType, byte[] bytes, String... tags) {
    Repository repo = repositories.computeIfAbsent(repository, n -> new Repository());
    Digest digest = sha256(bytes);
    repo.manifests.put(digest, new Manifest(mediaType, bytes, List.of(tags)));
    for (String tag : tags) {
      repo.tags.put(tag, digest);
    }
    return digest;
  }

  synchronized Digest pushBlob(String repository, byte[] bytes) {
    Digest digest = sha256(bytes);
    repositories.computeIfAbsent(repository, n -> new Repository()).blobs.put(digest, bytes);
    return digest;
  }

  /** From now on serves {@code replacement} for the content at {@code digest}, still stating that digest. */
  synchronized void tamper(String repository, Digest digest, byte[] replacement) {
    repositories.get(repository).served.put(digest, replacement);
  }

  /** The next authorised request whose path starts with {@code pathPrefix} gets {@code response} instead. */
  void interrupt(String pathPrefix, MockResponse response) {
    interruptions.add(new Interruption(pathPrefix, response));
  }

  // --- the HTTP side -------------------------------------------------------------------------------------------------

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    requests.add(request);
    List<String> path = request.getUrl().pathSegments();
    String method = request.getMethod();
    if ("POST".equals(method) && path.equals(List.of("oauth2", "exchange"))) {
      return exchange(form(request));
    }
    if ("POST".equals(method) && path.equals(List.of("oauth2", "token"))) {
      return token(form(request));
    }
    if ("GET".equals(method) && path.size() == 2 && path.get(0).equals("storage")) {
      return storage(request, path.get(1)); // a pre-signed storage URL: no registry token
    }
    if (!"GET".equals(method)) {
      return error(405, "UNSUPPORTED", "not in this fake");
    }
    String scope = requiredScope(path);
    if (scope == null) {
      return error(404, "NOT_FOUND", "no such endpoint");
    }
    String authorization = request.getHeaders().get("Authorization");
    String bearer = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
    if (bearer == null || !scope.equals(accessTokens.get(bearer))) {
      return challenge(scope);
    }
    for (Interruption interruption : interruptions) {
      if (request.getUrl().encodedPath().startsWith(interruption.pathPrefix()) && interruptions.remove(interruption)) {
        return interruption.response();
      }
    }
    return route(request, path);
  }

  private MockResponse exchange(Map<String, String> form) {
    if (!"access_token".equals(form.get("grant_type"))
        || !service.equals(form.get("service"))
        || !ENTRA_TOKEN.equals(form.get("access_token"))
        || refuseEntraToken) {
      return error(401, "UNAUTHORIZED", "the access token was not accepted");
    }
    return json(200, "{\"refresh_token\":\"" + refreshToken + "\"}");
  }

  private MockResponse token(Map<String, String> form) {
    String scope = form.get("scope");
    if (!"refresh_token".equals(form.get("grant_type"))
        || !service.equals(form.get("service"))
        || !refreshToken.equals(form.get("refresh_token"))
        || scope == null) {
      return error(401, "UNAUTHORIZED", "the refresh token was not accepted");
    }
    String access = "acr-access-" + issued.incrementAndGet() + "." + jwtPayload(scope) + ".signature";
    accessTokens.put(access, scope);
    return json(200, "{\"access_token\":\"" + access + "\"}");
  }

  /** ACR access tokens issued so far, each for one scope. */
  Map<String, String> accessTokens() {
    return Map.copyOf(accessTokens);
  }

  private static String requiredScope(List<String> path) {
    if (path.equals(List.of("acr", "v1", "_catalog"))) {
      return "registry:catalog:*";
    }
    if (path.size() >= 4 && path.get(0).equals("acr") && path.get(path.size() - 1).equals("_manifests")) {
      return "repository:" + String.join("/", path.subList(2, path.size() - 1)) + ":metadata_read";
    }
    if (path.size() >= 4 && path.get(0).equals("v2")) {
      return "repository:" + String.join("/", path.subList(1, path.size() - 2)) + ":pull";
    }
    return null;
  }

  private MockResponse challenge(String scope) {
    return new MockResponse.Builder()
        .code(401)
        .addHeader(
            "WWW-Authenticate",
            "Bearer realm=\"" + baseUrl + "/oauth2/token\",service=\"" + service + "\",scope=\"" + scope + "\"")
        .addHeader("Content-Type", "application/json")
        .body("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")
        .build();
  }

  private synchronized MockResponse route(RecordedRequest request, List<String> path) {
    if (path.get(0).equals("acr") && path.get(2).equals("_catalog")) {
      return catalog(request);
    }
    if (path.get(0).equals("acr")) {
      return manifestListing(request, String.join("/", path.subList(2, path.size() - 1)));
    }
    String repository = String.join("/", path.subList(1, path.size() - 2));
    String kind = path.get(path.size() - 2);
    String reference = path.get(path.size() - 1);
    Repository repo = repositories.get(repository);
    if (repo == null) {
      return error(404, "NAME_UNKNOWN", "repository name not known to registry");
    }
    if (kind.equals("manifests")) {
      return manifest(repo, reference);
    }
    if (kind.equals("blobs")) {
      if (redirectBlobs) {
        return new MockResponse.Builder().code(307).addHeader("Location", baseUrl + "/storage/" + reference).build();
      }
      return blob(request, repo, reference);
    }
    return error(404, "NOT_FOUND", "no such endpoint");
  }

  private MockResponse catalog(RecordedRequest request) {
    String last = request.getUrl().queryParameter("last");
    String asked = request.getUrl().queryParameter("n");
    int n = asked == null ? pageSize : Integer.parseInt(asked);
    Map<String, Repository> after =
        last == null || endlessCatalog ? repositories : repositories.tailMap(last, false);
    List<String> names = new ArrayList<>(after.keySet());
    List<String> page = names.subList(0, Math.min(n, names.size()));
    MockResponse.Builder response = new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json");
    if (names.size() > n || endlessCatalog) {
      response.addHeader("Link", "</acr/v1/_catalog?last=" + page.get(page.size() - 1) + "&n=" + n + ">; rel=\"next\"");
    }
    String list = page.stream().map(name -> "\"" + name + "\"").collect(Collectors.joining(","));
    return response.body("{\"repositories\":[" + list + "]}").build();
  }

  private MockResponse manifestListing(RecordedRequest request, String repository) {
    Repository repo = repositories.get(repository);
    if (repo == null) {
      return error(404, "NAME_UNKNOWN", "repository name not known to registry");
    }
    List<Digest> digests = new ArrayList<>(repo.manifests.keySet());
    String last = request.getUrl().queryParameter("last");
    int from = last == null ? 0 : digests.indexOf(Digest.parse(last)) + 1;
    int to = Math.min(from + pageSize, digests.size());
    String items =
        digests.subList(from, to).stream()
            .map(
                digest -> {
                  Manifest manifest = repo.manifests.get(digest);
                  String tags = manifest.tags().stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(","));
                  return "{\"digest\":\"" + digest + "\",\"imageSize\":" + manifest.bytes().length
                      + ",\"createdTime\":\"2024-01-01T00:00:00Z\",\"lastUpdateTime\":\"2024-01-01T00:00:00Z\""
                      + ",\"mediaType\":\"" + manifest.mediaType() + "\",\"tags\":[" + tags + "]"
                      + ",\"changeableAttributes\":{\"deleteEnabled\":true,\"writeEnabled\":true,"
                      + "\"readEnabled\":true,\"listEnabled\":true}}";
                })
            .collect(Collectors.joining(","));
    MockResponse.Builder response = new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json");
    if (to < digests.size()) {
      String next = "/acr/v1/" + repository + "/_manifests?last=" + digests.get(to - 1) + "&n=" + pageSize;
      response.addHeader("Link", "<" + next + ">; rel=\"next\"");
    }
    return response
        .body("{\"registry\":\"" + service + "\",\"imageName\":\"" + repository + "\",\"manifests\":[" + items + "]}")
        .build();
  }

  private MockResponse manifest(Repository repo, String reference) {
    Digest digest = reference.startsWith("sha256:") ? Digest.parse(reference) : repo.tags.get(reference);
    Manifest manifest = digest == null ? null : repo.manifests.get(digest);
    if (manifest == null) {
      return error(404, "MANIFEST_UNKNOWN", "manifest unknown");
    }
    byte[] body = repo.served.getOrDefault(digest, manifest.bytes());
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", manifest.mediaType())
        .addHeader("Docker-Content-Digest", digest.toString())
        .body(new Buffer().write(body))
        .build();
  }

  private MockResponse blob(RecordedRequest request, Repository repo, String reference) {
    Digest digest = Digest.parse(reference);
    byte[] bytes = repo.blobs.get(digest);
    if (bytes == null) {
      return error(404, "BLOB_UNKNOWN", "blob unknown to registry");
    }
    return ranged(request, repo.served.getOrDefault(digest, bytes), digest);
  }

  private synchronized MockResponse storage(RecordedRequest request, String reference) {
    Digest digest = Digest.parse(reference);
    for (Repository repo : repositories.values()) {
      byte[] bytes = repo.blobs.get(digest);
      if (bytes != null) {
        return ranged(request, bytes, digest);
      }
    }
    return new MockResponse.Builder().code(404).build();
  }

  private static MockResponse ranged(RecordedRequest request, byte[] bytes, Digest digest) {
    String range = request.getHeaders().get("Range");
    Matcher matcher = range == null ? null : RANGE.matcher(range);
    if (matcher == null || !matcher.matches()) {
      return new MockResponse.Builder()
          .code(200)
          .addHeader("Docker-Content-Digest", digest.toString())
          .body(new Buffer().write(bytes))
          .build();
    }
    int start = Integer.parseInt(matcher.group(1));
    int end = Math.min(Integer.parseInt(matcher.group(2)), bytes.length - 1);
    return new MockResponse.Builder()
        .code(206)
        .addHeader("Content-Type", "application/octet-stream")
        .addHeader("Content-Range", "bytes " + start + "-" + end + "/" + bytes.length)
        .addHeader("Docker-Content-Digest", digest.toString())
        .body(new Buffer().write(bytes, start, end - start + 1))
        .build();
  }

  // --- small things --------------------------------------------------------------------------------------------------

  static MockResponse error(int status, String code, String message) {
    return json(status, "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}");
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
  }

  private static Map<String, String> form(RecordedRequest request) {
    Map<String, String> form = new LinkedHashMap<>();
    String body = request.getBody() == null ? "" : request.getBody().utf8();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  /**
   * The SDK reads a token's expiry from its middle part, decoding it with the basic (not URL-safe) Base64 alphabet, so
   * the fake's tokens carry a real {@code exp}.
   */
  private static String jwtPayload(String subject) {
    String claims = "{\"sub\":\"" + subject + "\",\"exp\":" + Instant.now().plusSeconds(3600).getEpochSecond() + "}";
    return Base64.getEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8));
  }

  static Digest sha256(byte[] bytes) {
    try {
      return new Digest("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
