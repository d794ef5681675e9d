package io.portcullis.scanner.analysis.golang;

import static io.portcullis.scanner.testing.OciLayout.layer;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.analysis.ImageAnalysis;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.OciLayoutImage;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.scanner.testing.OciLayout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Go binaries found in images, through the whole analysis: layers, modes, whiteouts. */
class GoBinaryImageTests {

  static final String MODULES = """
      path\tgithub.com/acme/app/cmd/app
      mod\tgithub.com/acme/app\tv1.4.0\th1:a=
      dep\tgithub.com/pkg/errors\tv0.9.1\th1:e=
      dep\tgolang.org/x/net\tv0.1.0
      =>\tgolang.org/x/net\tv0.23.0\th1:n=
      build\tCGO_ENABLED=0
      """;

  @TempDir Path directory;

  final ImageAnalysis analysis = ImageAnalysis.withDefaults();

  @Test
  void anExecutableGoBinaryGivesTheStandardLibraryAndItsModulesWithItsLayer() throws Exception {
    byte[] app = GoExecutables.elf().goVersion("go1.22.1").readOnlyBytes(200_000).moduleInfo(MODULES).build();
    List<Digest> layers = OciLayout.write(
        directory, "app",
        layer().file("etc/os-release", "ID=alpine\nVERSION_ID=3.20.0\n"),
        layer().file("usr/local/bin/app", app, 0755)
            .file("usr/share/doc/app/app.copy", app, 0644)
            .file("usr/local/bin/start.sh", "#!/bin/sh\nexec app\n".getBytes(), 0755));

    Inventory inventory = analysis.analyze(OciLayoutImage.open(directory, "app", null));

    assertThat(inventory.packages()).filteredOn(p -> p.type().equals("golang"))
        .extracting(InventoryPackage::purl)
        .containsExactlyInAnyOrder(
            "pkg:golang/stdlib@1.22.1",
            "pkg:golang/github.com/acme/app@v1.4.0",
            "pkg:golang/github.com/pkg/errors@v0.9.1",
            "pkg:golang/golang.org/x/net@v0.23.0");
    assertThat(inventory.packages()).filteredOn(p -> p.type().equals("golang")).allSatisfy(p -> {
      assertThat(p.foundBy()).isEqualTo("go-binary");
      assertThat(p.path()).as("the non-executable copy is not read").isEqualTo("usr/local/bin/app");
      assertThat(p.layer()).isEqualTo(layers.get(1).toString());
    });
    assertThat(inventory.layers()).allSatisfy(l -> assertThat(l.problems()).isEmpty());
  }

  @Test
  void aDeletedBinaryTakesItsPackagesWithIt() throws Exception {
    byte[] app = GoExecutables.elf().moduleInfo(MODULES).build();
    OciLayout.write(
        directory, "app",
        layer().file("usr/local/bin/app", app, 0755),
        layer().file("usr/local/bin/.wh.app", ""));

    Inventory inventory = analysis.analyze(OciLayoutImage.open(directory, "app", null));

    assertThat(inventory.packages()).isEmpty();
  }

  @Test
  void aBinaryThatCannotBeReadIsAProblemOfItsLayer() throws Exception {
    byte[] app = GoExecutables.elf().moduleInfo(MODULES).build();
    byte[] cut = java.util.Arrays.copyOf(app, GoBinaryAnalyzerTests.indexOf(app, GoBuildInfoReader.MAGIC) + 40);
    OciLayout.write(directory, "app", layer().file("usr/local/bin/app", cut, 0755));

    Inventory inventory = analysis.analyze(OciLayoutImage.open(directory, "app", null));

    assertThat(inventory.packages()).isEmpty();
    assertThat(inventory.layers().get(0).problems()).singleElement().asString()
        .startsWith("usr/local/bin/app: the Go build information is malformed");
  }
}
