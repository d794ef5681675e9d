package io.portcullis.scanner.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.image.DockerArchiveImage;
import io.portcullis.scanner.image.OciLayoutImage;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventoryPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Debian root filesystem ({@code debootstrap --variant=minbase bookworm}, built once by {@code
 * infra/dev/debian-rootfs.sh}) packed by umoci into an image of three layers, the later two removing packages the way
 * {@code dpkg --purge} does — so their layers carry whiteouts for every file the packages owned and a rewritten status
 * file. What the scanner finds must be exactly what {@code dpkg-query} says is installed in the final root filesystem.
 */
class DebianImageTests {

  @TempDir static Path work;

  static Path layout;
  static Path rootfs;
  static List<String> whiteouts;

  @BeforeAll
  static void buildTheImage() throws Exception {
    Path debian = debianRootfs();
    layout = work.resolve("layout");
    Path bundle = work.resolve("bundle");
    rootfs = bundle.resolve("rootfs");
    run("umoci", "init", "--layout", layout.toString());
    run("umoci", "new", "--image", layout + ":bookworm");
    run("umoci", "unpack", "--image", layout + ":bookworm", bundle.toString());
    run("cp", "-a", debian + "/.", rootfs + "/");
    run("umoci", "repack", "--refresh-bundle", "--image", layout + ":bookworm", bundle.toString());

    purge("adduser");
    run("umoci", "repack", "--refresh-bundle", "--image", layout + ":bookworm", bundle.toString());

    purge("util-linux-extra", "logsave");
    run("umoci", "repack", "--refresh-bundle", "--image", layout + ":bookworm", bundle.toString());

    whiteouts = new ArrayList<>();
    for (String layer : layerBlobs()) {
      whiteouts.addAll(Arrays.stream(run("tar", "-tzf", layer).split("\n")).filter(e -> e.contains(".wh.")).toList());
    }
  }

  @Test
  void theInventoryIsWhatDpkgQuerySaysIsInstalled() throws Exception {
    Inventory inventory = ImageAnalysis.withDefaults().analyze(OciLayoutImage.open(layout, "bookworm", null));

    assertThat(inventory.layers()).as("base, purge of adduser, purge of two more").hasSize(3);
    assertThat(whiteouts).as("the later layers delete files of the layers below")
        .anyMatch(w -> w.contains("usr/sbin/.wh.adduser"))
        .anyMatch(w -> w.contains(".wh.logsave"));
    assertThat(packages(inventory)).containsExactlyInAnyOrderElementsOf(dpkgQuery());
    assertThat(packages(inventory)).hasSizeGreaterThan(80).noneMatch(p -> p.startsWith("adduser\t"));
    assertThat(inventory.os().id()).isEqualTo("debian");
    assertThat(inventory.os().versionId()).isEqualTo("12");
    assertThat(inventory.packages()).allSatisfy(p -> assertThat(p.layer()).isEqualTo(inventory.layers().get(0).digest()));
    assertThat(inventory.layers()).allSatisfy(l -> assertThat(l.problems()).isEmpty());
  }

  @Test
  void theSameImageSavedAsADockerArchiveGivesTheSameInventory() throws Exception {
    Path archive = work.resolve("bookworm.tar");
    if (!Files.exists(archive)) {
      run("skopeo", "copy", "oci:" + layout + ":bookworm", "docker-archive:" + archive + ":portcullis/bookworm:test");
    }
    Inventory fromArchive = ImageAnalysis.withDefaults().analyze(DockerArchiveImage.open(archive, null));
    assertThat(packages(fromArchive)).containsExactlyInAnyOrderElementsOf(dpkgQuery());
  }

  /** name, version, architecture, source name and source version, as dpkg-query prints them for installed packages. */
  private static Set<String> dpkgQuery() throws Exception {
    String output = run(
        "dpkg-query", "--admindir=" + rootfs.resolve("var/lib/dpkg"), "-W",
        "-f=${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n");
    return Arrays.stream(output.split("\n"))
        .filter(line -> line.startsWith("ii"))
        .map(line -> line.substring(line.indexOf('\t') + 1))
        .collect(Collectors.toSet());
  }

  private static List<String> packages(Inventory inventory) {
    return inventory.packages().stream()
        .map(DebianImageTests::columns)
        .toList();
  }

  private static String columns(InventoryPackage p) {
    return String.join("\t", p.name(), p.version(), p.architecture(),
        p.sourceName() == null ? p.name() : p.sourceName(), p.sourceVersion() == null ? p.version() : p.sourceVersion());
  }

  private static void purge(String... packages) throws Exception {
    List<String> command = new ArrayList<>(List.of("dpkg", "--root=" + rootfs, "--force-all", "--purge"));
    command.addAll(List.of(packages));
    run(command.toArray(String[]::new));
  }

  private static List<String> layerBlobs() throws IOException {
    try (var blobs = Files.list(layout.resolve("blobs/sha256"))) {
      List<String> layers = new ArrayList<>();
      for (Path blob : blobs.toList()) {
        byte[] head = new byte[2];
        try (var in = Files.newInputStream(blob)) {
          if (in.read(head) == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            layers.add(blob.toString());
          }
        }
      }
      return layers;
    }
  }

  private static Path debianRootfs() {
    String property = System.getProperty("portcullis.debian-rootfs");
    if (property == null || property.isBlank()) {
      throw new IllegalStateException("system property portcullis.debian-rootfs is not set; run through Maven (the root pom sets it)");
    }
    Path dir = Path.of(property);
    if (!Files.exists(Path.of(property + ".complete"))) {
      throw new IllegalStateException(
          "no Debian root filesystem at " + dir + "; build it once with: sudo infra/dev/debian-rootfs.sh " + dir);
    }
    return dir;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    return output;
  }
}
