package io.portcullis.scanner.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An image in an OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/}). */
public final class OciLayoutImage implements ImageSource {

  private final Path directory;
  private final Opened opened;

  private OciLayoutImage(Path directory, Opened opened) {
    this.directory = directory;
    this.opened = opened;
  }

  /**
   * Opens the image tagged {@code tag} ({@code org.opencontainers.image.ref.name}), or the only image when {@code tag}
   * is null, choosing {@code platform} out of an index.
   */
  public static OciLayoutImage open(Path directory, String tag, String platform) throws RegistryException, IOException {
    if (!Files.isRegularFile(directory.resolve("oci-layout")) || !Files.isRegularFile(directory.resolve("index.json"))) {
      throw new RegistryException(RegistryException.Kind.NOT_FOUND, directory + " is not an OCI image layout");
    }
    StrictJson index = StrictJson.parse(readLimited(directory.resolve("index.json"), 4 << 20), "index.json");
    List<StrictJson> candidates = new ArrayList<>();
    for (StrictJson entry : index.objects("manifests", 10_000)) {
      String name =
          entry.optionalObject("annotations").isPresent()
              ? entry.object("annotations").optionalString("org.opencontainers.image.ref.name").orElse(null)
              : null;
      if (tag == null || tag.equals(name)) {
        candidates.add(entry);
      }
    }
    if (candidates.size() != 1) {
      throw new RegistryException(
          RegistryException.Kind.NOT_FOUND,
          candidates.isEmpty()
              ? "no image " + (tag == null ? "" : "tagged " + tag + " ") + "in " + directory
              : "the layout holds several images; name one by its tag");
    }
    Digest digest;
    try {
      digest = Digest.parse(candidates.get(0).string("digest"));
    } catch (IllegalArgumentException e) {
      throw candidates.get(0).invalid("digest", e.getMessage());
    }
    ManifestDocument document =
        Manifests.parse(candidates.get(0).optionalString("mediaType").orElse(null), blob(directory, digest, 4 << 20));
    if (document instanceof ManifestDocument.Index platforms) {
      digest = ImageSource.choose(platforms, platform).digest();
      document = Manifests.parse(null, blob(directory, digest, 4 << 20));
    }
    if (!(document instanceof ManifestDocument.Image image)) {
      throw new RegistryException(RegistryException.Kind.MALFORMED, "an index points at another index");
    }
    byte[] config = blob(directory, image.config().digest(), ImageConfig.MAX_BYTES);
    return new OciLayoutImage(directory, Opened.of("oci:" + directory + (tag == null ? "" : ":" + tag), digest, image, config));
  }

  @Override
  public Opened opened() {
    return opened;
  }

  @Override
  public InputStream layer(Descriptor layer) throws IOException {
    return new VerifiedStream(Files.newInputStream(blobPath(directory, layer.digest())), layer.digest());
  }

  private static byte[] blob(Path directory, Digest digest, long max) throws IOException, RegistryException {
    byte[] bytes = readLimited(blobPath(directory, digest), max);
    if (!Digest.of(digest.algorithm(), bytes).equals(digest)) {
      throw new RegistryException(RegistryException.Kind.MALFORMED, "blob " + digest + " does not match its digest");
    }
    return bytes;
  }

  private static Path blobPath(Path directory, Digest digest) {
    return directory.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  private static byte[] readLimited(Path file, long max) throws IOException, RegistryException {
    if (Files.size(file) > max) {
      throw new RegistryException(RegistryException.Kind.TOO_LARGE, file.getFileName() + " is larger than " + max + " bytes");
    }
    return Files.readAllBytes(file);
  }
}
