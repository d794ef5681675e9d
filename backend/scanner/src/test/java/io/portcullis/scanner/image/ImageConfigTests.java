package io.portcullis.scanner.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.scanner.image.RegistryException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageConfigTests {

  @Test
  void readsCreatedPlatformAndUser() throws Exception {
    ImageConfig config = ImageConfig.parse(fixture("oci-config.json"));

    assertThat(config)
        .isEqualTo(new ImageConfig(Instant.parse("2024-03-15T07:30:12.123456789Z"), "linux", "arm64", "v8", "app"));
    assertThat(config.platform()).hasToString("linux/arm64/v8");
  }

  @Test
  void emptyUserAndMissingCreatedAreAbsent() throws Exception {
    ImageConfig config = ImageConfig.parse(fixture("docker-config-root.json"));

    assertThat(config).isEqualTo(new ImageConfig(null, "linux", "amd64", null, null));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"architecture\":\"amd64\"}                                          | os is missing",
        "{\"os\":\"linux\",\"architecture\":7}                                 | architecture must be a string",
        "{\"os\":\"linux\",\"architecture\":\"amd64\",\"created\":\"yesterday\"} | created is not an RFC 3339 date-time",
        "{\"os\":\"linux\",\"architecture\":\"amd64\",\"config\":{\"User\":0}}   | config.User must be a string",
      })
  void malformedConfigsAreRefused(String document, String problem) {
    assertThatThrownBy(() -> ImageConfig.parse(document.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessageContaining("image config: " + problem);
  }

  @Test
  void oversizeConfigIsRefused() {
    assertThatThrownBy(() -> ImageConfig.parse(new byte[ImageConfig.MAX_BYTES + 1]))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE));
  }

  @Test
  void onlyImageConfigMediaTypesAreImageConfigs() {
    assertThat(ImageConfig.isImageConfig(ImageConfig.OCI_MEDIA_TYPE)).isTrue();
    assertThat(ImageConfig.isImageConfig(ImageConfig.DOCKER_MEDIA_TYPE)).isTrue();
    assertThat(ImageConfig.isImageConfig("application/vnd.cncf.helm.config.v1+json")).isFalse();
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = ImageConfigTests.class.getResourceAsStream("/fixtures/image-config/" + name)) {
      return in.readAllBytes();
    }
  }
}
