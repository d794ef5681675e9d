package io.portcullis.scanner.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryException.Kind;
import io.portcullis.scanner.testing.TestCertificateAuthority;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * {@link OciRegistry} against a registry that misbehaves, served by the JDK's HTTP server on loopback. Every case must
 * end quickly with the right {@link Kind}, a message that says what happened, and no more memory than the limits.
 */
@Timeout(20)
class HostileRegistryTests {

  private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
  private static final String PASSWORD = "pa55-word-never-shown";
  private static final String TOKEN = "static-token-never-shown";
  private static final String JSON = "application/json";
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String CONTENT = "{\"schemaVersion\":2}";

  private static final TestCertificateAuthority AUTHORITY = TestCertificateAuthority.create("Hostile test CA");
  private final List<HttpServer> servers = new ArrayList<>();
  private final List<ExecutorService> executors = new ArrayList<>();

  @AfterEach
  void stopServers() {
    servers.forEach(server -> server.stop(0));
    executors.forEach(ExecutorService::shutdownNow);
  }

  @Test
  void catalogPageOfFiftyMegabytesIsCutOffAtTheLimit() {
    AtomicLong written = new AtomicLong();
    HttpServer server =
        serve(
            exchange -> {
              exchange.getResponseHeaders().set("Content-Type", JSON);
              exchange.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
              try (OutputStream out = exchange.getResponseBody()) {
                out.write("{\"repositories\":[".getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = "\"team/app\",".repeat(6000).getBytes(StandardCharsets.US_ASCII);
                while (written.get() < 50L * 1024 * 1024) {
                  out.write(chunk);
                  written.addAndGet(chunk.length);
                }
              }
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).repositories(name -> {}),
        Kind.TOO_LARGE,
        "the response to GET /v2/_catalog exceeds the limit of 8.0 MiB");
    // The client stopped reading: the server could not push the 50 MB through.
    assertThat(written.get()).isLessThan(30L * 1024 * 1024);
  }

  @Test
  void announcedFiftyMegabytesAreRefusedUnread() {
    HttpServer server =
        serve(
            exchange -> {
              exchange.getResponseHeaders().set("Content-Type", JSON);
              exchange.sendResponseHeaders(200, 50L * 1024 * 1024);
              exchange.getResponseBody().write("{\"repositories\":[".getBytes(StandardCharsets.US_ASCII));
              exchange.close();
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).repositories(name -> {}),
        Kind.TOO_LARGE,
        "the response to GET /v2/_catalog is 50.0 MiB, more than the limit of 8.0 MiB");
  }

  @Test
  void wrongContentTypeIsMalformed() {
    HttpServer server = serve(exchange -> respond(exchange, 200, "text/html", "<html>login</html>"));

    assertFailsFast(
        () -> registry(server, Limits.defaults()).repositories(name -> {}),
        Kind.MALFORMED,
        "the response to GET /v2/_catalog is 'text/html', not JSON");
  }

  @Test
  void truncatedBodyIsMalformed() {
    HttpServer server =
        serve(
            exchange -> {
              exchange.getResponseHeaders().set("Content-Type", JSON);
              exchange.sendResponseHeaders(200, 1000);
              exchange.getResponseBody().write("{\"repositories\":[\"a\"".getBytes(StandardCharsets.US_ASCII));
              exchange.getResponseBody().flush();
              exchange.close(); // 1000 announced, 20 sent
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).repositories(name -> {}),
        Kind.MALFORMED,
        "the response to GET /v2/_catalog broke off after 20 bytes");
  }

  @Test
  void endlessPaginationStopsAtThePageLimit() {
    AtomicInteger pages = new AtomicInteger();
    HttpServer server =
        serve(
            exchange -> {
              int page = pages.incrementAndGet();
              exchange.getResponseHeaders().set("Link", "</v2/_catalog?last=repo-" + page + "&n=100>; rel=\"next\"");
              respond(exchange, 200, JSON, "{\"repositories\":[\"repo-" + page + "\"]}");
            });
    List<String> names = new ArrayList<>();

    assertFailsFast(
        () -> registry(server, new Limits(100, 1000, 10, 1 << 20, Duration.ofSeconds(2))).repositories(names::add),
        Kind.TOO_LARGE,
        "the catalog has more than 10 pages; stopped reading it");
    assertThat(names).hasSize(10);
    assertThat(pages).hasValue(10);
  }

  @Test
  void paginationThatRepeatsALinkIsALoop() {
    HttpServer server =
        serve(
            exchange -> {
              exchange.getResponseHeaders().set("Link", "</v2/_catalog?last=b&n=100>; rel=\"next\"");
              respond(exchange, 200, JSON, "{\"repositories\":[\"a\",\"b\"]}");
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).repositories(name -> {}),
        Kind.MALFORMED,
        "the catalog pages in a loop");
  }

  @Test
  void paginationThatRepeatsLastWithAnotherPageSizeIsALoop() {
    AtomicInteger pages = new AtomicInteger();
    HttpServer server =
        serve(
            exchange -> {
              String link = "</v2/_catalog?last=b&n=" + pages.incrementAndGet() + ">; rel=\"next\"";
              exchange.getResponseHeaders().set("Link", link);
              respond(exchange, 200, JSON, "{\"repositories\":[\"a\",\"b\"]}");
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).repositories(name -> {}),
        Kind.MALFORMED,
        "the catalog pages in a loop");
  }

  @Test
  void paginationLinkToAnotherHostIsRefused() {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server =
        serve(
            exchange -> {
              requests.incrementAndGet();
              int port = exchange.getLocalAddress().getPort();
              String link = "<http://localhost:" + port + "/v2/_catalog?last=a>; rel=\"next\"";
              exchange.getResponseHeaders().set("Link", link);
              respond(exchange, 200, JSON, "{\"repositories\":[\"a\"]}");
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).repositories(name -> {}),
        Kind.MALFORMED,
        "the catalog links its next page to another host, 'http://localhost:");
    assertThat(requests).hasValue(1);
  }

  @Test
  void paginationLinkToAnotherPathIsRefused() {
    HttpServer server =
        serve(
            exchange -> {
              exchange.getResponseHeaders().set("Link", "</v2/other/tags/list?last=a>; rel=\"next\"");
              respond(exchange, 200, JSON, "{\"name\":\"team/app\",\"tags\":[\"a\"]}");
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).tags("team/app", tag -> {}),
        Kind.MALFORMED,
        "links its next page to another path, '/v2/other/tags/list'");
  }

  @Test
  void invalidNamesInAListingAreMalformed() {
    HttpServer server =
        serve(exchange -> respond(exchange, 200, JSON, "{\"repositories\":[\"ok\",\"../../etc/passwd\"]}"));
    List<String> names = new ArrayList<>();

    assertFailsFast(
        () -> registry(server, Limits.defaults()).repositories(names::add),
        Kind.MALFORMED,
        "the catalog holds an invalid repository name: '../../etc/passwd'");
    assertThat(names).isEmpty();
  }

  @Test
  void responseSlowerThanTheTimeoutTimesOut() {
    HttpServer server =
        serve(
            exchange -> {
              sleep(Duration.ofSeconds(10));
              respond(exchange, 200, JSON, "{\"repositories\":[]}");
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).repositories(name -> {}),
        Kind.TIMEOUT,
        "no response to GET /v2/_catalog within 500 ms");
  }

  @Test
  void bodyThatStallsTimesOut() {
    HttpServer server =
        serve(
            exchange -> {
              exchange.getResponseHeaders().set("Content-Type", JSON);
              exchange.sendResponseHeaders(200, 0);
              exchange.getResponseBody().write("{\"repositories\":[".getBytes(StandardCharsets.US_ASCII));
              exchange.getResponseBody().flush();
              sleep(Duration.ofSeconds(10));
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).repositories(name -> {}),
        Kind.TIMEOUT,
        "the response to GET /v2/_catalog was not complete within 500 ms");
  }

  @Test
  void bodyThatTricklesTimesOutAsAWhole() {
    HttpServer server =
        serve(
            exchange -> {
              exchange.getResponseHeaders().set("Content-Type", JSON);
              exchange.sendResponseHeaders(200, 0);
              OutputStream out = exchange.getResponseBody();
              for (int i = 0; i < 100; i++) {
                out.write(' ');
                out.flush();
                sleep(Duration.ofMillis(100));
              }
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).repositories(name -> {}), Kind.TIMEOUT, "was not complete within");
  }

  @Test
  void blobThatStallsFailsTheReadWithTimeout() throws Exception {
    byte[] content = "layer".getBytes(StandardCharsets.US_ASCII);
    HttpServer server =
        serve(
            exchange -> {
              exchange.sendResponseHeaders(200, content.length);
              exchange.getResponseBody().write(content, 0, 2);
              exchange.getResponseBody().flush();
              sleep(Duration.ofSeconds(10));
            });

    InputStream blob = registry(server, Limits.defaults()).blob("team/app", Digest.of("sha256", content), 100);

    assertReadFails(blob, Kind.TIMEOUT, "stalled: no data for 500 ms");
  }

  @Test
  void throttlingLongerThanAllowedIsThrottledWithoutWaiting() {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server =
        serve(
            exchange -> {
              requests.incrementAndGet();
              exchange.getResponseHeaders().set("Retry-After", "3600");
              respond(exchange, 429, JSON, "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\"}]}");
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).manifest("team/app", "1.0"),
        Kind.THROTTLED,
        "the registry is throttling GET /v2/team/app/manifests/1.0 (429, asks to wait 3600 s but this call may wait only 2 s more)");
    assertThat(requests).hasValue(1);
  }

  @Test
  void throttlingWithAnHttpDateBeyondTheBudgetIsThrottled() {
    String inAnHour =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusHours(1));
    HttpServer server =
        serve(
            exchange -> {
              exchange.getResponseHeaders().set("Retry-After", inAnHour);
              respond(exchange, 503, JSON, "{}");
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).manifest("team/app", "1.0"),
        Kind.THROTTLED,
        "the registry is unavailable for GET /v2/team/app/manifests/1.0 (503, asks to wait");
  }

  @Test
  void throttlingWithinTheBudgetIsWaitedOut() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server =
        serve(
            exchange -> {
              if (requests.incrementAndGet() == 1) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                respond(exchange, 429, JSON, "{}");
              } else {
                respond(exchange, 200, JSON, "{\"repositories\":[\"team/app\"]}");
              }
            });
    List<String> names = new ArrayList<>();

    long started = System.nanoTime();
    registry(server, Limits.defaults()).repositories(names::add);

    assertThat(names).containsExactly("team/app");
    assertThat(requests).hasValue(2);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void retryAfterZeroForeverEndsAfterAFewRetries() {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server =
        serve(
            exchange -> {
              requests.incrementAndGet();
              exchange.getResponseHeaders().set("Retry-After", "0");
              respond(exchange, 503, JSON, "{}");
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).manifest("team/app", "1.0"),
        Kind.THROTTLED,
        "(503, still after 5 retries)");
    assertThat(requests).hasValue(6);
  }

  @Test
  void manifestNotMatchingTheStatedDigestIsMalformed() {
    Digest other = Digest.of("sha256", "something else".getBytes(StandardCharsets.UTF_8));
    HttpServer server =
        serve(
            exchange -> {
              exchange.getResponseHeaders().set("Docker-Content-Digest", other.toString());
              respond(exchange, 200, OCI_MANIFEST, CONTENT);
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).manifest("team/app", "1.0"),
        Kind.MALFORMED,
        "does not match the digest the registry stated: stated " + other);
  }

  @Test
  void manifestNotMatchingTheDigestAskedForIsMalformed() {
    Digest asked = Digest.of("sha256", "the real manifest".getBytes(StandardCharsets.UTF_8));
    HttpServer server = serve(exchange -> respond(exchange, 200, OCI_MANIFEST, CONTENT));

    assertFailsFast(
        () -> registry(server, Limits.defaults()).manifest("team/app", asked.toString()),
        Kind.MALFORMED,
        "is not the content its digest names");
  }

  @Test
  void blobNotMatchingItsDigestFailsAtTheEnd() throws Exception {
    Digest asked = Digest.of("sha256", "the real layer".getBytes(StandardCharsets.UTF_8));
    HttpServer server = serve(exchange -> respond(exchange, 200, "application/octet-stream", "a forged layer"));

    InputStream blob = registry(server, Limits.defaults()).blob("team/app", asked, 1024);

    assertReadFails(blob, Kind.MALFORMED, "does not match its digest " + asked);
  }

  @Test
  void blobLargerThanAllowedFailsWhileReading() throws Exception {
    byte[] content = new byte[10_000];
    HttpServer server =
        serve(
            exchange -> {
              exchange.sendResponseHeaders(200, 0); // chunked: discovered while reading
              exchange.getResponseBody().write(content);
              exchange.close();
            });

    InputStream blob = registry(server, Limits.defaults()).blob("team/app", Digest.of("sha256", content), 4096);

    assertReadFails(blob, Kind.TOO_LARGE, "exceeds the limit of 4.0 KiB");
  }

  @Test
  void manifestWithAHundredThousandLayersIsTooLarge() {
    String layer =
        "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:" + "a".repeat(64)
            + "\",\"size\":1}";
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":" + layer
            + ",\"layers\":[" + String.join(",", Collections.nCopies(100_000, layer)) + "]}";
    HttpServer server = serve(exchange -> respond(exchange, 200, OCI_MANIFEST, manifest));

    assertFailsFast(
        () -> registry(server, Limits.defaults()).manifest("team/app", "1.0"),
        Kind.TOO_LARGE,
        "more than the limit of 4.0 MiB");
  }

  @Test
  void redirectedBlobReachesStorageWithoutCredentials() throws Exception {
    byte[] content = "layer content".getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.of("sha256", content);
    AtomicReference<String> storageSaw = new AtomicReference<>("(no request)");
    HttpServer storage =
        serve(
            exchange -> {
              storageSaw.set(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
              respond(exchange, 200, "application/octet-stream", new String(content, StandardCharsets.UTF_8));
            });
    AtomicReference<String> registrySaw = new AtomicReference<>();
    HttpServer server =
        serve(
            exchange -> {
              registrySaw.set(exchange.getRequestHeaders().getFirst("Authorization"));
              exchange.getResponseHeaders().set(
                  "Location", "http://localhost:" + storage.getAddress().getPort() + "/bucket/blob?signature=abc");
              exchange.sendResponseHeaders(307, -1);
              exchange.close();
            });

    byte[] read;
    try (InputStream blob =
        new OciRegistry(settings(server, Limits.defaults()).withCredentials(Credentials.bearer(TOKEN)))
            .blob("team/app", digest, 1024)) {
      read = blob.readAllBytes();
    }

    assertThat(read).isEqualTo(content);
    assertThat(registrySaw.get()).isEqualTo("Bearer " + TOKEN);
    assertThat(storageSaw.get()).isEqualTo("null");
  }

  @Test
  void endlessRedirectsAreMalformed() {
    HttpServer server =
        serve(
            exchange -> {
              exchange.getResponseHeaders().set("Location", "/v2/team/app/blobs/elsewhere");
              exchange.sendResponseHeaders(302, -1);
              exchange.close();
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).blob("team/app", Digest.of("sha256", new byte[0]), 10),
        Kind.MALFORMED,
        "was redirected more than 5 times");
  }

  @Test
  void credentialsEchoedByTheRegistryNeverReachAMessage() {
    HttpServer server =
        serve(
            exchange -> {
              String echoed = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
              int status = exchange.getRequestURI().getPath().contains("tags") ? 403 : 500;
              respond(
                  exchange,
                  status,
                  JSON,
                  "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"you sent " + echoed + "\",\"detail\":\"" + echoed
                      + "\"}]}");
            });
    String basic = Base64.getEncoder().encodeToString(("scanner:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    for (Credentials credentials : List.of(Credentials.bearer(TOKEN), Credentials.basic("scanner", PASSWORD))) {
      OciRegistry oci = new OciRegistry(settings(server, Limits.defaults()).withCredentials(credentials));
      for (ThrowingCallable call :
          List.<ThrowingCallable>of(() -> oci.tags("team/app", tag -> {}), () -> oci.manifest("team/app", "1"))) {
        assertThatThrownBy(call)
            .isInstanceOf(RegistryException.class)
            .hasMessageContaining("DENIED")
            .hasMessageNotContaining(TOKEN)
            .hasMessageNotContaining(PASSWORD)
            .hasMessageNotContaining(basic);
      }
    }
    assertThat(Credentials.basic("scanner", PASSWORD).toString()).doesNotContain(PASSWORD);
    assertThat(Credentials.bearer(TOKEN).toString()).doesNotContain(TOKEN);
  }

  @Test
  void tokenServiceOnAnotherPortIsUsedAndItsTokenCached() throws Exception {
    AtomicInteger tokens = new AtomicInteger();
    HttpServer tokenService =
        serve(
            exchange -> {
              tokens.incrementAndGet();
              String query = exchange.getRequestURI().getRawQuery();
              assertThat(query).contains("service=hostile").contains("scope=repository%3Ateam%2Fapp%3Apull");
              respond(exchange, 200, JSON, "{\"access_token\":\"issued-token\",\"expires_in\":300}");
            });
    HttpServer server =
        serve(
            exchange -> {
              if ("Bearer issued-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 200, JSON, "{\"name\":\"team/app\",\"tags\":[\"1.0\"]}");
                return;
              }
              exchange.getResponseHeaders().set(
                  "WWW-Authenticate",
                  "Bearer realm=\"http://localhost:" + tokenService.getAddress().getPort()
                      + "/token\",service=\"hostile\",scope=\"repository:team/app:pull\"");
              respond(exchange, 401, JSON, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
            });
    OciRegistry oci = registry(server, Limits.defaults());
    List<String> tags = new ArrayList<>();

    oci.tags("team/app", tags::add);
    oci.tags("team/app", tags::add);

    assertThat(tags).containsExactly("1.0", "1.0");
    assertThat(tokens).hasValue(1);
  }

  @Test
  void tokenThatCouldSplitAHeaderIsRefused() {
    HttpServer server =
        serve(
            exchange -> {
              if (exchange.getRequestURI().getPath().equals("/token")) {
                respond(exchange, 200, JSON, "{\"token\":\"abc\\r\\nX-Injected: yes\"}");
                return;
              }
              exchange.getResponseHeaders().set(
                  "WWW-Authenticate",
                  "Bearer realm=\"http://127.0.0.1:" + exchange.getLocalAddress().getPort() + "/token\",service=\"s\"");
              respond(exchange, 401, JSON, "{}");
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).manifest("team/app", "1"),
        Kind.MALFORMED,
        "holds an unusable token");
  }

  @Test
  void tokenRealmThatIsNotHttpIsRefused() {
    HttpServer server =
        serve(
            exchange -> {
              exchange
                  .getResponseHeaders()
                  .set("WWW-Authenticate", "Bearer realm=\"file:///etc/passwd\",service=\"s\"");
              respond(exchange, 401, JSON, "{}");
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).manifest("team/app", "1"),
        Kind.MALFORMED,
        "refusing the registry's token realm 'file:///etc/passwd'");
  }

  @Test
  void redirectFromHttpsToPlainHttpIsRefused() {
    HttpServer storage = serve(exchange -> respond(exchange, 200, "application/octet-stream", "layer"));
    HttpsServer server =
        serveTls(
            exchange -> {
              exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + storage.getAddress().getPort() + "/b");
              exchange.sendResponseHeaders(307, -1);
            });

    assertFailsFast(
        () -> tlsRegistry(server).blob("team/app", Digest.of("sha256", new byte[0]), 10),
        Kind.MALFORMED,
        "was redirected to 'http://127.0.0.1', which is not an https URL");
  }

  @Test
  void plainHttpTokenRealmOfAnHttpsRegistryIsRefused() {
    AtomicInteger tokenRequests = new AtomicInteger();
    HttpServer tokenService =
        serve(
            exchange -> {
              tokenRequests.incrementAndGet();
              respond(exchange, 200, JSON, "{\"token\":\"t\"}");
            });
    HttpsServer server =
        serveTls(
            exchange -> {
              String realm = "http://127.0.0.1:" + tokenService.getAddress().getPort() + "/token";
              exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"s\"");
              respond(exchange, 401, JSON, "{}");
            });

    assertFailsFast(
        () -> tlsRegistry(server).manifest("team/app", "1"),
        Kind.MALFORMED,
        "it must be an https URL (plain http only when the registry itself is)");
    assertThat(tokenRequests).hasValue(0);
  }

  @Test
  void challengeForAnUnknownSchemeIsUnauthorized() {
    HttpServer server =
        serve(
            exchange -> {
              exchange.getResponseHeaders().set("WWW-Authenticate", "Negotiate");
              respond(exchange, 401, JSON, "{}");
            });

    assertFailsFast(
        () -> registry(server, Limits.defaults()).manifest("team/app", "1"),
        Kind.UNAUTHORIZED,
        "without asking for Basic or Bearer authentication");
  }

  private static void assertFailsFast(ThrowingCallable call, Kind kind, String message) {
    long started = System.nanoTime();
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(kind))
        .hasMessageContaining(message);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  private static void assertReadFails(InputStream blob, Kind kind, String message) {
    long started = System.nanoTime();
    assertThatThrownBy(blob::readAllBytes)
        .isInstanceOf(IOException.class)
        .hasMessageContaining(message)
        .cause()
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  private OciRegistry registry(HttpServer server, Limits limits) {
    return new OciRegistry(settings(server, limits));
  }

  private static OciRegistry.Settings settings(HttpServer server, Limits limits) {
    return OciRegistry.Settings.of("http://127.0.0.1:" + server.getAddress().getPort())
        .withTimeouts(Duration.ofSeconds(1), REQUEST_TIMEOUT)
        .withLimits(limits.value());
  }

  private OciRegistry tlsRegistry(HttpsServer server) {
    return new OciRegistry(
        OciRegistry.Settings.of("https://127.0.0.1:" + server.getAddress().getPort())
            .withCredentials(Credentials.basic("scanner", PASSWORD))
            .withTrustedCertificates(AUTHORITY.certificatePem())
            // the first TLS handshake of a JVM takes a while: these cases are not about timeouts
            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)));
  }

  /** An HTTPS server on loopback with a certificate from this class's test CA. */
  private HttpsServer serveTls(HttpHandler handler) {
    try {
      TestCertificateAuthority.Issued certificate = AUTHORITY.issueServerCertificate();
      KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
      keys.load(null, null);
      Certificate[] chain = {certificate.certificate(), certificate.issuer()};
      keys.setKeyEntry("server", certificate.privateKey(), new char[0], chain);
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, new char[0]);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), null, null);
      HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(context));
      return start(server, handler);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpServer serve(HttpHandler handler) {
    try {
      return start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), handler);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private <S extends HttpServer> S start(S server, HttpHandler handler) {
    ExecutorService executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            handler.handle(exchange);
          } catch (IOException clientWentAway) {
            // the client gave up on this response, as these tests intend
          }
        });
    server.start();
    servers.add(server);
    executors.add(executor);
    return server;
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Limits for a test: the defaults, or small ones where a case pages. */
  private record Limits(OciRegistry.Limits value) {

    Limits(int pageSize, int maxNames, int maxPages, int maxJsonBytes, Duration maxRetryWait) {
      this(new OciRegistry.Limits(pageSize, maxNames, maxPages, maxJsonBytes, maxRetryWait));
    }

    static Limits defaults() {
      return new Limits(OciRegistry.Limits.DEFAULT.pageSize(), OciRegistry.Limits.DEFAULT.maxNames(),
          OciRegistry.Limits.DEFAULT.maxPages(), OciRegistry.Limits.DEFAULT.maxJsonBytes(), Duration.ofSeconds(2));
    }
  }
}
