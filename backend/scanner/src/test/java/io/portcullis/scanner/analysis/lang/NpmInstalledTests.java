package io.portcullis.scanner.analysis.lang;

import static io.portcullis.scanner.testing.OciLayout.layer;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.analysis.ImageAnalysis;
import io.portcullis.scanner.image.OciLayoutImage;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.testing.OciLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Packages installed by npm itself from the npm registry — an old express, whose tree nests a second copy of {@code ms}
 * under {@code send}, and a scoped package — put into an image as an application's {@code node_modules}. The scanner
 * must list exactly the packages {@code npm query "*"} lists, each at its own location.
 */
class NpmInstalledTests {

  @TempDir Path project;
  @TempDir Path image;

  @Test
  void theImageHoldsExactlyWhatNpmInstalled() throws Exception {
    Files.writeString(project.resolve("package.json"), "{\"name\":\"fixture\",\"version\":\"1.0.0\",\"private\":true}");
    run("npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", "express@4.17.1",
        "@types/node@20.11.0");
    List<String> expected = new ArrayList<>();
    for (JsonNode node : JsonMapper.builder().build().readTree(run("npm", "query", "*"))) {
      if (!node.path("location").asString().isEmpty()) {
        expected.add(node.path("name").asString() + "@" + node.path("version").asString() + " usr/src/app/"
            + node.path("location").asString() + "/package.json");
      }
    }

    OciLayout.Layer app = layer();
    try (Stream<Path> files = Files.walk(project.resolve("node_modules"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        app.file("usr/src/app/" + project.relativize(file), Files.readAllBytes(file));
      }
    }
    OciLayout.write(image, "app", app);
    Inventory inventory = ImageAnalysis.withDefaults().analyze(OciLayoutImage.open(image, "app", null));

    assertThat(expected).as("npm installed a real tree").hasSizeGreaterThan(40)
        .contains("ms@2.1.1 usr/src/app/node_modules/send/node_modules/ms/package.json",
            "@types/node@20.11.0 usr/src/app/node_modules/@types/node/package.json");
    assertThat(inventory.packages())
        .filteredOn(p -> p.type().equals("npm"))
        .extracting(p -> p.name() + "@" + p.version() + " " + p.path())
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(inventory.packages()).extracting(p -> p.purl())
        .contains("pkg:npm/express@4.17.1", "pkg:npm/%40types/node@20.11.0", "pkg:npm/ms@2.0.0", "pkg:npm/ms@2.1.1");
  }

  private String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(false).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output + errors).isZero();
    return output;
  }
}
