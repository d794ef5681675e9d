package io.portcullis.scanner.image;

import io.portcullis.scanner.image.RegistryException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses image manifests and indexes, OCI and Docker v2 schema 2, into {@link ManifestDocument}s.
 *
 * <p>The media type a registry served decides the format; when it served a generic type ({@code application/json},
 * {@code application/octet-stream}, none) the document's own {@code mediaType} field decides, and when that is absent
 * too the shape does ({@code manifests} makes an index, {@code config} an image manifest), as the image specification
 * suggests for older documents. A served type that contradicts the declared one is refused: one of the two is lying.
 * Docker schema 1 is refused outright; it has no content-addressed config and was removed from registries years ago.
 *
 * <p>Everything here came from outside: sizes and counts are checked before anything is built from them.
 */
public final class Manifests {

  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

  /** The media types this class reads, for an HTTP {@code Accept} header. */
  public static final List<String> MEDIA_TYPES =
      List.of(OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST);

  private static final Set<String> SCHEMA_1 =
      Set.of(
          "application/vnd.docker.distribution.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.v1+prettyjws");

  private static final Set<String> GENERIC =
      Set.of("application/json", "application/octet-stream", "binary/octet-stream", "text/plain");

  /** RFC 6838 type/subtype, as the image specification requires of a descriptor's media type. */
  private static final Pattern MEDIA_TYPE =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

  /** How much of a manifest is believed. */
  public record Limits(int maxBytes, int maxLayers, int maxManifests) {

    /** 4 MiB (the size distribution itself refuses beyond), 1,000 layers, 500 index entries. */
    public static final Limits DEFAULT = new Limits(4 * 1024 * 1024, 1_000, 500);

    public Limits {
      if (maxBytes <= 0 || maxLayers <= 0 || maxManifests <= 0) {
        throw new IllegalArgumentException("manifest limits must be positive");
      }
    }
  }

  private Manifests() {}

  /** Parses within {@link Limits#DEFAULT}. */
  public static ManifestDocument parse(String servedType, byte[] bytes) throws RegistryException {
    return parse(servedType, bytes, Limits.DEFAULT);
  }

  /**
   * Parses {@code bytes} served as {@code servedType} (a {@code Content-Type} value, parameters allowed, or
   * {@code null}). Throws {@link Kind#TOO_LARGE} beyond the limits and {@link Kind#MALFORMED} for anything the
   * specifications do not allow or that this class does not read.
   */
  public static ManifestDocument parse(String servedType, byte[] bytes, Limits limits) throws RegistryException {
    if (bytes.length > limits.maxBytes()) {
      throw new RegistryException(
          Kind.TOO_LARGE,
          "manifest is " + Sizes.describe(bytes.length) + ", more than the limit of "
              + Sizes.describe(limits.maxBytes()));
    }
    String served = normalise(servedType);
    if (served != null && SCHEMA_1.contains(served)) {
      throw schema1();
    }
    StrictJson json = StrictJson.parse(bytes, "manifest");
    long schemaVersion = json.integer("schemaVersion");
    if (schemaVersion == 1) {
      throw schema1();
    }
    if (schemaVersion != 2) {
      throw json.invalid("schemaVersion", "is " + schemaVersion + "; only 2 is defined");
    }
    Optional<String> declared = json.optionalString("mediaType");
    String type = mediaType(served, declared, json);
    return switch (type) {
      case OCI_MANIFEST, DOCKER_MANIFEST -> image(type, json, limits);
      case OCI_INDEX, DOCKER_MANIFEST_LIST -> index(type, json, limits);
      default -> throw SCHEMA_1.contains(type) ? schema1() : unsupported(type);
    };
  }

  private static String mediaType(String served, Optional<String> declared, StrictJson json) throws RegistryException {
    if (served != null && !GENERIC.contains(served)) {
      if (declared.isPresent() && !declared.get().equals(served)) {
        throw new RegistryException(
            Kind.MALFORMED,
            "manifest was served as " + Untrusted.quote(served) + " but declares mediaType "
                + Untrusted.quote(declared.get()));
      }
      return served;
    }
    if (declared.isPresent()) {
      return declared.get();
    }
    if (json.has("manifests")) {
      return OCI_INDEX;
    }
    if (json.has("config")) {
      return OCI_MANIFEST;
    }
    throw new RegistryException(
        Kind.MALFORMED, "manifest has no media type and is neither an index nor an image manifest");
  }

  private static ManifestDocument.Image image(String type, StrictJson json, Limits limits) throws RegistryException {
    Descriptor config = descriptor(json.object("config"), false);
    List<Descriptor> layers = new ArrayList<>();
    for (StrictJson layer : json.objects("layers", limits.maxLayers())) {
      layers.add(descriptor(layer, false));
    }
    return new ManifestDocument.Image(type, config, List.copyOf(layers));
  }

  private static ManifestDocument.Index index(String type, StrictJson json, Limits limits) throws RegistryException {
    // Docker's manifest list requires a platform on every entry; an OCI index allows entries without one (artifacts).
    boolean platformRequired = type.equals(DOCKER_MANIFEST_LIST);
    List<Descriptor> manifests = new ArrayList<>();
    for (StrictJson entry : json.objects("manifests", limits.maxManifests())) {
      manifests.add(descriptor(entry, platformRequired));
    }
    return new ManifestDocument.Index(type, List.copyOf(manifests));
  }

  private static Descriptor descriptor(StrictJson json, boolean platformRequired) throws RegistryException {
    String mediaType = json.string("mediaType");
    if (!MEDIA_TYPE.matcher(mediaType).matches()) {
      throw json.invalid("mediaType", "is not a media type: " + Untrusted.quote(mediaType));
    }
    Digest digest;
    try {
      digest = Digest.parse(json.string("digest"));
    } catch (IllegalArgumentException e) {
      throw json.invalid("digest", "is invalid (" + e.getMessage() + ")");
    }
    long size = json.integer("size");
    if (size < 0) {
      throw json.invalid("size", "is negative");
    }
    Optional<StrictJson> platform = json.optionalObject("platform");
    if (platformRequired && platform.isEmpty()) {
      throw json.invalid("platform", "is missing");
    }
    return new Descriptor(mediaType, digest, size, platform.isPresent() ? platform(platform.get()) : null);
  }

  private static Platform platform(StrictJson json) throws RegistryException {
    return new Platform(json.string("os"), json.string("architecture"), json.optionalString("variant").orElse(null));
  }

  /** {@code Application/JSON; charset=utf-8} → {@code application/json}; blank → {@code null}. */
  static String normalise(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return type.isEmpty() ? null : type;
  }

  private static RegistryException schema1() {
    return new RegistryException(
        Kind.MALFORMED,
        "Docker schema 1 manifests are not supported (deprecated and unsigned by content); push the image again with a"
            + " current client");
  }

  private static RegistryException unsupported(String type) {
    return new RegistryException(
        Kind.MALFORMED,
        "manifest media type " + Untrusted.quote(type) + " is not supported; expected one of "
            + String.join(", ", MEDIA_TYPES));
  }
}
