package io.portcullis.registry.internal.acr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.containers.containerregistry.models.ContainerRegistryAudience;
import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import io.portcullis.scanner.image.Descriptor;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.ManifestDocument;
import io.portcullis.scanner.image.Manifests;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryException.Kind;
import io.portcullis.scanner.image.RegistrySource.FetchedManifest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * {@link AcrSource} against a registry on loopback that speaks ACR's data-plane API over TLS ({@link FakeAcr}), with
 * the real SDK in between: its challenge handling, token exchange, paging, retries and digest checks all run.
 */
class AcrSourceTests {

  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  private MockWebServer server;
  private FakeAcr acr;
  private URI endpoint;
  private AzureCloud cloud;
  private final AtomicInteger entraTokensIssued = new AtomicInteger();
  private final List<String> parsed = new CopyOnWriteArrayList<>();

  /** Stands in for an Entra credential: what it returns is what the SDK must take to {@code /oauth2/exchange}. */
  private final TokenCredential entra =
      request -> {
        entraTokensIssued.incrementAndGet();
        assertThat(request.getScopes()).containsExactly("https://containerregistry.azure.net/.default");
        return Mono.just(new AccessToken(FakeAcr.ENTRA_TOKEN, OffsetDateTime.now().plusHours(1)));
      };

  /** The scanner's manifest parser, recording what it was given. */
  private final ManifestParser parser =
      (servedType, bytes) -> {
        parsed.add(servedType + " " + new String(bytes, StandardCharsets.UTF_8));
        return Manifests.parse(servedType, bytes);
      };

  @BeforeEach
  void startRegistry() throws IOException {
    server = new MockWebServer();
    server.useHttps(LoopbackTls.serverSockets());
    server.start();
    String host = server.getHostName();
    endpoint = URI.create("https://" + host + ":" + server.getPort());
    acr = new FakeAcr(host, endpoint.toString());
    server.setDispatcher(acr);
    cloud =
        new AzureCloud(
            URI.create("https://login.microsoftonline.com/"),
            ContainerRegistryAudience.fromString("https://containerregistry.azure.net"),
            host);
  }

  @AfterEach
  void stopRegistry() {
    server.close();
  }

  private AcrTransport transport() {
    return AcrTransport.defaults().withTrust(LoopbackTls.clientTrust()).withRetries(2, Duration.ofSeconds(5));
  }

  private AcrSource source() {
    return source(AcrLimits.defaults(), transport());
  }

  private AcrSource source(AcrLimits limits, AcrTransport transport) {
    return new AcrSources(cloud, transport, limits, parser).open(endpoint, entra);
  }

  // --- catalog and tags ---------------------------------------------------------------------------------------------

  @Test
  void repositoriesArePagedThroughTheCatalog() throws RegistryException {
    for (String name : List.of("zeta", "alpine", "team/app", "nginx", "busybox")) {
      acr.addRepository(name);
    }

    List<String> names = new ArrayList<>();
    source().repositories(names::add);

    assertThat(names).containsExactly("alpine", "busybox", "nginx", "team/app", "zeta");
    assertThat(authorisedRequestsTo("/acr/v1/_catalog")).hasSize(3); // pages of two
  }

  @Test
  void aCatalogPastTheLimitStopsWithoutReadingTheRest() {
    for (int i = 0; i < 10; i++) {
      acr.addRepository("repo" + i);
    }
    List<String> names = new ArrayList<>();

    assertThatThrownBy(() -> source(new AcrLimits(3, 100, 100, 4096), transport()).repositories(names::add))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
        .hasMessageContaining("more than 3 repositories");
    assertThat(names).hasSize(3);
    // Five pages in all; the third is at most fetched ahead while the second is read.
    assertThat(authorisedRequestsTo("/acr/v1/_catalog")).hasSizeBetween(2, 3);
  }

  @Test
  void aCatalogThatPagesForeverStopsAtThePageLimit() {
    acr.addRepository("loop");
    acr.pageSize = 1;
    acr.endlessCatalog = true;

    assertThatThrownBy(() -> source(new AcrLimits(1000, 100, 5, 4096), transport()).repositories(name -> {}))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
        .hasMessageContaining("more than 5 pages");
  }

  @Test
  void aNameOutsideTheGrammarIsMalformed() {
    acr.addRepository("fine");
    acr.addRepository("../../etc");

    assertThatThrownBy(() -> source().repositories(name -> {}))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessageContaining("../../etc");
  }

  @Test
  void tagsComeFromTheManifestListingAcrossPages() throws RegistryException {
    acr.pushManifest("team/app", OCI_MANIFEST, manifest("one"), "latest", "1.0");
    acr.pushManifest("team/app", OCI_MANIFEST, manifest("two"), "0.9");
    acr.pushManifest("team/app", OCI_MANIFEST, manifest("untagged"));

    List<String> tags = new ArrayList<>();
    source().tags("team/app", tags::add);

    assertThat(tags).containsExactly("latest", "1.0", "0.9");
    assertThat(authorisedRequestsTo("/acr/v1/team")).hasSize(2);
  }

  @Test
  void tooManyTagsStopWithTooLarge() {
    acr.pushManifest("app", OCI_MANIFEST, manifest("one"), "a", "b", "c");

    assertThatThrownBy(() -> source(new AcrLimits(10, 2, 10, 4096), transport()).tags("app", tag -> {}))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE));
  }

  @Test
  void tagsOfAMissingRepositoryAreNotFound() {
    assertThatThrownBy(() -> source().tags("nothing/here", tag -> {}))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
  }

  // --- manifests ----------------------------------------------------------------------------------------------------

  @Test
  void aManifestByTagAndByDigestComesWithItsVerifiedDigest() throws RegistryException {
    byte[] bytes = manifest("layered");
    Digest digest = acr.pushManifest("team/app", OCI_MANIFEST, bytes, "latest");
    AcrSource source = source();

    FetchedManifest byTag = source.manifest("team/app", "latest");
    FetchedManifest byDigest = source.manifest("team/app", digest.toString());

    for (FetchedManifest fetched : List.of(byTag, byDigest)) {
      assertThat(fetched.digest()).isEqualTo(digest);
      assertThat(fetched.mediaType()).isEqualTo(OCI_MANIFEST);
      assertThat(fetched.bytes()).isEqualTo(bytes);
      assertThat(fetched.document())
          .isInstanceOfSatisfying(
              ManifestDocument.Image.class, image -> assertThat(image.layers()).extracting(Descriptor::size)
                  .containsExactly(1234L));
    }
    assertThat(parsed).containsExactly(
        OCI_MANIFEST + " " + new String(bytes, StandardCharsets.UTF_8),
        OCI_MANIFEST + " " + new String(bytes, StandardCharsets.UTF_8));
    // The registry was asked for the four manifest types and nothing else.
    assertThat(authorisedRequestsTo("/v2/team/app/manifests/"))
        .allSatisfy(
            request ->
                assertThat(request.getHeaders().get("Accept")).isEqualTo(String.join(", ", Manifests.MEDIA_TYPES)));
  }

  @Test
  void anIndexKeepsItsMediaType() throws RegistryException {
    byte[] index = "{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.UTF_8);
    acr.pushManifest("app", OCI_INDEX, index, "multi");

    assertThat(source().manifest("app", "multi").mediaType()).isEqualTo(OCI_INDEX);
  }

  @Test
  void aTamperedManifestIsMalformed() {
    Digest digest = acr.pushManifest("app", OCI_MANIFEST, manifest("original"), "latest");
    acr.tamper("app", digest, manifest("tampered"));

    assertThatThrownBy(() -> source().manifest("app", "latest"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessageContaining("digest");
    assertThat(parsed).isEmpty();
  }

  @Test
  void aManifestOfAnotherTypeIsMalformed() {
    acr.pushManifest("app", "application/vnd.docker.distribution.manifest.v1+prettyjws", manifest("v1"), "old");

    assertThatThrownBy(() -> source().manifest("app", "old"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessageContaining("schema 1")
        .hasMessageContaining("app:old");
  }

  @Test
  void aManifestTheParserRejectsIsMalformed() {
    acr.pushManifest("app", OCI_MANIFEST, manifest("odd"), "latest");
    ManifestParser refusing =
        (mediaType, bytes) -> {
          throw new IllegalArgumentException("layers missing");
        };
    AcrSource source = new AcrSources(cloud, transport(), AcrLimits.defaults(), refusing).open(endpoint, entra);

    assertThatThrownBy(() -> source.manifest("app", "latest"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessageContaining("layers missing");
  }

  @Test
  void aManifestOverTheLimitIsTooLarge() {
    acr.pushManifest("app", OCI_MANIFEST, manifest("x".repeat(200)), "big");

    assertThatThrownBy(() -> source(new AcrLimits(10, 10, 10, 100), transport()).manifest("app", "big"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE));
  }

  @Test
  void namesOutsideTheGrammarCannotExist() {
    AcrSource source = source();

    for (ThrowingCallable call :
        List.<ThrowingCallable>of(
            () -> source.manifest("../etc", "latest"),
            () -> source.manifest("app", "bad tag"),
            () -> source.manifest("app", "sha256:short"),
            () -> source.tags("Upper/Case", tag -> {}))) {
      assertThatThrownBy(call)
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }
    assertThat(acr.requests).isEmpty();
  }

  @Test
  void aMissingManifestIsNotFound() {
    acr.pushManifest("app", OCI_MANIFEST, manifest("one"), "latest");

    assertThatThrownBy(() -> source().manifest("app", "gone"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
        .hasMessageContaining("MANIFEST_UNKNOWN");
  }

  // --- identity and tokens ------------------------------------------------------------------------------------------

  @Test
  void anEntraTokenTheRegistryRefusesIsUnauthorized() {
    acr.pushManifest("app", OCI_MANIFEST, manifest("one"), "latest");
    acr.refuseEntraToken = true;

    assertThatThrownBy(() -> source().manifest("app", "latest"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED))
        .hasMessageContaining("401")
        .hasMessageNotContaining(FakeAcr.ENTRA_TOKEN);
  }

  @Test
  void theEntraTokenGoesOnlyToTheExchangeAndDataCallsCarryAcrTokens() throws Exception {
    acr.addRepository("alpine");
    Digest layer = acr.pushBlob("team/app", "layer".getBytes(StandardCharsets.UTF_8));
    acr.pushManifest("team/app", OCI_MANIFEST, manifest("one"), "latest");
    AcrSource source = source();

    source.repositories(name -> {});
    source.tags("team/app", tag -> {});
    source.manifest("team/app", "latest");
    try (InputStream blob = source.blob("team/app", layer, 1024)) {
      blob.readAllBytes();
    }

    List<RecordedRequest> exchanges = requestsTo("/oauth2/exchange");
    assertThat(exchanges).isNotEmpty();
    assertThat(exchanges).allSatisfy(r -> assertThat(r.getBody().utf8()).contains(FakeAcr.ENTRA_TOKEN));
    assertThat(entraTokensIssued.get()).isGreaterThan(0);
    for (RecordedRequest request : acr.requests) {
      String path = request.getUrl().encodedPath();
      String headers = request.getHeaders().toString();
      String body = request.getBody() == null ? "" : request.getBody().utf8();
      assertThat(headers).as("headers of %s", path).doesNotContain(FakeAcr.ENTRA_TOKEN);
      if (!path.equals("/oauth2/exchange")) {
        assertThat(body).as("body of %s", path).doesNotContain(FakeAcr.ENTRA_TOKEN);
      }
      if (!path.startsWith("/oauth2/")) {
        assertThat(headers).as("headers of %s", path).doesNotContain(acr.refreshToken);
        String authorization = request.getHeaders().get("Authorization");
        if (authorization != null) {
          assertThat(acr.accessTokens()).containsKey(authorization.substring("Bearer ".length()));
        }
      }
    }
    assertThat(authorisedRequestsTo("/v2/")).isNotEmpty();
    assertThat(authorisedRequestsTo("/acr/")).isNotEmpty();
  }

  // --- throttling, failures of the transport ------------------------------------------------------------------------

  @Test
  void throttlingLongerThanTheBudgetIsReportedAtOnce() {
    acr.pushManifest("app", OCI_MANIFEST, manifest("one"), "latest");
    acr.interrupt(
        "/v2/app/manifests/",
        new MockResponse.Builder()
            .code(429)
            .addHeader("Retry-After", "3600")
            .addHeader("Content-Type", "application/json")
            .body("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}")
            .build());
    long started = System.nanoTime();

    assertThatThrownBy(() -> source().manifest("app", "latest"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.THROTTLED));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aShortRetryAfterIsWaitedOut() throws RegistryException {
    acr.pushManifest("app", OCI_MANIFEST, manifest("one"), "latest");
    acr.interrupt("/v2/app/manifests/", new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build());

    assertThat(source().manifest("app", "latest").mediaType()).isEqualTo(OCI_MANIFEST);
    assertThat(authorisedRequestsTo("/v2/app/manifests/")).hasSize(2);
  }

  @Test
  void anUntrustedCertificateIsATlsFailure() {
    acr.addRepository("app");
    AcrTransport jdkTrust = AcrTransport.defaults().withRetries(0, Duration.ofSeconds(1));

    assertThatThrownBy(() -> source(AcrLimits.defaults(), jdkTrust).repositories(name -> {}))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TLS));
  }

  @Test
  void aRegistryThatDoesNotAnswerTimesOut() {
    acr.pushManifest("app", OCI_MANIFEST, manifest("one"), "latest");
    acr.interrupt(
        "/v2/app/manifests/",
        new MockResponse.Builder().code(200).headersDelay(5, TimeUnit.SECONDS).body("{}").build());
    AcrTransport impatient =
        new AcrTransport(
            Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofSeconds(1),
            LoopbackTls.clientTrust());

    assertThatThrownBy(() -> source(AcrLimits.defaults(), impatient).manifest("app", "latest"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT));
  }

  @Test
  void tokensAreSentOnlyToLoginServersOfTheCloud() {
    AcrSources sources = new AcrSources(AzureCloud.PUBLIC, transport(), AcrLimits.defaults(), parser);

    assertThatThrownBy(() -> sources.open(URI.create("https://evil.example"), entra))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sources.open(URI.create("http://contoso.azurecr.io"), entra))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sources.open(URI.create("https://contoso.azurecr.io/v2/"), entra))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(sources.open(URI.create("https://contoso.azurecr.io"), entra)).isNotNull();
  }

  // --- blobs --------------------------------------------------------------------------------------------------------

  @Test
  void aBlobLargerThanOneChunkStreamsThroughAndIsVerified() throws Exception {
    byte[] bytes = new byte[5 * 1024 * 1024 + 17]; // the SDK fetches 4 MiB ranges: this takes two
    new Random(7).nextBytes(bytes);
    Digest digest = acr.pushBlob("team/app", bytes);

    byte[] read;
    try (InputStream blob = source().blob("team/app", digest, bytes.length)) {
      read = blob.readAllBytes();
    }

    assertThat(read).isEqualTo(bytes);
    assertThat(authorisedRequestsTo("/v2/team/app/blobs/"))
        .extracting(r -> r.getHeaders().get("Range"))
        .containsExactly("bytes=0-4194303", "bytes=4194304-8388607");
  }

  @Test
  void aRedirectedBlobDownloadLeavesTheRegistryTokenBehind() throws Exception {
    byte[] bytes = "layer bytes".getBytes(StandardCharsets.UTF_8);
    Digest digest = acr.pushBlob("app", bytes);
    acr.redirectBlobs = true;

    try (InputStream blob = source().blob("app", digest, 1024)) {
      assertThat(blob.readAllBytes()).isEqualTo(bytes);
    }

    assertThat(requestsTo("/storage/")).isNotEmpty()
        .allSatisfy(r -> assertThat(r.getHeaders().get("Authorization")).isNull());
  }

  @Test
  void aTamperedBlobIsMalformed() {
    Digest digest = acr.pushBlob("app", "original".getBytes(StandardCharsets.UTF_8));
    acr.tamper("app", digest, "tampered".getBytes(StandardCharsets.UTF_8));

    assertThat(failureReading("app", digest, 1024).kind()).isEqualTo(Kind.MALFORMED);
  }

  @Test
  void aBlobOverItsLimitIsTooLarge() {
    Digest digest = acr.pushBlob("app", new byte[4096]);

    assertThat(failureReading("app", digest, 1000).kind()).isEqualTo(Kind.TOO_LARGE);
  }

  @Test
  void aMissingBlobIsNotFoundBeforeAnythingIsRead() {
    acr.addRepository("app");
    Digest absent = FakeAcr.sha256("absent".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> source().blob("app", absent, 1024))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
  }

  // --- helpers ------------------------------------------------------------------------------------------------------

  /**
   * What reading a blob to its end failed with. A small blob may have arrived whole, and failed its check, before
   * {@code blob(...)} returns, so the failure comes either from opening or from reading, as its IOException's cause.
   */
  private RegistryException failureReading(String repository, Digest digest, long maxBytes) {
    try (InputStream blob = source().blob(repository, digest, maxBytes)) {
      blob.readAllBytes();
    } catch (RegistryException e) {
      return e;
    } catch (IOException e) {
      assertThat(e.getCause()).isInstanceOf(RegistryException.class);
      return (RegistryException) e.getCause();
    }
    throw new AssertionError("the blob was read without a failure");
  }

  /** Requests by decoded path: the SDK sends {@code team/app} as one segment, {@code team%2Fapp}. */
  private List<RecordedRequest> requestsTo(String pathPrefix) {
    return acr.requests.stream()
        .filter(r -> ("/" + String.join("/", r.getUrl().pathSegments())).startsWith(pathPrefix))
        .toList();
  }

  /** Requests that got past the challenge: they carried an ACR access token. */
  private List<RecordedRequest> authorisedRequestsTo(String pathPrefix) {
    return requestsTo(pathPrefix).stream().filter(r -> r.getHeaders().get("Authorization") != null).toList();
  }

  /** A small OCI image manifest with one layer; {@code marker} makes each one different. */
  private static byte[] manifest(String marker) {
    String digest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest
            + "\",\"size\":2},"
            + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + digest
            + "\",\"size\":1234}],"
            + "\"annotations\":{\"marker\":\"" + marker + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
