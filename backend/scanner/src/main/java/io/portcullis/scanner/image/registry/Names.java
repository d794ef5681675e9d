package io.portcullis.scanner.image.registry;

import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryException.Kind;
import io.portcullis.scanner.image.Untrusted;
import java.util.regex.Pattern;

/**
 * The distribution specification's grammar for repository names and references. Every name and reference is checked
 * here before it becomes part of a URL path, so nothing a caller or a registry supplies can add path segments, a query
 * or an encoded character to a request.
 */
public final class Names {

  /** The specification counts 255 characters for host and name together; the name alone cannot be longer. */
  private static final int MAX_REPOSITORY_LENGTH = 255;

  // Separators and alphanumeric runs are disjoint classes, so matching is linear in the length.
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  private Names() {}

  /** Returns {@code name} when it is a valid repository name; an invalid name cannot exist, so it is NOT_FOUND. */
  static String repository(String name) throws RegistryException {
    if (!isRepository(name)) {
      throw new RegistryException(Kind.NOT_FOUND, "not a valid repository name: " + Untrusted.quote(name));
    }
    return name;
  }

  public static boolean isRepository(String name) {
    return name != null && name.length() <= MAX_REPOSITORY_LENGTH && REPOSITORY.matcher(name).matches();
  }

  public static boolean isTag(String tag) {
    return tag != null && TAG.matcher(tag).matches();
  }

  /** A tag or a digest, whichever {@code reference} is; anything else is NOT_FOUND. */
  static Reference reference(String reference) throws RegistryException {
    if (reference != null && reference.indexOf(':') > 0) {
      try {
        return new Reference(reference, Digest.parse(reference));
      } catch (IllegalArgumentException e) {
        throw new RegistryException(Kind.NOT_FOUND, "not a valid digest: " + Untrusted.quote(reference));
      }
    }
    if (!isTag(reference)) {
      throw new RegistryException(Kind.NOT_FOUND, "not a valid tag: " + Untrusted.quote(reference));
    }
    return new Reference(reference, null);
  }

  /** A validated reference; {@code digest} is set when it names content rather than a tag. */
  record Reference(String value, Digest digest) {}
}
