package io.portcullis.scanner.testing;

import io.portcullis.scanner.image.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import tools.jackson.databind.json.JsonMapper;

/** Writes OCI image layouts with hand-made layers, for analysis tests: whiteouts, compression, hostile entries. */
public final class OciLayout {

  /** How a layer's tar is stored. */
  public enum Compression {
    NONE("application/vnd.oci.image.layer.v1.tar"),
    GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
    ZSTD("application/vnd.oci.image.layer.v1.tar+zstd");

    final String mediaType;

    Compression(String mediaType) {
      this.mediaType = mediaType;
    }
  }

  /** One layer: entries in order (a null content makes a directory). */
  public static final class Layer {
    final Map<String, byte[]> entries = new LinkedHashMap<>();
    final Map<String, String> links = new LinkedHashMap<>();
    final Map<String, Integer> modes = new LinkedHashMap<>();

    /** A symbolic link at {@code path} to {@code target}. */
    public Layer link(String path, String target) {
      links.put(path, target);
      return this;
    }
    Compression compression = Compression.GZIP;

    public Layer file(String path, String text) {
      entries.put(path, text.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    public Layer file(String path, byte[] content) {
      entries.put(path, content);
      return this;
    }

    /** A file with the given permission bits ({@code 0755} for an executable); files are {@code 0644} otherwise. */
    public Layer file(String path, String text, int mode) {
      modes.put(path, mode);
      return file(path, text);
    }

    /** A file with the given permission bits ({@code 0755} for an executable). */
    public Layer file(String path, byte[] content, int mode) {
      modes.put(path, mode);
      return file(path, content);
    }

    public Layer file(String path, Path content) throws IOException {
      return file(path, Files.readAllBytes(content));
    }

    public Layer compressed(Compression compression) {
      this.compression = compression;
      return this;
    }

    byte[] tar() throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      try (OutputStream out = compress(raw); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
          TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
          entry.setSize(e.getValue().length);
          entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | modes.getOrDefault(e.getKey(), 0644));
          tar.putArchiveEntry(entry);
          tar.write(e.getValue());
          tar.closeArchiveEntry();
        }
        for (Map.Entry<String, String> l : links.entrySet()) {
          TarArchiveEntry entry = new TarArchiveEntry(l.getKey(), TarArchiveEntry.LF_SYMLINK, true);
          entry.setLinkName(l.getValue());
          tar.putArchiveEntry(entry);
          tar.closeArchiveEntry();
        }
      }
      return raw.toByteArray();
    }

    private OutputStream compress(OutputStream raw) throws IOException {
      return switch (compression) {
        case NONE -> raw;
        case GZIP -> new GzipCompressorOutputStream(raw);
        case ZSTD -> new ZstdCompressorOutputStream(raw);
      };
    }
  }

  public static Layer layer() {
    return new Layer();
  }

  /** Writes an image of {@code layers} (base first) into {@code directory}, tagged {@code tag}; returns the layer digests. */
  public static List<Digest> write(Path directory, String tag, Layer... layers) throws IOException {
    return write(directory, tag, List.of(), layers);
  }

  /** The same, with {@code environment} ({@code NAME=value}) as the config's {@code Env}. */
  public static List<Digest> write(Path directory, String tag, List<String> environment, Layer... layers)
      throws IOException {
    Files.createDirectories(directory.resolve("blobs/sha256"));
    Files.writeString(directory.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    List<Digest> digests = new ArrayList<>();
    StringBuilder layerJson = new StringBuilder();
    for (Layer layer : layers) {
      byte[] blob = layer.tar();
      Digest digest = blob(directory, blob);
      digests.add(digest);
      layerJson.append(layerJson.isEmpty() ? "" : ",")
          .append("{\"mediaType\":\"").append(layer.compression.mediaType).append("\",\"digest\":\"").append(digest)
          .append("\",\"size\":").append(blob.length).append('}');
    }
    String env = environment.isEmpty() ? ""
        : "\"config\":{\"Env\":" + JsonMapper.builder().build().writeValueAsString(environment) + "},";
    byte[] config =
        ("{\"created\":\"2024-05-01T12:00:00Z\",\"architecture\":\"amd64\",\"os\":\"linux\"," + env
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")
            .getBytes(StandardCharsets.UTF_8);
    Digest configDigest = blob(directory, config);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
                + "},\"layers\":[" + layerJson + "]}")
            .getBytes(StandardCharsets.UTF_8);
    Digest manifestDigest = blob(directory, manifest);
    Files.writeString(
        directory.resolve("index.json"),
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
            + manifestDigest + "\",\"size\":" + manifest.length
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
    return digests;
  }

  /**
   * Writes {@code layers} as {@code docker save} would: {@code manifest.json}, the config with the layers' diff ids, and
   * one uncompressed tar per layer, all in one tar file.
   */
  public static void writeDockerArchive(Path file, String tag, Layer... layers) throws IOException {
    List<byte[]> tars = new ArrayList<>();
    StringBuilder diffIds = new StringBuilder();
    StringBuilder layerNames = new StringBuilder();
    for (int i = 0; i < layers.length; i++) {
      layers[i].compressed(Compression.NONE);
      byte[] tar = layers[i].tar();
      tars.add(tar);
      diffIds.append(i == 0 ? "" : ",").append('"').append(Digest.of("sha256", tar)).append('"');
      layerNames.append(i == 0 ? "" : ",").append("\"layer").append(i).append("/layer.tar\"");
    }
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-05-01T12:00:00Z\","
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}")
            .getBytes(StandardCharsets.UTF_8);
    String configName = Digest.of("sha256", config).hex() + ".json";
    byte[] manifest =
        ("[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"" + tag + "\"],\"Layers\":[" + layerNames + "]}]")
            .getBytes(StandardCharsets.UTF_8);
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(file))) {
      put(out, "manifest.json", manifest);
      put(out, configName, config);
      for (int i = 0; i < tars.size(); i++) {
        put(out, "layer" + i + "/layer.tar", tars.get(i));
      }
    }
  }

  private static void put(TarArchiveOutputStream out, String name, byte[] content) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    out.putArchiveEntry(entry);
    out.write(content);
    out.closeArchiveEntry();
  }

  private static Digest blob(Path directory, byte[] content) throws IOException {
    Digest digest = Digest.of("sha256", content);
    Files.write(directory.resolve("blobs/sha256").resolve(digest.hex()), content);
    return digest;
  }

  private OciLayout() {}
}
