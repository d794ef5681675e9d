package io.portcullis.scanner.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.LayerContents;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * When a stored layer analysis serves other analyzer versions: only the layers an analyzer touched are read again when
 * its version changes; a new analyzer reads every layer; findings of a removed analyzer are dropped.
 */
class LayerReuseTests {

  static final Digest LAYER = Digest.of("sha256", "layer".getBytes(StandardCharsets.UTF_8));

  static LayerContents contents(Set<String> touchedBy) {
    Map<String, Map<String, FileFindings>> files = new LinkedHashMap<>();
    FileFindings dpkg = new FileFindings();
    dpkg.problem("one unreadable stanza");
    files.put("var/lib/dpkg/status", Map.of("dpkg", dpkg));
    FileFindings secrets = new FileFindings();
    secrets.problem("a file too large to read");
    files.put("etc/app.conf", Map.of("secrets", secrets));
    return new LayerContents(LAYER, files, Set.of(), Set.of(), 12, List.of(), touchedBy);
  }

  @Test
  void theSameVersionsServeAsTheyAre() {
    LayerContents stored = contents(Set.of("dpkg", "secrets"));
    assertThat(LayerCache.reuse("dpkg@1,npm@1,secrets@1", stored, "dpkg@1,npm@1,secrets@1")).containsSame(stored);
  }

  @Test
  void aBumpedAnalyzerThatTouchedNothingHereKeepsTheEntry() {
    LayerContents stored = contents(Set.of("dpkg", "secrets"));
    assertThat(LayerCache.reuse("dpkg@1,npm@1,secrets@1", stored, "dpkg@1,npm@2,secrets@1")).isPresent();
  }

  @Test
  void aBumpedAnalyzerThatTouchedTheLayerReadsItAgain() {
    LayerContents stored = contents(Set.of("dpkg", "secrets"));
    assertThat(LayerCache.reuse("dpkg@1,npm@1,secrets@1", stored, "dpkg@2,npm@1,secrets@1")).isEmpty();
    // touching counts even when the analyzer found nothing it kept
    assertThat(LayerCache.reuse("dpkg@1,npm@1,secrets@1", contents(Set.of("dpkg", "npm", "secrets")),
        "dpkg@1,npm@2,secrets@1")).isEmpty();
  }

  @Test
  void aNewAnalyzerReadsEveryLayer() {
    assertThat(LayerCache.reuse("dpkg@1,secrets@1", contents(Set.of("dpkg", "secrets")), "dpkg@1,go@1,secrets@1"))
        .isEmpty();
  }

  @Test
  void aRemovedAnalyzersFindingsAreDropped() {
    LayerContents kept = LayerCache.reuse("dpkg@1,secrets@1", contents(Set.of("dpkg", "secrets")), "dpkg@1")
        .orElseThrow();
    assertThat(kept.files().get("var/lib/dpkg/status")).containsOnlyKeys("dpkg");
    assertThat(kept.files().get("etc/app.conf")).isEmpty(); // the path stays: it still replaces older layers' copy
    assertThat(kept.touchedBy()).containsExactly("dpkg");
  }

  @Test
  void contentsWhoseReadersAreUnknownCountAsTouchedByEveryone() {
    LayerContents unknown = new LayerContents(LAYER, Map.of(), Set.of(), Set.of(), 0, List.of());
    assertThat(LayerCache.reuse("dpkg@1,npm@1", unknown, "dpkg@1,npm@2")).isEmpty();
  }

  @Test
  void theStoredFormKeepsWhoTouchedTheLayer() {
    LayerContents stored = contents(Set.of("dpkg", "secrets"));
    LayerCodec.Stored read = LayerCodec.read(LayerCodec.write(new LayerCache.Key(LAYER, "dpkg@1,secrets@1"), stored))
        .orElseThrow();
    assertThat(read.contents().touchedBy()).containsExactlyInAnyOrder("dpkg", "secrets");
    assertThat(read.analyzers()).isEqualTo("dpkg@1,secrets@1");
    assertThat(LayerCodec.read("{not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
  }
}
