package io.portcullis.scanner.analysis;

import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.LayerContents;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What analyzers found in a layer, kept by the layer's digest and the analyzers' versions: a layer shared by many images
 * is analysed once, and bumping an analyzer's version invalidates exactly the results it touched.
 *
 * <p>Contract: {@link #get} returns what {@link #put} stored under an equal key, or empty; a damaged entry reads as
 * empty, never as an error; implementations are safe to use from several threads.
 */
public interface LayerCache {

  Optional<LayerContents> get(Key key);

  void put(Key key, LayerContents contents);

  /** Reads a layer the cache does not hold. */
  @FunctionalInterface
  interface Reader {
    LayerContents read() throws ImageAnalysis.ImageException;
  }

  /**
   * The layer's contents from the cache, or read by {@code reader} and stored. A cache shared by several processes
   * overrides this so that only one of them reads a given layer at a time while the others wait for its result.
   */
  default LayerContents load(Key key, Reader reader) throws ImageAnalysis.ImageException {
    Optional<LayerContents> cached = get(key);
    if (cached.isPresent()) {
      return cached.get();
    }
    LayerContents contents = reader.read();
    put(key, contents);
    return contents;
  }

  /**
   * Contents stored for the analyzers {@code stored} ("type@version,..."), when they serve the analyzers {@code wanted}:
   * every wanted analyzer ran on the layer, and each whose version differs chose no file of it (so its new version
   * would find nothing there either). Findings of analyzers no longer wanted are dropped. Empty when the layer must be
   * read again.
   */
  static Optional<LayerContents> reuse(String stored, LayerContents contents, String wanted) {
    if (stored.equals(wanted)) {
      return Optional.of(contents);
    }
    java.util.Map<String, String> before = versions(stored);
    java.util.Map<String, String> after = versions(wanted);
    for (java.util.Map.Entry<String, String> analyzer : after.entrySet()) {
      String previous = before.get(analyzer.getKey());
      if (previous == null) {
        return Optional.empty(); // a new analyzer has never looked at this layer
      }
      if (!previous.equals(analyzer.getValue()) && contents.touchedBy(analyzer.getKey())) {
        return Optional.empty();
      }
    }
    java.util.Map<String, java.util.Map<String, FileFindings>> files = new java.util.LinkedHashMap<>();
    contents.files().forEach((path, byAnalyzer) -> {
      java.util.Map<String, FileFindings> kept = new java.util.LinkedHashMap<>(byAnalyzer);
      kept.keySet().retainAll(after.keySet());
      files.put(path, kept);
    });
    java.util.Set<String> touched = new java.util.TreeSet<>(contents.touchedBy());
    if (!touched.contains("*")) {
      touched.retainAll(after.keySet());
    }
    return Optional.of(new LayerContents(contents.digest(), files, contents.whiteouts(), contents.opaqueDirectories(),
        contents.entries(), contents.problems(), touched));
  }

  private static java.util.Map<String, String> versions(String analyzers) {
    java.util.Map<String, String> versions = new java.util.HashMap<>();
    for (String analyzer : analyzers.split(",")) {
      int at = analyzer.lastIndexOf('@');
      if (at > 0) {
        versions.put(analyzer.substring(0, at), analyzer.substring(at + 1));
      }
    }
    return versions;
  }

  /** No cache: every layer is read. */
  LayerCache NONE =
      new LayerCache() {
        @Override
        public Optional<LayerContents> get(Key key) {
          return Optional.empty();
        }

        @Override
        public void put(Key key, LayerContents contents) {}
      };

  /** A layer and the analyzers (type and version, sorted) that read it. */
  record Key(Digest layer, String analyzers) {

    public static Key of(Digest layer, Collection<Analyzer> analyzers) {
      return new Key(
          layer, analyzers.stream().map(a -> a.type() + "@" + a.version()).sorted().collect(Collectors.joining(",")));
    }

    /** A file-system-safe name for the key. */
    public String id() {
      return Digest.of("sha256", (layer + "|" + analyzers).getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex();
    }
  }
}
