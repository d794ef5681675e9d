package io.portcullis.scanner.image;

import io.portcullis.scanner.analysis.Analyzer;
import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.analysis.LayerFile;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Streams one layer (tar, gzip or zstd) through the analyzers, once, from start to end: nothing is unpacked to disk.
 * Paths are normalised the way the OCI layer specification defines them; entries that climb out of the layer are
 * reported and skipped; links are recorded as what they are and never followed; whiteouts and opaque directories are
 * collected for the merge of layers.
 */
public final class LayerReader {

  static final String WHITEOUT = ".wh.";
  static final String OPAQUE = ".wh..wh..opq";

  private final List<Analyzer> analyzers;
  private final LayerLimits limits;

  public LayerReader(List<Analyzer> analyzers, LayerLimits limits) {
    this.analyzers = List.copyOf(analyzers);
    this.limits = limits;
  }

  /** The limits this reader keeps. */
  public LayerLimits limits() {
    return limits;
  }

  /** Reads {@code layer} to its end. A layer that breaks a limit or is not a tar archive fails with the reason. */
  public LayerContents read(Digest digest, InputStream layer) throws IOException, LayerException {
    return read(digest, layer, Deadline.NONE);
  }

  /**
   * Reads {@code layer} to its end, or until {@code deadline} passes: the time a scan may take is a limit like the
   * others, since an attacker can make a layer slow to read (millions of tiny entries, a registry that trickles).
   */
  public LayerContents read(Digest digest, InputStream layer, Deadline deadline) throws IOException, LayerException {
    Counting compressed = new Counting(layer, null, deadline);
    Counting uncompressed =
        new Counting(decompress(new BufferedInputStream(compressed, 1 << 16)), compressed, deadline);
    Map<String, Map<String, FileFindings>> files = new LinkedHashMap<>();
    Set<String> touchedBy = new java.util.TreeSet<>();
    Set<String> whiteouts = new LinkedHashSet<>();
    Set<String> opaque = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    long entries = 0;
    int secretsLeft = FileFindings.MAX_SECRETS_PER_LAYER;
    long secretsDropped = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(uncompressed)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (++entries > limits.maxEntries()) {
          throw new LayerException("the layer has more than " + limits.maxEntries() + " entries");
        }
        String path = normalise(entry.getName());
        if (path == null) {
          problems.add("skipped an entry whose path leaves the layer: " + quote(entry.getName()));
          continue;
        }
        if (path.isEmpty()) {
          continue;
        }
        int slash = path.lastIndexOf('/');
        String directory = slash < 0 ? "" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        if (name.equals(OPAQUE)) {
          opaque.add(directory);
          continue;
        }
        if (name.startsWith(WHITEOUT)) {
          whiteouts.add((directory.isEmpty() ? "" : directory + "/") + name.substring(WHITEOUT.length()));
          continue;
        }
        boolean link = entry.isSymbolicLink() || entry.isLink();
        // commons-compress calls anything that is not a directory a file; links and devices are not read
        if (entry.isDirectory() || entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
          continue;
        }
        List<Analyzer> interested = interested(path, entry.getMode(), entry.getSize());
        if (interested.isEmpty()) {
          continue;
        }
        interested.forEach(a -> touchedBy.add(a.type()));
        Map<String, FileFindings> byAnalyzer = new LinkedHashMap<>();
        // even when unread: a newer copy of a file, or a link in its place, replaces what older layers said of it
        files.put(path, byAnalyzer);
        if (link) {
          continue; // never followed: the target is read where it is stored
        }
        List<Analyzer> reading = new ArrayList<>(interested.size());
        for (Analyzer analyzer : interested) {
          long maxFileBytes = analyzer.maxFileBytes(limits.maxFileBytes());
          if (entry.getSize() > maxFileBytes) {
            problems.add(path + " is " + entry.getSize() + " bytes, more than the " + maxFileBytes + " read for analysis");
          } else {
            reading.add(analyzer);
          }
        }
        if (reading.size() == 1) {
          Analyzer analyzer = reading.get(0);
          FileFindings findings = new FileFindings();
          analyzer.analyze(new LayerFile(path, entry.getSize(), new Unclosable(tar)), findings);
          byAnalyzer.put(analyzer.type(), findings);
        } else if (reading.size() > 1) {
          // a stream is read once: several readers of one file share a copy, no larger than each of them accepts
          byte[] content = tar.readNBytes((int) entry.getSize());
          for (Analyzer analyzer : reading) {
            FileFindings findings = new FileFindings();
            analyzer.analyze(new LayerFile(path, content.length, new ByteArrayInputStream(content)), findings);
            byAnalyzer.put(analyzer.type(), findings);
          }
        }
        for (FileFindings findings : byAnalyzer.values()) {
          int kept = findings.secrets().size();
          secretsDropped += findings.keepSecrets(secretsLeft);
          secretsLeft -= Math.min(kept, secretsLeft);
        }
        // most files read (for secrets) hold nothing: only their path is kept, to replace what older layers said
        byAnalyzer.values().removeIf(FileFindings::isEmpty);
        if (byAnalyzer.isEmpty()) {
          files.put(path, Map.of());
        }
      }
      if (secretsDropped > 0) {
        problems.add(secretsDropped + " more secrets in this layer not shown: at most "
            + FileFindings.MAX_SECRETS_PER_LAYER + " are kept per layer");
      }
      // the rest of the stream (tar padding) belongs to the blob: read it so the digest covers every byte
      layer.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      if (e.getCause() instanceof LayerException limit) {
        throw limit;
      }
      throw new LayerException("the layer is not a readable tar archive: " + e.getMessage(), e);
    }
    return new LayerContents(digest, files, whiteouts, opaque, entries, problems, touchedBy);
  }

  private List<Analyzer> interested(String path, int mode, long size) {
    List<Analyzer> interested = new ArrayList<>(1);
    for (Analyzer analyzer : analyzers) {
      if (analyzer.required(path, mode, size)) {
        interested.add(analyzer);
      }
    }
    return interested;
  }

  /** Tells gzip and zstd from plain tar by their magic numbers rather than trusting the declared media type. */
  private static InputStream decompress(BufferedInputStream in) throws IOException {
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GzipCompressorInputStream(in, true);
    }
    if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      return new ZstdCompressorInputStream(in);
    }
    return in;
  }

  /**
   * The path as the layer means it: relative to the root, without {@code ./} or leading slashes; null when it climbs
   * above the root.
   */
  String normalise(String raw) {
    if (raw == null || raw.length() > limits.maxPathLength() || raw.indexOf('\0') >= 0) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (String part : raw.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        return null;
      }
      parts.add(part);
    }
    return String.join("/", parts);
  }

  private static String quote(String value) {
    String shown = value.length() > 200 ? value.substring(0, 200) + "…" : value;
    return "'" + shown.replaceAll("[\\p{Cntrl}]", "?") + "'";
  }

  /**
   * Counts the bytes that pass. The uncompressed side checks the layer's size and expansion on every read, so a
   * decompression bomb inside one entry is stopped while it inflates, not after.
   */
  private final class Counting extends FilterInputStream {
    private final Counting compressed;
    private final Deadline deadline;
    long count;

    Counting(InputStream in, Counting compressed, Deadline deadline) {
      super(in);
      this.compressed = compressed;
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    private void add(long n) throws IOException {
      count += n;
      if (deadline.passed()) {
        throw new IOException(new LayerException("the scan took longer than its limit of " + deadline.limit()));
      }
      if (compressed == null) {
        return;
      }
      if (count > limits.maxLayerBytes()) {
        throw new IOException(new LayerException("the layer unpacks to more than " + limits.maxLayerBytes() + " bytes"));
      }
      if (count > (1L << 20) && count / Math.max(1, compressed.count) > limits.maxCompressionRatio()) {
        throw new IOException(
            new LayerException(
                "the layer expands more than " + limits.maxCompressionRatio() + " times (" + compressed.count + " bytes to "
                    + count + " and counting)"));
      }
    }
  }

  /** Analyzers get the entry's stream; closing it must not close the archive. */
  private static final class Unclosable extends FilterInputStream {
    Unclosable(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
      // the archive stays open for the next entry
    }
  }

}
