package io.portcullis.scanner.analysis;

import java.io.IOException;

/**
 * Reads one type of file out of a layer. An analyzer says which paths it needs; the layer reader streams just those
 * files to it, once, without unpacking anything to disk.
 *
 * <p>Contract: {@link #type()} is unique among the analyzers of a scan and stable over time (it is part of cache keys
 * and of every package's evidence); {@link #version()} changes whenever the analyzer would find something different
 * in the same file; {@link #required(String)} is cheap and decides on the path alone; {@link #analyze} reads only from
 * the given stream, never closes it, and reports malformed input through the findings or an exception of the file's
 * own — it never fails the layer.
 */
public interface Analyzer {

  /** A short stable name, such as {@code dpkg-status}. */
  String type();

  /** Bumped when the analyzer's output for the same input changes. */
  int version();

  /** Whether the file at {@code path} (relative to the image root, no leading slash) is one this analyzer reads. */
  boolean required(String path);

  /**
   * Whether this analyzer reads the file, decided on its tar header alone. Most analyzers go by the path; those that
   * look for a kind of file wherever it lies (executables for Go build information, small text files for secrets) also
   * use the permission bits and the size. Defaults to {@link #required(String)}.
   *
   * @param mode the entry's permission bits as the tar header gives them ({@code 0755})
   * @param size the entry's size as the tar header states it
   */
  default boolean required(String path, int mode, long size) {
    return required(path);
  }

  /**
   * The largest file this analyzer reads, given the layer's limit for one file. Package databases that are binary and
   * large by nature (rpm's) raise it; everything else keeps the layer's limit.
   */
  default long maxFileBytes(long layerLimit) {
    return layerLimit;
  }

  /** Reads one file and adds what it found. */
  void analyze(LayerFile file, FileFindings findings) throws IOException;
}
