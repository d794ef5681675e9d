package io.portcullis.scanner.analysis;

import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.analysis.secret.Secret;
import io.portcullis.scanner.image.LayerContents;
import io.portcullis.scanner.sbom.FoundPackage;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/** A {@link LayerCache} in a directory: one JSON file per key, written whole and moved into place. */
public final class DirectoryLayerCache implements LayerCache {

  private static final long MAX_ENTRY_BYTES = 256L << 20;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path directory;

  public DirectoryLayerCache(Path directory) throws IOException {
    this.directory = Files.createDirectories(directory);
  }

  @Override
  public Optional<LayerContents> get(Key key) {
    Path file = directory.resolve(key.id() + ".json");
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_ENTRY_BYTES) {
        return Optional.empty();
      }
      Entry entry = JSON.readValue(file.toFile(), Entry.class);
      if (!key.layer().toString().equals(entry.layer()) || !key.analyzers().equals(entry.analyzers())) {
        return Optional.empty();
      }
      Map<String, Map<String, FileFindings>> files = new LinkedHashMap<>();
      entry.files().forEach((path, byAnalyzer) -> {
        Map<String, FileFindings> restored = new LinkedHashMap<>();
        byAnalyzer.forEach((type, cached) -> restored.put(type, cached.restore()));
        files.put(path, restored);
      });
      return Optional.of(new LayerContents(key.layer(), files, new LinkedHashSet<>(entry.whiteouts()),
          new LinkedHashSet<>(entry.opaqueDirectories()), entry.entries(), entry.problems()));
    } catch (IOException | RuntimeException damaged) {
      return Optional.empty(); // a damaged entry is a miss; the layer is read again and the entry rewritten
    }
  }

  @Override
  public void put(Key key, LayerContents contents) {
    Map<String, Map<String, Cached>> files = new LinkedHashMap<>();
    contents.files().forEach((path, byAnalyzer) -> {
      Map<String, Cached> cached = new LinkedHashMap<>();
      byAnalyzer.forEach((type, findings) -> cached.put(type, new Cached(findings.packages(), findings.osRelease(),
          findings.problems(), findings.secrets(), findings.secretsNotShown())));
      files.put(path, cached);
    });
    Entry entry = new Entry(key.layer().toString(), key.analyzers(), files, List.copyOf(contents.whiteouts()),
        List.copyOf(contents.opaqueDirectories()), contents.entries(), contents.problems());
    try {
      Path temporary = Files.createTempFile(directory, key.id(), ".tmp");
      JSON.writeValue(temporary.toFile(), entry);
      try {
        Files.move(temporary, directory.resolve(key.id() + ".json"), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, directory.resolve(key.id() + ".json"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      // a cache that cannot be written only costs time: the next scan reads the layer again
    }
  }

  /** The stored form of one layer's results. */
  record Entry(
      String layer,
      String analyzers,
      Map<String, Map<String, Cached>> files,
      List<String> whiteouts,
      List<String> opaqueDirectories,
      long entries,
      List<String> problems) {}

  /** The stored form of one file's findings; secrets are stored as found, that is redacted. */
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
