package io.portcullis.scanner.analysis;

import static io.portcullis.scanner.analysis.os.SharedTestData.pkgdb;
import static io.portcullis.scanner.testing.OciLayout.layer;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.image.Descriptor;
import io.portcullis.scanner.image.ImageSource;
import io.portcullis.scanner.image.LayerLimits;
import io.portcullis.scanner.image.OciLayoutImage;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.testing.OciLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers are read once per analyzer set; a new analyzer version reads them again; a damaged entry is a miss. */
class LayerCacheTests {

  @TempDir Path directory;
  Path cacheDirectory;
  ImageSource image;
  AtomicInteger layerReads = new AtomicInteger();

  @BeforeEach
  void image() throws Exception {
    Path layout = directory.resolve("layout");
    OciLayout.write(
        layout, "v1",
        layer().file("etc/os-release", "ID=debian\nVERSION_ID=12\n").file("var/lib/dpkg/status", pkgdb("dpkg/debootstrap__bookworm-minbase/status")),
        layer().file("lib/apk/db/.wh.installed", "").file("var/lib/dpkg/status.d/.wh..wh..opq", ""));
    image = counting(OciLayoutImage.open(layout, "v1", null));
    cacheDirectory = directory.resolve("cache");
  }

  @Test
  void aCachedLayerIsNotReadAgainAndGivesTheSameInventory() throws Exception {
    ImageAnalysis analysis = ImageAnalysis.withCache(new DirectoryLayerCache(cacheDirectory));
    Inventory first = analysis.analyze(image);
    assertThat(layerReads).hasValue(2);
    Inventory second = ImageAnalysis.withCache(new DirectoryLayerCache(cacheDirectory)).analyze(image);
    assertThat(layerReads).as("both layers came from the cache").hasValue(2);
    assertThat(second).isEqualTo(first);
    assertThat(second.packages()).hasSize(88);
  }

  @Test
  void aNewAnalyzerVersionReadsTheLayersAgain() throws Exception {
    ImageAnalysis.withCache(new DirectoryLayerCache(cacheDirectory)).analyze(image);
    List<Analyzer> bumped = new ArrayList<>(Analyzers.defaults());
    Analyzer release = bumped.stream().filter(a -> a.type().equals("os-release")).findFirst().orElseThrow();
    bumped.set(bumped.indexOf(release), new FileAnalyzer("os-release", 2, release::required, release::analyze));
    new ImageAnalysis(bumped, LayerLimits.DEFAULT, new DirectoryLayerCache(cacheDirectory)).analyze(image);
    assertThat(layerReads).hasValue(4);
  }

  @Test
  void aDamagedEntryIsAMissAndIsRewritten() throws Exception {
    ImageAnalysis.withCache(new DirectoryLayerCache(cacheDirectory)).analyze(image);
    try (Stream<Path> entries = Files.list(cacheDirectory)) {
      for (Path entry : entries.toList()) {
        Files.writeString(entry, "{\"layer\": [not json");
      }
    }
    Inventory again = ImageAnalysis.withCache(new DirectoryLayerCache(cacheDirectory)).analyze(image);
    assertThat(layerReads).hasValue(4);
    assertThat(again.packages()).hasSize(88);
    ImageAnalysis.withCache(new DirectoryLayerCache(cacheDirectory)).analyze(image);
    assertThat(layerReads).as("rewritten entries are used").hasValue(4);
  }

  private ImageSource counting(ImageSource source) {
    return new ImageSource() {
      @Override
      public Opened opened() {
        return source.opened();
      }

      @Override
      public InputStream layer(Descriptor layer) throws IOException, RegistryException {
        layerReads.incrementAndGet();
        return source.layer(layer);
      }
    };
  }
}
