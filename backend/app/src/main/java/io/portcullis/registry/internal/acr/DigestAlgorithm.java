package io.portcullis.registry.internal.acr;

import io.portcullis.scanner.image.Digest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The digest algorithms {@link Digest} admits, with the JDK's name for each. */
enum DigestAlgorithm {
  SHA256("sha256", "SHA-256"),
  SHA512("sha512", "SHA-512");

  private final String label;
  private final String jdkName;

  DigestAlgorithm(String label, String jdkName) {
    this.label = label;
    this.jdkName = jdkName;
  }

  static DigestAlgorithm of(Digest digest) {
    for (DigestAlgorithm algorithm : values()) {
      if (algorithm.label.equals(digest.algorithm())) {
        return algorithm;
      }
    }
    throw new IllegalArgumentException("unsupported digest algorithm " + digest.algorithm());
  }

  MessageDigest newHash() {
    try {
      return MessageDigest.getInstance(jdkName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + jdkName, e);
    }
  }

  Digest digest(byte[] bytes) {
    return new Digest(label, HexFormat.of().formatHex(newHash().digest(bytes)));
  }

  Digest digest(MessageDigest finished) {
    return new Digest(label, HexFormat.of().formatHex(finished.digest()));
  }
}
