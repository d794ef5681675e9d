package io.portcullis.scanner.analysis;

import io.portcullis.scanner.image.LayerContents;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** A {@link LayerCache} in a directory: one JSON file per key ({@link LayerCodec}), written whole and moved into place. */
public final class DirectoryLayerCache implements LayerCache {

  private static final long MAX_ENTRY_BYTES = 256L << 20;

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
      return LayerCodec.read(Files.readAllBytes(file))
          .filter(stored -> key.layer().equals(stored.layer()) && key.analyzers().equals(stored.analyzers()))
          .map(LayerCodec.Stored::contents);
    } catch (IOException | RuntimeException damaged) {
      return Optional.empty(); // a damaged entry is a miss; the layer is read again and the entry rewritten
    }
  }

  @Override
  public void put(Key key, LayerContents contents) {
    try {
      Path temporary = Files.createTempFile(directory, key.id(), ".tmp");
      Files.write(temporary, LayerCodec.write(key, contents));
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
}
