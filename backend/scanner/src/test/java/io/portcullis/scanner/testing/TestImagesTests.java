package io.portcullis.scanner.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.image.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The images {@link TestImages} builds are what other tools accept: GNU tar reads the layers, skopeo copies them. */
class TestImagesTests {

  private static TestRegistry registry;
  private static TestImages images;

  @BeforeAll
  static void start() {
    registry = TestRegistry.anonymous();
    images = new TestImages(registry);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Test
  void layersAreGzippedTarsThatGnuTarReads(@TempDir Path directory) throws Exception {
    TestImages.Image image =
        TestImages.image(new Platform("linux", "amd64", null), Map.of("etc/os-release", "ID=x\n", "app/bin/run", "#!"));
    Path layer = Files.write(directory.resolve("layer.tar.gz"), image.layers().get(0).content());

    String listing = run(List.of("tar", "-tzf", layer.toString()));

    assertThat(listing.lines()).containsExactly("app/", "app/bin/", "etc/", "app/bin/run", "etc/os-release");
  }

  @Test
  void sameFilesGiveTheSameDigest() {
    assertThat(TestImages.image("arm64").digest()).isEqualTo(TestImages.image("arm64").digest());
    assertThat(TestImages.image("arm64").digest()).isNotEqualTo(TestImages.image("amd64").digest());
  }

  @Test
  void skopeoCopiesPushedImagesAndIndexes(@TempDir Path directory) throws Exception {
    images.push("tools/single", "1.0", TestImages.image("amd64"));
    images.pushIndex("tools/multi", "1.0", TestImages.image("amd64"), TestImages.image("arm64"));
    String host = registry.url().getAuthority();

    run(List.of("skopeo", "copy", "--src-tls-verify=false",
        "docker://" + host + "/tools/single:1.0", "oci:" + directory.resolve("single") + ":1.0"));
    run(List.of("skopeo", "copy", "--all", "--src-tls-verify=false",
        "docker://" + host + "/tools/multi:1.0", "oci:" + directory.resolve("multi") + ":1.0"));

    assertThat(directory.resolve("single/index.json")).exists();
    assertThat(Files.readString(directory.resolve("multi/index.json"))).contains("1.0");
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
    return output;
  }
}
