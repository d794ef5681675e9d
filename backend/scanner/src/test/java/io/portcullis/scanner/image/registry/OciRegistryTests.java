package io.portcullis.scanner.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.scanner.image.Descriptor;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.ImageConfig;
import io.portcullis.scanner.image.ManifestDocument;
import io.portcullis.scanner.image.Manifests;
import io.portcullis.scanner.image.Platform;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryException.Kind;
import io.portcullis.scanner.image.RegistrySource.FetchedManifest;
import io.portcullis.scanner.testing.TestCertificateAuthority;
import io.portcullis.scanner.testing.TestImages;
import io.portcullis.scanner.testing.TestRegistry;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link OciRegistry} against Debian's real docker-registry, anonymous, with Basic auth over TLS, and with tokens. */
class OciRegistryTests {

  private static final String USER = "scanner";
  private static final String PASSWORD = "correct horse battery staple";

  @Nested
  @TestInstance(Lifecycle.PER_CLASS)
  class Anonymous {

    private TestRegistry registry;
    private TestImages images;
    private OciRegistry oci;

    @BeforeAll
    void start() {
      registry = TestRegistry.anonymous();
      images = new TestImages(registry);
      oci = new OciRegistry(registry.settings());
    }

    @AfterAll
    void stop() {
      registry.close();
    }

    @Test
    void catalogIsReadPageByPage() throws Exception {
      List<String> pushed = IntStream.range(0, 7).mapToObj(i -> "paging/repo-" + i).toList();
      TestImages.Image image = TestImages.image("amd64");
      pushed.forEach(repository -> images.push(repository, "1", image));
      OciRegistry smallPages = new OciRegistry(registry.settings().withLimits(limits(3, 100, 100)));

      List<String> listed = new ArrayList<>();
      smallPages.repositories(listed::add);

      assertThat(listed).containsAll(pushed).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void catalogStopsAtThePageLimit() {
      TestImages.Image image = TestImages.image("amd64");
      IntStream.range(0, 4).forEach(i -> images.push("limits/pages-" + i, "1", image));
      OciRegistry twoPages = new OciRegistry(registry.settings().withLimits(limits(1, 100, 2)));

      assertThatThrownBy(() -> twoPages.repositories(name -> {}))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
          .hasMessageContaining("more than 2 pages");
    }

    @Test
    void catalogStopsAtTheNameLimit() {
      TestImages.Image image = TestImages.image("amd64");
      IntStream.range(0, 4).forEach(i -> images.push("limits/names-" + i, "1", image));
      OciRegistry fewNames = new OciRegistry(registry.settings().withLimits(limits(2, 3, 100)));

      assertThatThrownBy(() -> fewNames.repositories(name -> {}))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
          .hasMessageContaining("more than 3 entries");
    }

    @Test
    void tagsAreListedAcrossPages() throws Exception {
      TestImages.Image image = TestImages.image("amd64");
      List<String> tags = List.of("1.0", "1.1", "2.0", "latest", "stable");
      tags.forEach(tag -> images.push("team/tags", tag, image));
      OciRegistry smallPages = new OciRegistry(registry.settings().withLimits(limits(2, 100, 100)));

      List<String> listed = new ArrayList<>();
      smallPages.tags("team/tags", listed::add);

      assertThat(listed).containsExactlyInAnyOrderElementsOf(tags);
    }

    @Test
    void tagsOfAnUnknownRepositoryAreNotFound() {
      assertThatThrownBy(() -> oci.tags("team/nothing-here", tag -> {}))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
          .hasMessageContaining("/v2/team/nothing-here/tags/list")
          .hasMessageContaining("NAME_UNKNOWN");
    }

    @Test
    void manifestByTagAndByDigest() throws Exception {
      TestImages.Image image = TestImages.image("amd64");
      Digest digest = images.push("team/app", "1.0", image);

      FetchedManifest byTag = oci.manifest("team/app", "1.0");
      FetchedManifest byDigest = oci.manifest("team/app", digest.toString());

      for (FetchedManifest fetched : List.of(byTag, byDigest)) {
        assertThat(fetched.digest()).isEqualTo(digest);
        assertThat(fetched.mediaType()).isEqualTo(Manifests.OCI_MANIFEST);
        assertThat(fetched.bytes()).isEqualTo(image.manifest().content());
        ManifestDocument.Image document = (ManifestDocument.Image) fetched.document();
        assertThat(document.config().digest()).isEqualTo(image.config().digest());
        assertThat(document.layers()).extracting(Descriptor::digest).containsExactly(image.layers().get(0).digest());
      }
    }

    @Test
    void unknownTagIsNotFound() {
      assertThatThrownBy(() -> oci.manifest("team/app", "no-such-tag"))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void movingATagChangesTheDigestItNames() throws Exception {
      Digest first = images.push("team/moving", "latest", TestImages.image("amd64"));
      assertThat(oci.manifest("team/moving", "latest").digest()).isEqualTo(first);

      Digest second = images.push("team/moving", "latest", TestImages.image("arm64"));

      assertThat(second).isNotEqualTo(first);
      assertThat(oci.manifest("team/moving", "latest").digest()).isEqualTo(second);
      assertThat(oci.manifest("team/moving", first.toString()).digest()).isEqualTo(first);
    }

    @Test
    void ociIndexListsItsPlatforms() throws Exception {
      TestImages.Index index =
          images.pushIndex("team/multi", "latest", TestImages.image("amd64"), TestImages.image("arm64"));

      FetchedManifest fetched = oci.manifest("team/multi", "latest");

      assertThat(fetched.digest()).isEqualTo(index.digest());
      assertThat(fetched.mediaType()).isEqualTo(Manifests.OCI_INDEX);
      ManifestDocument.Index document = (ManifestDocument.Index) fetched.document();
      assertThat(document.manifests())
          .extracting(Descriptor::platform)
          .containsExactly(new Platform("linux", "amd64", null), new Platform("linux", "arm64", null));
      Descriptor arm64 = document.manifests().get(1);
      assertThat(arm64.digest()).isEqualTo(index.images().get(1).digest());
      assertThat(oci.manifest("team/multi", arm64.digest().toString()).document())
          .isInstanceOf(ManifestDocument.Image.class);
    }

    @Test
    void dockerManifestListAndImage() throws Exception {
      TestImages.Image amd64 = TestImages.dockerImage(new Platform("linux", "amd64", null), Map.of("a.txt", "a"));
      TestImages.Image arm = TestImages.dockerImage(new Platform("linux", "arm", "v7"), Map.of("a.txt", "a"));
      TestImages.Index list = images.pushIndex("team/docker", "latest", amd64, arm);

      FetchedManifest fetched = oci.manifest("team/docker", "latest");
      FetchedManifest child = oci.manifest("team/docker", arm.digest().toString());

      assertThat(fetched.digest()).isEqualTo(list.digest());
      assertThat(fetched.mediaType()).isEqualTo(Manifests.DOCKER_MANIFEST_LIST);
      assertThat(((ManifestDocument.Index) fetched.document()).manifests())
          .extracting(Descriptor::platform)
          .containsExactly(new Platform("linux", "amd64", null), new Platform("linux", "arm", "v7"));
      assertThat(child.mediaType()).isEqualTo(Manifests.DOCKER_MANIFEST);
    }

    @Test
    void blobsAreDownloadedAndVerified() throws Exception {
      TestImages.Image image =
          TestImages.image(new Platform("linux", "arm64", "v8"), Map.of("etc/os-release", "ID=test\n"));
      images.push("team/blobs", "1", image);
      TestImages.Blob layer = image.layers().get(0);

      byte[] downloaded;
      try (InputStream blob = oci.blob("team/blobs", layer.digest(), 1024 * 1024)) {
        downloaded = blob.readAllBytes();
      }
      ImageConfig config;
      try (InputStream blob = oci.blob("team/blobs", image.config().digest(), ImageConfig.MAX_BYTES)) {
        config = ImageConfig.parse(blob.readAllBytes());
      }

      assertThat(downloaded).isEqualTo(layer.content());
      assertThat(config.platform()).isEqualTo(new Platform("linux", "arm64", "v8"));
      assertThat(config.created()).isEqualTo(TestImages.CREATED);
      assertThat(config.user()).isEqualTo("1000:1000");
    }

    @Test
    void blobLargerThanAllowedIsRefusedBeforeReading() {
      TestImages.Image image = TestImages.image("amd64");
      images.push("team/big", "1", image);
      TestImages.Blob layer = image.layers().get(0);

      assertThatThrownBy(() -> oci.blob("team/big", layer.digest(), layer.content().length - 1))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE));
    }

    @Test
    void unknownBlobIsNotFound() {
      Digest missing = Digest.of("sha256", new byte[] {1, 2, 3});
      assertThatThrownBy(() -> oci.blob("team/app", missing, 100))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @ParameterizedTest(name = "repository {0}, reference {1}")
    @CsvSource({
      "../../etc,         latest",
      "Team/App,          latest",
      "team/app?x=1,      latest",
      "team//app,         latest",
      "team/app,          ../../_catalog",
      "team/app,          -leading-dash",
      "team/app,          sha256:short",
      "team/app,          'has space'"
    })
    void namesOutsideTheGrammarNeverReachAUrl(String repository, String reference) {
      assertThatThrownBy(() -> oci.manifest(repository, reference))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
          .hasMessageStartingWith("not a valid");
    }

    @Test
    void closedPortIsUnavailable() throws Exception {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      OciRegistry nowhere = new OciRegistry(OciRegistry.Settings.of("http://127.0.0.1:" + port));

      assertThatThrownBy(() -> nowhere.repositories(name -> {}))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
          .hasMessageContaining("127.0.0.1:" + port);
    }
  }

  @Nested
  @TestInstance(Lifecycle.PER_CLASS)
  class BasicAuthOverTls {

    private TestRegistry registry;
    private TestImages.Image image;

    @BeforeAll
    void start() {
      registry = TestRegistry.basicAuthOverTls(USER, PASSWORD);
      image = TestImages.image("amd64");
      new TestImages(registry).push("secure/app", "1.0", image);
    }

    @AfterAll
    void stop() {
      registry.close();
    }

    @Test
    void readsWithTheRightPasswordAndTheRegistrysCa() throws Exception {
      OciRegistry oci = new OciRegistry(registry.settings());

      List<String> repositories = new ArrayList<>();
      oci.repositories(repositories::add);
      FetchedManifest manifest = oci.manifest("secure/app", "1.0");
      byte[] layer;
      try (InputStream blob = oci.blob("secure/app", image.layers().get(0).digest(), 1024 * 1024)) {
        layer = blob.readAllBytes();
      }

      assertThat(repositories).contains("secure/app");
      assertThat(manifest.digest()).isEqualTo(image.digest());
      assertThat(layer).isEqualTo(image.layers().get(0).content());
    }

    @Test
    void wrongPasswordIsUnauthorizedAndNotRepeated() {
      OciRegistry oci =
          new OciRegistry(registry.settings().withCredentials(Credentials.basic(USER, "wrong password")));

      assertThatThrownBy(() -> oci.manifest("secure/app", "1.0"))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED))
          .hasMessageContaining("/v2/secure/app/manifests/1.0")
          .hasMessageNotContaining("wrong password");
    }

    @Test
    void noCredentialsIsUnauthorized() {
      OciRegistry oci = new OciRegistry(registry.settings().withCredentials(Credentials.anonymous()));

      assertThatThrownBy(() -> oci.repositories(name -> {}))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED))
          .hasMessageContaining("user name and password");
    }

    @Test
    void certificateFromAnotherCaIsATlsFailure() {
      String otherCa = TestCertificateAuthority.create("Some other CA").certificatePem();
      OciRegistry oci = new OciRegistry(registry.settings().withTrustedCertificates(otherCa));

      assertThatThrownBy(() -> oci.repositories(name -> {}))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TLS))
          .hasMessageContaining("127.0.0.1");
    }

    @Test
    void theJvmsCasDoNotTrustAPrivateCa() {
      OciRegistry oci = new OciRegistry(registry.settings().withTrustedCertificates(null));

      assertThatThrownBy(() -> oci.repositories(name -> {}))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TLS));
    }
  }

  @Nested
  @TestInstance(Lifecycle.PER_CLASS)
  class TokenFlow {

    private TestRegistry registry;
    private TestImages.Image image;

    @BeforeAll
    void start() {
      registry = TestRegistry.tokenAuth(USER, PASSWORD);
      image = TestImages.image("arm64");
      new TestImages(registry).push("private/app", "2.0", image);
    }

    @AfterAll
    void stop() {
      registry.close();
    }

    @Test
    void readsWithTokensFromTheTokenService() throws Exception {
      OciRegistry oci = new OciRegistry(registry.settings());

      List<String> repositories = new ArrayList<>();
      oci.repositories(repositories::add);
      List<String> tags = new ArrayList<>();
      oci.tags("private/app", tags::add);
      FetchedManifest manifest = oci.manifest("private/app", "2.0");
      byte[] config;
      try (InputStream blob = oci.blob("private/app", image.config().digest(), ImageConfig.MAX_BYTES)) {
        config = blob.readAllBytes();
      }

      assertThat(repositories).contains("private/app");
      assertThat(tags).containsExactly("2.0");
      assertThat(manifest.digest()).isEqualTo(image.digest());
      assertThat(ImageConfig.parse(config).architecture()).isEqualTo("arm64");
    }

    @Test
    void tokensAreCachedPerScope() throws Exception {
      OciRegistry oci = new OciRegistry(registry.settings());
      oci.manifest("private/app", "2.0");
      int afterFirst = registry.issuedTokens();
      assertThat(afterFirst).isPositive();

      oci.manifest("private/app", "2.0");
      oci.tags("private/app", tag -> {});
      try (InputStream blob = oci.blob("private/app", image.config().digest(), ImageConfig.MAX_BYTES)) {
        blob.readAllBytes();
      }

      assertThat(registry.issuedTokens()).isEqualTo(afterFirst);
    }

    @Test
    void anonymousGetsNoAccess() {
      OciRegistry oci = new OciRegistry(registry.settings().withCredentials(Credentials.anonymous()));

      assertThatThrownBy(() -> oci.manifest("private/app", "2.0"))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED));
    }

    @Test
    void wrongPasswordIsRefusedByTheTokenService() {
      OciRegistry oci = new OciRegistry(registry.settings().withCredentials(Credentials.basic(USER, "nope-nope")));

      assertThatThrownBy(() -> oci.manifest("private/app", "2.0"))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED))
          .hasMessageContaining("token service refused the credentials")
          .hasMessageNotContaining("nope-nope");
    }
  }

  private static OciRegistry.Limits limits(int pageSize, int maxNames, int maxPages) {
    return new OciRegistry.Limits(pageSize, maxNames, maxPages, 1024 * 1024, Duration.ofSeconds(5));
  }

}
