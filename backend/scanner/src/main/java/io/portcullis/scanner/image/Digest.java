package io.portcullis.scanner.image;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content digest as the OCI image specification defines it ({@code algorithm:encoded}). Only the registered algorithms
 * are accepted, with their exact encoded lengths, so a digest taken from a registry response can be used as a key, in a
 * URL path, or in a file name without further checks.
 */
public record Digest(String algorithm, String hex) {

  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  public Digest {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(hex, "hex");
    boolean valid =
        switch (algorithm) {
          case "sha256" -> SHA256.matcher(hex).matches();
          case "sha512" -> SHA512.matcher(hex).matches();
          default -> false;
        };
    if (!valid) {
      throw new IllegalArgumentException("not a valid digest: " + abbreviate(algorithm + ":" + hex));
    }
  }

  /** Parses {@code sha256:…}; throws {@link IllegalArgumentException} for anything else. */
  public static Digest parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("digest is missing");
    }
    int colon = value.indexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("not a valid digest: " + abbreviate(value));
    }
    return new Digest(value.substring(0, colon), value.substring(colon + 1));
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  private static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 80) + "…";
  }
}
