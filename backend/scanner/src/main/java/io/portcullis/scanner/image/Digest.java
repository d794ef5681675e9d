package io.portcullis.scanner.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

  /** The digest of {@code content} under {@code algorithm} ({@code sha256} or {@code sha512}). */
  public static Digest of(String algorithm, byte[] content) {
    return new Digest(algorithm, HexFormat.of().formatHex(messageDigest(algorithm).digest(content)));
  }

  /** A fresh hasher for this digest's algorithm, to check content that arrives as a stream. */
  public MessageDigest newMessageDigest() {
    return messageDigest(algorithm);
  }

  /** Whether {@code hash}, fed with some content, says that content is the one this digest names. */
  public boolean matches(MessageDigest hash) {
    return hex.equals(HexFormat.of().formatHex(hash.digest()));
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  private static MessageDigest messageDigest(String algorithm) {
    String name =
        switch (algorithm) {
          case "sha256" -> "SHA-256";
          case "sha512" -> "SHA-512";
          default -> throw new IllegalArgumentException("unsupported digest algorithm: " + abbreviate(algorithm));
        };
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides " + name, e);
    }
  }

  private static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 80) + "…";
  }
}
