package io.portcullis.scanner.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * An image saved with {@code docker save}: a tar holding {@code manifest.json}, the config and one tar per layer. The
 * archive is read in place (random access to its entries), never unpacked; each layer is checked against the
 * {@code rootfs.diff_ids} of the config, which name the uncompressed layers.
 */
public final class DockerArchiveImage implements ImageSource, AutoCloseable {

  private static final int MAX_ENTRIES = 100_000;

  private final TarFile archive;
  private final Map<String, TarArchiveEntry> entries;
  private final Opened opened;
  private final Map<Digest, String> layerPaths;

  private DockerArchiveImage(
      TarFile archive, Map<String, TarArchiveEntry> entries, Opened opened, Map<Digest, String> layerPaths) {
    this.archive = archive;
    this.entries = entries;
    this.opened = opened;
    this.layerPaths = layerPaths;
  }

  /** Opens the image tagged {@code tag} in the archive, or its only image when {@code tag} is null. */
  public static DockerArchiveImage open(Path file, String tag) throws IOException, RegistryException {
    TarFile archive = new TarFile(file);
    try {
      Map<String, TarArchiveEntry> entries = new HashMap<>();
      for (TarArchiveEntry entry : archive.getEntries()) {
        if (entries.size() >= MAX_ENTRIES) {
          throw new RegistryException(RegistryException.Kind.TOO_LARGE, "the archive has more than " + MAX_ENTRIES + " entries");
        }
        if (entry.isFile() && !entry.isSymbolicLink() && !entry.isLink()) {
          entries.put(entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName(), entry);
        }
      }
      List<StrictJson> images = new ArrayList<>();
      // manifest.json is an array; the strict reader takes objects, so it reads it as the value of one field
      byte[] list = read(archive, entries, "manifest.json", 4 << 20);
      byte[] wrapped = new byte[list.length + 11];
      System.arraycopy("{\"images\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, wrapped, 0, 10);
      System.arraycopy(list, 0, wrapped, 10, list.length);
      wrapped[wrapped.length - 1] = '}';
      for (StrictJson image : StrictJson.parse(wrapped, "manifest.json").objects("images", 1000)) {
        if (tag == null || image.strings("RepoTags", 1000).contains(tag)) {
          images.add(image);
        }
      }
      if (images.size() != 1) {
        throw new RegistryException(
            RegistryException.Kind.NOT_FOUND,
            images.isEmpty() ? "no image " + (tag == null ? "" : "tagged " + tag + " ") + "in " + file
                : "the archive holds several images; name one by its tag");
      }
      StrictJson image = images.get(0);
      byte[] configBytes = read(archive, entries, image.string("Config"), ImageConfig.MAX_BYTES);
      List<String> diffIds =
          StrictJson.parse(configBytes, "config").object("rootfs").strings("diff_ids", 10_000);
      List<String> layerFiles = image.strings("Layers", 10_000);
      if (diffIds.size() != layerFiles.size()) {
        throw new RegistryException(
            RegistryException.Kind.MALFORMED, "the config names " + diffIds.size() + " layers, the archive " + layerFiles.size());
      }
      List<Descriptor> layers = new ArrayList<>();
      Map<Digest, String> paths = new HashMap<>();
      for (int i = 0; i < layerFiles.size(); i++) {
        Digest diffId;
        try {
          diffId = Digest.parse(diffIds.get(i));
        } catch (IllegalArgumentException e) {
          throw new RegistryException(RegistryException.Kind.MALFORMED, "config rootfs.diff_ids: " + e.getMessage());
        }
        TarArchiveEntry entry = entries.get(layerFiles.get(i));
        if (entry == null) {
          throw new RegistryException(RegistryException.Kind.MALFORMED, "the archive has no layer " + layerFiles.get(i));
        }
        layers.add(new Descriptor("application/vnd.docker.image.rootfs.diff.tar", diffId, entry.getSize(), null));
        paths.put(diffId, layerFiles.get(i));
      }
      Digest configDigest = Digest.of("sha256", configBytes);
      ManifestDocument.Image manifest =
          new ManifestDocument.Image(
              "application/vnd.docker.distribution.manifest.v2+json",
              new Descriptor("application/vnd.docker.container.image.v1+json", configDigest, configBytes.length, null),
              layers);
      String reference = "docker-archive:" + file + (tag == null ? "" : ":" + tag);
      // with no registry manifest, Docker names the image by the digest of its config (the image id)
      return new DockerArchiveImage(archive, entries, Opened.of(reference, configDigest, manifest, configBytes), paths);
    } catch (IOException | RegistryException | RuntimeException e) {
      archive.close();
      throw e;
    }
  }

  @Override
  public Opened opened() {
    return opened;
  }

  @Override
  public InputStream layer(Descriptor layer) throws IOException {
    TarArchiveEntry entry = entries.get(layerPaths.get(layer.digest()));
    return new VerifiedStream(archive.getInputStream(entry), layer.digest());
  }

  @Override
  public void close() throws IOException {
    archive.close();
  }

  private static byte[] read(TarFile archive, Map<String, TarArchiveEntry> entries, String name, long max)
      throws IOException, RegistryException {
    TarArchiveEntry entry = entries.get(name);
    if (entry == null) {
      throw new RegistryException(RegistryException.Kind.MALFORMED, "the archive has no " + name + "; is it a docker save archive?");
    }
    if (entry.getSize() > max) {
      throw new RegistryException(RegistryException.Kind.TOO_LARGE, name + " is larger than " + max + " bytes");
    }
    try (InputStream in = archive.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }
}
