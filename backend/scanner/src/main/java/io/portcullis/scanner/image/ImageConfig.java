package io.portcullis.scanner.image;

import io.portcullis.scanner.image.RegistryException.Kind;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * What the scanner needs from an image's config blob: when it was built, the platform it runs on and the user its
 * processes start as. Kept small on purpose; the config holds much more (environment, entrypoint, history) that later
 * checks read when they need it.
 *
 * @param created when the image was built, or {@code null} when the config does not say
 * @param variant the CPU variant ({@code v8}), or {@code null}
 * @param user the {@code config.User} value, or {@code null} when unset (which means root)
 */
public record ImageConfig(Instant created, String os, String architecture, String variant, String user) {

  public static final String OCI_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
  public static final String DOCKER_MEDIA_TYPE = "application/vnd.docker.container.image.v1+json";

  /** Far above real configs (which stay under a few hundred KiB even with long histories), far below harm. */
  public static final int MAX_BYTES = 8 * 1024 * 1024;

  private static final Set<String> MEDIA_TYPES = Set.of(OCI_MEDIA_TYPE, DOCKER_MEDIA_TYPE);

  /**
   * Whether a manifest's config descriptor with this media type is an image config; artifacts (Helm charts,
   * signatures) put other documents there.
   */
  public static boolean isImageConfig(String mediaType) {
    return MEDIA_TYPES.contains(mediaType);
  }

  /** Parses a config blob of at most {@link #MAX_BYTES}. */
  public static ImageConfig parse(byte[] bytes) throws RegistryException {
    if (bytes.length > MAX_BYTES) {
      throw new RegistryException(
          Kind.TOO_LARGE,
          "image config is " + Sizes.describe(bytes.length) + ", more than the limit of " + Sizes.describe(MAX_BYTES));
    }
    StrictJson json = StrictJson.parse(bytes, "image config");
    Instant created = null;
    Optional<String> timestamp = json.optionalString("created");
    if (timestamp.isPresent()) {
      try {
        created = OffsetDateTime.parse(timestamp.get(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        throw json.invalid("created", "is not an RFC 3339 date-time: " + Untrusted.quote(timestamp.get()));
      }
    }
    String user = null;
    Optional<StrictJson> config = json.optionalObject("config");
    if (config.isPresent()) {
      user = config.get().optionalString("User").filter(value -> !value.isEmpty()).orElse(null);
    }
    return new ImageConfig(
        created,
        json.string("os"),
        json.string("architecture"),
        json.optionalString("variant").filter(value -> !value.isEmpty()).orElse(null),
        user);
  }

  public Platform platform() {
    return new Platform(os, architecture, variant);
  }
}
