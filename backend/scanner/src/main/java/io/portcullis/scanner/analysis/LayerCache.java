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
