package io.portcullis.scanner.analysis;

import static io.portcullis.scanner.analysis.os.SharedTestData.pkgdb;
import static io.portcullis.scanner.testing.OciLayout.layer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.scanner.image.Descriptor;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.ImageSource;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.DockerArchiveImage;
import io.portcullis.scanner.image.LayerLimits;
import io.portcullis.scanner.image.OciLayoutImage;
import io.portcullis.scanner.image.RegistryImage;
import io.portcullis.scanner.image.registry.OciRegistry;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.scanner.testing.MavenCentral;
import io.portcullis.scanner.testing.OciLayout;
import io.portcullis.scanner.testing.OciLayout.Compression;
import io.portcullis.scanner.testing.TestImages;
import io.portcullis.scanner.testing.TestJar;
import io.portcullis.scanner.testing.TestRegistry;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From an image to its inventory, layer by layer, on images these tests write and on real package databases. */
class ImageAnalysisTests {

  static final String DEBIAN_12 = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n";

  @TempDir Path directory;

  final ImageAnalysis analysis = ImageAnalysis.withDefaults();

  @Test
  void packagesKeepTheLayerThatIntroducedThem() throws Exception {
    Path minbase = pkgdb("dpkg/debootstrap__bookworm-minbase/status");
    Path plus = pkgdb("dpkg/debootstrap__bookworm-minbase-plus-layer2/status");
    List<Digest> layers =
        OciLayout.write(
            directory, "bookworm",
            layer().file("etc/os-release", DEBIAN_12).file("var/lib/dpkg/status", minbase),
            layer().file("./var/lib/dpkg/status", plus).compressed(Compression.ZSTD));

    Inventory inventory = analysis.analyze(OciLayoutImage.open(directory, "bookworm", null));

    Set<String> expected = installed("dpkg/debootstrap__bookworm-minbase-plus-layer2/expected_dpkg-query.tsv");
    assertThat(inventory.packages()).extracting(p -> p.name() + "=" + p.version()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(inventory.os().id()).isEqualTo("debian");
    assertThat(inventory.platform()).isEqualTo("linux/amd64");
    InventoryPackage baseFiles = named(inventory, "base-files");
    assertThat(baseFiles.layer()).as("in the base layer already").isEqualTo(layers.get(0).toString());
    assertThat(baseFiles.foundBy()).isEqualTo("dpkg-status");
    assertThat(baseFiles.path()).isEqualTo("var/lib/dpkg/status");
    assertThat(baseFiles.purl()).startsWith("pkg:deb/debian/base-files@").contains("distro=debian-12").contains("arch=amd64");
    assertThat(named(inventory, "curl").layer()).as("installed by the second layer").isEqualTo(layers.get(1).toString());
    assertThat(inventory.layers()).hasSize(2).allSatisfy(l -> assertThat(l.problems()).isEmpty());
  }

  @Test
  void linksAreNeverFollowedAndTheTargetIsReadWhereItIs() throws Exception {
    // as Debian ships it: etc/os-release is a link to usr/lib/os-release
    OciLayout.write(
        directory, "debian",
        layer().file("usr/lib/os-release", DEBIAN_12).link("etc/os-release", "../usr/lib/os-release")
            .link("var/lib/dpkg/status", "/etc/shadow"));
    Inventory inventory = analysis.analyze(OciLayoutImage.open(directory, "debian", null));
    assertThat(inventory.os().id()).isEqualTo("debian");
    assertThat(inventory.os().versionId()).isEqualTo("12");
    assertThat(inventory.packages()).isEmpty();
  }

  @Test
  void dockerSaveArchivesAreReadInPlace() throws Exception {
    Path archive = directory.resolve("image.tar");
    OciLayout.writeDockerArchive(
        archive, "shop/web:1.0",
        layer().file("etc/os-release", DEBIAN_12).file("var/lib/dpkg/status", pkgdb("dpkg/debootstrap__bookworm-minbase/status")),
        layer().file("var/lib/dpkg/status", pkgdb("dpkg/debootstrap__bookworm-minbase-plus-layer2/status")));
    try (DockerArchiveImage image = DockerArchiveImage.open(archive, "shop/web:1.0")) {
      Inventory inventory = analysis.analyze(image);
      assertThat(inventory.packages()).hasSize(131);
      assertThat(inventory.os().versionCodename()).isEqualTo("bookworm");
      assertThat(inventory.layers()).hasSize(2);
    }
    assertThatThrownBy(() -> DockerArchiveImage.open(archive, "other:tag")).hasMessageContaining("no image tagged other:tag");
    Path notAnArchive = Files.writeString(directory.resolve("readme.tar"), "hello");
    assertThatThrownBy(() -> DockerArchiveImage.open(notAnArchive, null)).isNotNull();
  }

  @Test
  void whiteoutsAndOpaqueDirectoriesRemoveWhatLowerLayersHad() throws Exception {
    OciLayout.write(
        directory, "alpine",
        layer().file("lib/apk/db/installed", pkgdb("apk/apk-tools__query-installed/installed"))
            .file("var/lib/dpkg/status.d/libsqlite3-0", pkgdb("dpkg/syft__image-distroless-deb_var_lib_dpkg_status.d_libsqlite3-0/status")),
        layer().file("lib/apk/db/.wh.installed", "").file("var/lib/dpkg/status.d/.wh..wh..opq", "")
            .compressed(Compression.NONE));

    Inventory inventory = analysis.analyze(OciLayoutImage.open(directory, "alpine", null));

    assertThat(inventory.packages()).isEmpty();
  }

  @Test
  void withoutWhiteoutsTheLowerLayersPackagesStay() throws Exception {
    OciLayout.write(
        directory, "alpine",
        layer().file("lib/apk/db/installed", pkgdb("apk/apk-tools__query-installed/installed")),
        layer().file("usr/bin/tool", "#!/bin/sh\n"));
    Inventory inventory = analysis.analyze(OciLayoutImage.open(directory, "alpine", null));
    assertThat(inventory.packages()).hasSize(39).allSatisfy(p -> {
      assertThat(p.type()).isEqualTo("apk");
      assertThat(p.purl()).startsWith("pkg:apk/alpine/");
      assertThat(p.foundBy()).isEqualTo("apk-installed");
    });
  }

  @Test
  void rpmDatabasesInEachFormat() throws Exception {
    OciLayout.write(
        directory, "mariner",
        layer().file("etc/os-release", "ID=mariner\nVERSION_ID=\"2.0\"\n")
            .file("var/lib/rpm/rpmdb.sqlite", pkgdb("rpm/go-rpmdb__cbl-mariner-2.0/rpmdb.sqlite")),
        layer().file("usr/share/rpm/Packages", pkgdb("rpm/syft__redhat-testdata/Packages")));

    Inventory inventory = analysis.analyze(OciLayoutImage.open(directory, "mariner", null));

    assertThat(inventory.packages()).filteredOn(p -> p.foundBy().equals("rpm-sqlite")).hasSize(129)
        .allSatisfy(p -> assertThat(p.purl()).startsWith("pkg:rpm/mariner/").contains("distro=mariner-2.0"))
        .allSatisfy(p -> assertThat(p.vendor()).as("rpm's VENDOR travels to the inventory").isEqualTo("Microsoft Corporation"));
    assertThat(inventory.packages()).filteredOn(p -> p.foundBy().equals("rpm-bdb")).singleElement()
        .satisfies(p -> assertThat(p.name() + " " + p.version()).isEqualTo("dive 0.9.2-1"))
        .satisfies(p -> assertThat(p.vendor()).as("a third-party package says who built it").isNotEqualTo("Microsoft Corporation"));
  }

  @Test
  void languagePackagesInstalledInTheImage() throws Exception {
    OciLayout.write(
        directory, "app",
        layer()
            .file("app/node_modules/@babel/core/package.json", "{\"name\":\"@babel/core\",\"version\":\"7.24.0\"}")
            .file("app/node_modules/left-pad/package.json", "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}")
            .file("app/package.json", "{\"name\":\"my-app\",\"version\":\"0.0.1\"}")
            .file("usr/lib/python3/dist-packages/iniconfig-2.0.0.dist-info/METADATA",
                pkgdb("lang/python/iniconfig-2.0.0.METADATA"))
            .file("srv/api/Api.deps.json", pkgdb("lang/dotnet/happy.deps.json")));

    Inventory inventory = analysis.analyze(OciLayoutImage.open(directory, "app", null));

    assertThat(inventory.packages()).extracting(InventoryPackage::purl)
        .contains("pkg:npm/%40babel/core@7.24.0", "pkg:npm/left-pad@1.3.0", "pkg:pypi/iniconfig@2.0.0")
        .noneMatch(purl -> purl.contains("my-app"));
    assertThat(inventory.packages()).filteredOn(p -> p.type().equals("nuget")).isNotEmpty()
        .allSatisfy(p -> assertThat(p.foundBy()).isEqualTo("dotnet-deps-json"));
    assertThat(inventory.os()).isNull();
  }

  @Test
  void javaArchivesAndTheJarsNestedInThemAreListedWhereverTheyLie() throws Exception {
    byte[] log4j = Files.readAllBytes(MavenCentral.jar("log4j-core-2.14.1.jar"));
    byte[] junit = Files.readAllBytes(MavenCentral.jar("junit-3.8.1.jar"));
    byte[] bomb = TestJar.jar().stored("zeros.bin", new byte[4 << 20]).bytes();
    byte[] war = TestJar.jar().pom("com.example", "shop", "2.0")
        .entry("WEB-INF/lib/log4j-core-2.14.1.jar", log4j)
        .stored("WEB-INF/lib/junit-3.8.1.jar", junit)
        .entry("WEB-INF/lib/bomb.jar", bomb)
        .bytes();
    List<Digest> layers = OciLayout.write(
        directory, "shop",
        layer().file("usr/local/tomcat/webapps/shop.war", war),
        layer().file("opt/tools/log4j-core-2.14.1.jar", log4j));

    Inventory inventory = analysis.analyze(OciLayoutImage.open(directory, "shop", null));

    String base = layers.get(0).toString();
    String tools = layers.get(1).toString();
    assertThat(inventory.packages()).filteredOn(p -> p.type().equals("maven"))
        .extracting(p -> String.join(" ", p.name(), p.version(), String.valueOf(p.purl()), p.path(), p.layer(),
            p.checksum(), p.foundBy()))
        .containsExactlyInAnyOrder(
            "com.example:shop 2.0 pkg:maven/com.example/shop@2.0 usr/local/tomcat/webapps/shop.war " + base + " "
                + TestJar.sha1(war) + " java-archive",
            "org.apache.logging.log4j:log4j-core 2.14.1 pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
                + " usr/local/tomcat/webapps/shop.war!/WEB-INF/lib/log4j-core-2.14.1.jar " + base + " "
                + MavenCentral.LOG4J_CORE_2_14_1_SHA1 + " java-archive",
            "junit 3.8.1 null usr/local/tomcat/webapps/shop.war!/WEB-INF/lib/junit-3.8.1.jar " + base + " "
                + MavenCentral.JUNIT_3_8_1_SHA1 + " java-archive",
            "org.apache.logging.log4j:log4j-core 2.14.1 pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
                + " opt/tools/log4j-core-2.14.1.jar " + tools + " " + MavenCentral.LOG4J_CORE_2_14_1_SHA1
                + " java-archive");
    assertThat(inventory.layers().get(0).problems())
        .containsExactly("usr/local/tomcat/webapps/shop.war!/WEB-INF/lib/bomb.jar: expands more than 100 times");
    assertThat(inventory.layers().get(1).problems()).isEmpty();
  }

  @Test
  void entriesThatLeaveTheLayerAreReportedAndSkipped() throws Exception {
    OciLayout.write(
        directory, "sneaky",
        layer().file("../../var/lib/dpkg/status", pkgdb("dpkg/debootstrap__bookworm-minbase/status"))
            .file("etc/../../lib/apk/db/installed", pkgdb("apk/apk-tools__query-installed/installed")));
    Inventory inventory = analysis.analyze(OciLayoutImage.open(directory, "sneaky", null));
    assertThat(inventory.packages()).isEmpty();
    assertThat(inventory.layers().get(0).problems()).hasSize(2).allSatisfy(p -> assertThat(p).contains("leaves the layer"));
  }

  @Test
  void aDecompressionBombFailsTheImageWithTheReason() throws Exception {
    OciLayout.write(directory, "bomb", layer().file("zeros", new byte[64 << 20]));
    ImageAnalysis strict = new ImageAnalysis(Analyzers.defaults(), new LayerLimits(1000, 1 << 20, 1L << 30, 100, 4096));
    assertThatThrownBy(() -> strict.analyze(OciLayoutImage.open(directory, "bomb", null)))
        .isInstanceOf(ImageAnalysis.ImageException.class)
        .hasMessageContaining("layer 0")
        .hasMessageContaining("expands more than 100 times");
  }

  @Test
  void anImageThatTakesLongerThanItsTimeLimitFailsWithTheReason() throws Exception {
    OciLayout.Layer many = layer();
    for (int i = 0; i < 200; i++) {
      many.file("f" + i, "x".repeat(1000));
    }
    OciLayout.write(directory, "slow", many.compressed(Compression.NONE));
    ImageSource open = OciLayoutImage.open(directory, "slow", null);
    ImageSource trickling = new ImageSource() {
      @Override
      public Opened opened() {
        return open.opened();
      }

      @Override
      public InputStream layer(Descriptor layer) throws IOException, RegistryException {
        return new FilterInputStream(open.layer(layer)) {
          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
              Thread.sleep(20);
            } catch (InterruptedException e) {
              throw new InterruptedIOException();
            }
            return super.read(buffer, offset, Math.min(length, 512));
          }
        };
      }
    };
    ImageAnalysis patient = ImageAnalysis.withDefaults().withTimeLimit(Duration.ofMillis(300));
    assertThatThrownBy(() -> patient.analyze(trickling))
        .isInstanceOf(ImageAnalysis.ImageException.class)
        .hasMessageContaining("layer 0")
        .hasMessageContaining("took longer than its limit of PT0.3S");
    assertThat(ImageAnalysis.withDefaults().analyze(OciLayoutImage.open(directory, "slow", null)).layers().get(0).entries())
        .as("the same image within the default limit").isEqualTo(200);
    assertThatThrownBy(() -> ImageAnalysis.withDefaults().withTimeLimit(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void analyzersMayChooseFilesByModeAndSizeAndShareOneFile() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Analyzer executables = new Analyzer() {
      @Override public String type() { return "executables"; }
      @Override public int version() { return 1; }
      @Override public boolean required(String path) { return false; }
      @Override public boolean required(String path, int mode, long size) { return (mode & 0111) != 0 && size < 100; }
      @Override public void analyze(LayerFile file, FileFindings findings) throws IOException {
        seen.add("executables:" + file.path() + "=" + new String(file.content().readAllBytes()));
      }
    };
    Analyzer scripts = new FileAnalyzer("scripts", 1, path -> path.endsWith(".sh"),
        (file, findings) -> seen.add("scripts:" + file.path() + "=" + new String(file.content().readAllBytes())));
    OciLayout.write(
        directory, "modes",
        layer().file("usr/bin/run.sh", "echo run", 0755).file("etc/plain.sh", "echo plain", 0644)
            .file("usr/bin/big", "x".repeat(200), 0755));
    new ImageAnalysis(List.of(executables, scripts), LayerLimits.DEFAULT).analyze(OciLayoutImage.open(directory, "modes", null));
    assertThat(seen).containsExactlyInAnyOrder(
        "executables:usr/bin/run.sh=echo run", "scripts:usr/bin/run.sh=echo run", "scripts:etc/plain.sh=echo plain");
  }

  @Test
  void tooManyEntriesFailTheImage() throws Exception {
    OciLayout.Layer many = layer();
    for (int i = 0; i < 50; i++) {
      many.file("f" + i, "x");
    }
    OciLayout.write(directory, "many", many);
    ImageAnalysis strict = new ImageAnalysis(Analyzers.defaults(), new LayerLimits(20, 1 << 20, 1L << 30, 100, 4096));
    assertThatThrownBy(() -> strict.analyze(OciLayoutImage.open(directory, "many", null))).hasMessageContaining("more than 20 entries");
  }

  @Test
  void aTamperedLayerOrOneThatIsNoArchiveFailsTheImage() throws Exception {
    List<Digest> layers = OciLayout.write(directory, "tampered", layer().file("etc/os-release", DEBIAN_12));
    Path blob = directory.resolve("blobs/sha256").resolve(layers.get(0).hex());
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length - 10] ^= 1;
    Files.write(blob, bytes);
    assertThatThrownBy(() -> analysis.analyze(OciLayoutImage.open(directory, "tampered", null)))
        .isInstanceOf(ImageAnalysis.ImageException.class)
        .hasMessageContaining("layer 0");

    Path other = directory.resolveSibling(directory.getFileName() + "-garbage");
    List<Digest> garbage = OciLayout.write(other, "garbage", layer().file("x", "y").compressed(Compression.NONE));
    Files.write(other.resolve("blobs/sha256").resolve(garbage.get(0).hex()), new byte[] {1, 2, 3, 4, 5});
    assertThatThrownBy(() -> analysis.analyze(OciLayoutImage.open(other, "garbage", null)))
        .isInstanceOf(ImageAnalysis.ImageException.class);
  }

  @Test
  void imagesInARegistryChooseTheirPlatform() throws Exception {
    try (TestRegistry registry = TestRegistry.anonymous()) {
      new TestImages(registry).pushIndex("multi/app", "1", TestImages.image("amd64"), TestImages.image("arm64"));
      OciRegistry source = new OciRegistry(registry.settings());
      Inventory arm = analysis.analyze(RegistryImage.open(source, "multi/app", "1", "linux/arm64"));
      assertThat(arm.platform()).isEqualTo("linux/arm64");
      assertThat(arm.os().id()).isEqualTo("portcullis-test");
      assertThat(arm.image()).isEqualTo("multi/app:1");
      assertThatThrownBy(() -> RegistryImage.open(source, "multi/app", "1", "linux/s390x"))
          .hasMessageContaining("no manifest for platform linux/s390x");
    }
  }

  private static InventoryPackage named(Inventory inventory, String name) {
    return inventory.packages().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  private static Set<String> installed(String expectedFile) throws Exception {
    return Files.readAllLines(pkgdb(expectedFile)).stream()
        .map(line -> line.split("\t"))
        .filter(cols -> cols.length > 6 && cols[6].endsWith("installed") && !cols[6].endsWith("not-installed"))
        .map(cols -> cols[0] + "=" + cols[1])
        .collect(Collectors.toSet());
  }
}
