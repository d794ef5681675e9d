package io.portcullis.scanner.testing;

import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.ImageConfig;
import io.portcullis.scanner.image.Manifests;
import io.portcullis.scanner.image.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Small images built in memory and pushed to a {@link TestRegistry} with the distribution API, so tests can assert on
 * digests they know. An image is one gzipped tar layer with a few files, a config with created/os/architecture, and an
 * OCI (or Docker v2 schema 2) manifest.
 *
 * <pre>{@code
 * TestImages images = new TestImages(registry);
 * TestImages.Image amd64 = TestImages.image(new Platform("linux", "amd64", null), Map.of("etc/hostname", "x\n"));
 * Digest digest = images.push("team/app", "1.0", amd64);
 * TestImages.Index index = images.pushIndex("team/multi", "latest", amd64, TestImages.image("arm64"));
 * images.push("team/app", "1.0", TestImages.image("arm64")); // moves the tag to another digest
 * }</pre>
 */
public final class TestImages {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String LAYER_MEDIA_TYPE_OCI = "application/vnd.oci.image.layer.v1.tar+gzip";
  private static final String LAYER_MEDIA_TYPE_DOCKER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  /** When the test images were "built"; fixed, so the same files give the same digests. */
  public static final Instant CREATED = Instant.parse("2024-05-01T12:00:00Z");

  private final TestRegistry registry;
  private final HttpClient client;

  public TestImages(TestRegistry registry) {
    this.registry = registry;
    this.client = registry.httpClient();
  }

  /** Content and its digest. */
  public record Blob(String mediaType, byte[] content, Digest digest) {

    static Blob of(String mediaType, byte[] content) {
      return new Blob(mediaType, content, Digest.of("sha256", content));
    }

    ObjectNode descriptor() {
      ObjectNode descriptor = JSON.createObjectNode();
      descriptor.put("mediaType", mediaType);
      descriptor.put("digest", digest.toString());
      descriptor.put("size", content.length);
      return descriptor;
    }
  }

  /** An image: its config, its layers and its manifest (whose digest is the image's). */
  public record Image(Platform platform, Blob config, List<Blob> layers, Blob manifest) {

    public Digest digest() {
      return manifest.digest();
    }
  }

  /** An index (or Docker manifest list) and the images it lists. */
  public record Index(Blob manifest, List<Image> images) {

    public Digest digest() {
      return manifest.digest();
    }
  }

  /** A {@code linux/<architecture>} OCI image with an os-release file and a file naming the architecture. */
  public static Image image(String architecture) {
    return image(
        new Platform("linux", architecture, null),
        Map.of("etc/os-release", "ID=portcullis-test\nVERSION_ID=1\n", "app/arch.txt", architecture + "\n"));
  }

  /** An OCI image for {@code platform} whose one layer holds {@code files} (path → UTF-8 text). */
  public static Image image(Platform platform, Map<String, String> files) {
    return build(platform, files, false);
  }

  /** The same, as a Docker v2 schema 2 image. */
  public static Image dockerImage(Platform platform, Map<String, String> files) {
    return build(platform, files, true);
  }

  /** Pushes the blobs and the manifest of {@code image} and tags it; returns its digest. Re-tagging moves the tag. */
  public Digest push(String repository, String tag, Image image) {
    for (Blob layer : image.layers()) {
      pushBlob(repository, layer);
    }
    pushBlob(repository, image.config());
    pushManifest(repository, tag, image.manifest());
    return image.digest();
  }

  /**
   * Pushes every image by digest, then an index of them under {@code tag}: an OCI index, or a Docker manifest list
   * when the images are Docker images.
   */
  public Index pushIndex(String repository, String tag, Image... images) {
    boolean docker = images[0].manifest().mediaType().equals(Manifests.DOCKER_MANIFEST);
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", docker ? Manifests.DOCKER_MANIFEST_LIST : Manifests.OCI_INDEX);
    ArrayNode manifests = index.putArray("manifests");
    for (Image image : images) {
      push(repository, image.digest().toString(), image);
      ObjectNode entry = image.manifest().descriptor();
      ObjectNode platform = entry.putObject("platform");
      platform.put("architecture", image.platform().architecture());
      platform.put("os", image.platform().os());
      if (image.platform().variant() != null) {
        platform.put("variant", image.platform().variant());
      }
      manifests.add(entry);
    }
    Blob manifest =
        Blob.of(docker ? Manifests.DOCKER_MANIFEST_LIST : Manifests.OCI_INDEX, JSON.writeValueAsBytes(index));
    pushManifest(repository, tag, manifest);
    return new Index(manifest, List.of(images));
  }

  /**
   * An OCI image for {@code platform} with one layer per map of {@code layers} (path → UTF-8 text), in order. Equal
   * maps make equal layers (same bytes, same digest), so images built from a shared base share its layers.
   */
  public static Image layered(Platform platform, List<Map<String, String>> layers) {
    return build(platform, layers, false);
  }

  private static Image build(Platform platform, Map<String, String> files, boolean docker) {
    return build(platform, List.of(files), docker);
  }

  private static Image build(Platform platform, List<Map<String, String>> layerFiles, boolean docker) {
    List<Blob> layers = new ArrayList<>();
    List<Digest> diffIds = new ArrayList<>();
    for (Map<String, String> files : layerFiles) {
      Map<String, byte[]> contents = new LinkedHashMap<>();
      files.entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(file -> contents.put(file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8)));
      byte[] tar = TarArchive.of(contents);
      layers.add(Blob.of(docker ? LAYER_MEDIA_TYPE_DOCKER : LAYER_MEDIA_TYPE_OCI, gzip(tar)));
      diffIds.add(Digest.of("sha256", tar));
    }

    ObjectNode config = JSON.createObjectNode();
    config.put("created", CREATED.toString());
    config.put("architecture", platform.architecture());
    config.put("os", platform.os());
    if (platform.variant() != null) {
      config.put("variant", platform.variant());
    }
    config.putObject("config").put("User", "1000:1000").putArray("Env").add("PATH=/usr/bin:/bin");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode ids = rootfs.putArray("diff_ids");
    diffIds.forEach(d -> ids.add(d.toString()));
    ArrayNode history = config.putArray("history");
    for (int i = 0; i < layers.size(); i++) {
      history.addObject().put("created", CREATED.toString())
          .put("created_by", layers.size() == 1 ? "TestImages" : "TestImages layer " + i);
    }
    Blob configBlob =
        Blob.of(docker ? ImageConfig.DOCKER_MEDIA_TYPE : ImageConfig.OCI_MEDIA_TYPE, JSON.writeValueAsBytes(config));

    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", docker ? Manifests.DOCKER_MANIFEST : Manifests.OCI_MANIFEST);
    manifest.set("config", configBlob.descriptor());
    ArrayNode descriptors = manifest.putArray("layers");
    layers.forEach(l -> descriptors.add(l.descriptor()));
    Blob manifestBlob =
        Blob.of(docker ? Manifests.DOCKER_MANIFEST : Manifests.OCI_MANIFEST, JSON.writeValueAsBytes(manifest));
    return new Image(platform, configBlob, List.copyOf(layers), manifestBlob);
  }

  private void pushBlob(String repository, Blob blob) {
    if (blob.content().length > (1 << 20) && exists(repository, blob)) {
      return; // a large blob the repository already holds (a shared base layer) is not uploaded again
    }
    // Two steps, as the specification's monolithic upload: open an upload session, then PUT the content to it.
    HttpResponse<String> started =
        send(repository, HttpRequest.newBuilder(api("/v2/" + repository + "/blobs/uploads/"))
            .POST(HttpRequest.BodyPublishers.noBody()), 202);
    URI location = registry.url().resolve(started.headers().firstValue("Location").orElseThrow());
    String separator = location.getRawQuery() == null ? "?" : "&";
    URI target = URI.create(location + separator + "digest=" + blob.digest());
    send(repository, HttpRequest.newBuilder(target)
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(blob.content())), 201);
  }

  private void pushManifest(String repository, String reference, Blob manifest) {
    send(repository, HttpRequest.newBuilder(api("/v2/" + repository + "/manifests/" + reference))
        .header("Content-Type", manifest.mediaType())
        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.content())), 201);
  }

  private boolean exists(String repository, Blob blob) {
    HttpRequest.Builder head = HttpRequest.newBuilder(api("/v2/" + repository + "/blobs/" + blob.digest()))
        .method("HEAD", HttpRequest.BodyPublishers.noBody());
    String authorization = registry.pushAuthorization(repository);
    if (authorization != null) {
      head.header("Authorization", authorization);
    }
    try {
      return client.send(head.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private HttpResponse<String> send(String repository, HttpRequest.Builder request, int expected) {
    String authorization = registry.pushAuthorization(repository);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpRequest built = request.build();
    try {
      HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new IllegalStateException(
            built.method() + " " + built.uri().getPath() + " answered " + response.statusCode() + ": "
                + response.body());
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI api(String path) {
    return registry.url().resolve(path);
  }

  private static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
