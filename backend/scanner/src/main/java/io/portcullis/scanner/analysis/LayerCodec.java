package io.portcullis.scanner.analysis;

import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.analysis.secret.Secret;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.LayerContents;
import io.portcullis.scanner.sbom.FoundPackage;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored form of a layer's analysis, as JSON, for the caches that keep it (a directory, a database). Secrets are
 * stored as the analyzers found them, that is redacted. A stored form that does not read back is a miss, never an error.
 */
public final class LayerCodec {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private LayerCodec() {}

  /** A stored analysis: the layer, the analyzers that produced it, and what they found. */
  public record Stored(Digest layer, String analyzers, LayerContents contents) {}

  public static byte[] write(LayerCache.Key key, LayerContents contents) {
    Map<String, Map<String, Cached>> files = new LinkedHashMap<>();
    contents.files().forEach((path, byAnalyzer) -> {
      Map<String, Cached> cached = new LinkedHashMap<>();
      byAnalyzer.forEach((type, findings) -> cached.put(type, new Cached(findings.packages(), findings.osRelease(),
          findings.problems(), findings.secrets(), findings.secretsNotShown())));
      files.put(path, cached);
    });
    Entry entry = new Entry(key.layer().toString(), key.analyzers(), files, List.copyOf(contents.whiteouts()),
        List.copyOf(contents.opaqueDirectories()), contents.entries(), contents.problems(),
        List.copyOf(contents.touchedBy()));
    return JSON.writeValueAsBytes(entry);
  }

  /** The stored analysis in {@code bytes}, or empty when they do not read as one. */
  public static Optional<Stored> read(byte[] bytes) {
    try {
      Entry entry = JSON.readValue(bytes, Entry.class);
      Digest layer = Digest.parse(entry.layer());
      Map<String, Map<String, FileFindings>> files = new LinkedHashMap<>();
      entry.files().forEach((path, byAnalyzer) -> {
        Map<String, FileFindings> restored = new LinkedHashMap<>();
        byAnalyzer.forEach((type, cached) -> restored.put(type, cached.restore()));
        files.put(path, restored);
      });
      Set<String> touched = entry.touchedBy() == null ? Set.of("*") : new LinkedHashSet<>(entry.touchedBy());
      return Optional.of(new Stored(layer, entry.analyzers(), new LayerContents(layer, files,
          new LinkedHashSet<>(entry.whiteouts()), new LinkedHashSet<>(entry.opaqueDirectories()), entry.entries(),
          entry.problems(), touched)));
    } catch (RuntimeException damaged) {
      return Optional.empty();
    }
  }

  record Entry(
      String layer,
      String analyzers,
      Map<String, Map<String, Cached>> files,
      List<String> whiteouts,
      List<String> opaqueDirectories,
      long entries,
      List<String> problems,
      List<String> touchedBy) {}

  record Cached(List<FoundPackage> packages, OsRelease osRelease, List<String> problems, List<Secret> secrets,
      int secretsNotShown) {

    FileFindings restore() {
      FileFindings findings = new FileFindings();
      packages.forEach(findings::add);
      if (osRelease != null) {
        findings.osRelease(osRelease);
      }
      problems.forEach(findings::problem);
      if (secrets != null) {
        secrets.forEach(findings::secret);
      }
      findings.secretsNotShown(secretsNotShown);
      return findings;
    }
  }
}
