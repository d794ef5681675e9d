package io.portcullis.scanner.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.scanner.image.RegistryException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestsTests {

  private static final String CONFIG =
      "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + "a".repeat(64)
          + "\",\"size\":100}";

  @ParameterizedTest(name = "{0} served as {1}")
  @CsvSource(
      nullValues = "none",
      value = {
        // fixture, served type, parsed as, entries listed
        "oci-manifest.json,                      application/vnd.oci.image.manifest.v1+json,                   application/vnd.oci.image.manifest.v1+json,                   3",
        "oci-manifest.json,                      application/json,                                             application/vnd.oci.image.manifest.v1+json,                   3",
        "oci-manifest-without-media-type.json,   application/vnd.oci.image.manifest.v1+json,                   application/vnd.oci.image.manifest.v1+json,                   1",
        "oci-manifest-without-media-type.json,   none,                                                         application/vnd.oci.image.manifest.v1+json,                   1",
        "oci-index.json,                         application/vnd.oci.image.index.v1+json,                      application/vnd.oci.image.index.v1+json,                      3",
        "oci-index.json,                         application/octet-stream,                                     application/vnd.oci.image.index.v1+json,                      3",
        "docker-manifest.json,                   application/vnd.docker.distribution.manifest.v2+json,         application/vnd.docker.distribution.manifest.v2+json,         2",
        "docker-manifest.json,                   'application/json; charset=utf-8',                            application/vnd.docker.distribution.manifest.v2+json,         2",
        "docker-manifest-list.json,              application/vnd.docker.distribution.manifest.list.v2+json,    application/vnd.docker.distribution.manifest.list.v2+json,    2",
        "docker-manifest-list.json,              text/plain,                                                   application/vnd.docker.distribution.manifest.list.v2+json,    2",
      })
  void parsesEachFormat(String fixture, String servedType, String parsedAs, int entries) throws Exception {
    ManifestDocument document = Manifests.parse(servedType, fixture(fixture));

    assertThat(document.mediaType()).isEqualTo(parsedAs);
    List<Descriptor> listed =
        document instanceof ManifestDocument.Image image
            ? image.layers()
            : ((ManifestDocument.Index) document).manifests();
    assertThat(listed).hasSize(entries);
  }

  @Test
  void ociImageManifestKeepsConfigAndLayersInOrder() throws Exception {
    var image = (ManifestDocument.Image) Manifests.parse(Manifests.OCI_MANIFEST, fixture("oci-manifest.json"));

    assertThat(image.config())
        .isEqualTo(
            new Descriptor(
                "application/vnd.oci.image.config.v1+json",
                Digest.parse("sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"),
                7023,
                null));
    assertThat(image.layers())
        .extracting(Descriptor::mediaType)
        .containsExactly(
            "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.oci.image.layer.v1.tar+zstd");
    assertThat(image.size()).isEqualTo(7023 + 32654 + 16724 + 73109);
  }

  @Test
  void ociIndexKeepsPlatformsAndEntriesWithout() throws Exception {
    var index = (ManifestDocument.Index) Manifests.parse(Manifests.OCI_INDEX, fixture("oci-index.json"));

    assertThat(index.manifests())
        .extracting(Descriptor::platform)
        .containsExactly(new Platform("linux", "amd64", null), new Platform("linux", "arm64", "v8"), null);
  }

  @Test
  void dockerAndOciMapOntoTheSameShapes() throws Exception {
    var docker = (ManifestDocument.Image) Manifests.parse(Manifests.DOCKER_MANIFEST, fixture("docker-manifest.json"));
    var list =
        (ManifestDocument.Index) Manifests.parse(Manifests.DOCKER_MANIFEST_LIST, fixture("docker-manifest-list.json"));

    assertThat(docker.config().mediaType()).isEqualTo(ImageConfig.DOCKER_MEDIA_TYPE);
    assertThat(docker.layers().get(1).mediaType())
        .isEqualTo("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
    assertThat(list.manifests())
        .extracting(Descriptor::platform)
        .containsExactly(new Platform("linux", "ppc64le", null), new Platform("linux", "amd64", null));
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "none",
      value = {
        "application/vnd.docker.distribution.manifest.v1+prettyjws",
        "application/vnd.docker.distribution.manifest.v1+json",
        "application/json",
        "none"
      })
  void schema1IsRefused(String servedType) {
    assertThatThrownBy(() -> Manifests.parse(servedType, fixture("docker-schema1.json")))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessageContaining("schema 1 manifests are not supported");
  }

  @Test
  void servedTypeThatContradictsTheDocumentIsRefused() {
    assertThatThrownBy(() -> Manifests.parse(Manifests.OCI_INDEX, fixture("docker-manifest.json")))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessageContaining("served as 'application/vnd.oci.image.index.v1+json'")
        .hasMessageContaining("declares mediaType 'application/vnd.docker.distribution.manifest.v2+json'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/vnd.oci.artifact.manifest.v1+json",
        "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
        "text/html"
      })
  void unknownTypesAreRefused(String type) {
    String document = "{\"schemaVersion\":2,\"mediaType\":\"" + type + "\"}";

    assertThatThrownBy(() -> Manifests.parse("application/json", bytes(document)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessageContaining("is not supported; expected one of");
  }

  @Test
  void documentLargerThanTheLimitIsRefusedBeforeParsing() {
    byte[] big = new byte[Manifests.Limits.DEFAULT.maxBytes() + 1];

    assertThatThrownBy(() -> Manifests.parse(Manifests.OCI_MANIFEST, big))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
        .hasMessage("manifest is 4.0 MiB, more than the limit of 4.0 MiB");
  }

  @Test
  void tooManyLayersAreRefused() {
    String layers =
        IntStream.range(0, 1001)
            .mapToObj(i -> "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:"
                + "b".repeat(64) + "\",\"size\":" + i + "}")
            .collect(Collectors.joining(","));
    String manifest = "{\"schemaVersion\":2,\"config\":" + CONFIG + ",\"layers\":[" + layers + "]}";

    assertThatThrownBy(() -> Manifests.parse(Manifests.OCI_MANIFEST, bytes(manifest)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
        .hasMessage("manifest: layers has 1001 entries, more than the limit of 1000");
  }

  @Test
  void tooManyIndexEntriesAreRefused() {
    String entry =
        "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + "c".repeat(64)
            + "\",\"size\":1}";
    String index = "{\"schemaVersion\":2,\"manifests\":[" + String.join(",", Collections.nCopies(3, entry)) + "]}";

    assertThatThrownBy(() -> Manifests.parse(Manifests.OCI_INDEX, bytes(index), new Manifests.Limits(1 << 20, 10, 2)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
        .hasMessageContaining("manifests has 3 entries, more than the limit of 2");
  }

  @ParameterizedTest(name = "digest {0}")
  @ValueSource(
      strings = {
        "\"sha256:abc\"",
        "\"sha256:ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789\"",
        "\"md5:0123456789abcdef0123456789abcdef\"",
        "\"sha256abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789\"",
        "\"sha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678/\"",
        "\"sha256:../../../etc/passwd\"",
        "\"\"",
        "42",
        "null"
      })
  void invalidDigestsAreRefused(String digest) {
    String manifest =
        "{\"schemaVersion\":2,\"config\":" + CONFIG
            + ",\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":" + digest
            + ",\"size\":1}]}";

    assertThatThrownBy(() -> Manifests.parse(Manifests.OCI_MANIFEST, bytes(manifest)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessageContaining("layers[0].digest");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"schemaVersion\":2,\"schemaVersion\":2,\"config\":CONFIG,\"layers\":[]}          | Duplicate Object property",
        "{\"schemaVersion\":2,\"config\":CONFIG,\"layers\":[]} {}                             | not valid JSON",
        "[]                                                                                   | not a JSON object",
        "{\"schemaVersion\":\"2\",\"config\":CONFIG,\"layers\":[]}                            | schemaVersion must be an integer",
        "{\"schemaVersion\":3,\"config\":CONFIG,\"layers\":[]}                                | schemaVersion is 3",
        "{\"schemaVersion\":2,\"layers\":[]}                                                  | neither an index nor an image manifest",
        "{\"schemaVersion\":2,\"config\":CONFIG,\"layers\":{}}                                | layers must be an array",
        "{\"schemaVersion\":2,\"config\":CONFIG,\"layers\":[{\"mediaType\":\"x\",\"digest\":\"sha256:AAAA\",\"size\":1}]} | layers[0].mediaType is not a media type",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"DIGEST\",\"size\":-1},\"layers\":[]}  | config.size is negative",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"DIGEST\",\"size\":\"1\"},\"layers\":[]} | config.size must be an integer",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"DIGEST\",\"size\":1.5},\"layers\":[]}  | config.size must be an integer",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"DIGEST\"},\"layers\":[]}              | config.size is missing",
      })
  void malformedDocumentsAreRefusedWithTheFieldNamed(String document, String problem) {
    String manifest = document.replace("CONFIG", CONFIG).replace("DIGEST", "sha256:" + "d".repeat(64));

    assertThatThrownBy(() -> Manifests.parse("application/json", bytes(manifest)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessageContaining(problem);
  }

  @Test
  void deepNestingIsRefused() {
    String deep = "{\"schemaVersion\":2,\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";

    assertThatThrownBy(() -> Manifests.parse("application/json", bytes(deep)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessageContaining("nesting depth");
  }

  @Test
  void dockerManifestListEntriesNeedAPlatform() {
    String list =
        "{\"schemaVersion\":2,\"mediaType\":\"" + Manifests.DOCKER_MANIFEST_LIST + "\",\"manifests\":[{\"mediaType\":\""
            + Manifests.DOCKER_MANIFEST + "\",\"digest\":\"sha256:" + "e".repeat(64) + "\",\"size\":1}]}";

    assertThatThrownBy(() -> Manifests.parse(Manifests.DOCKER_MANIFEST_LIST, bytes(list)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessageContaining("manifests[0].platform is missing");
  }

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = ManifestsTests.class.getResourceAsStream("/fixtures/manifests/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
