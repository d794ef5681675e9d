package io.portcullis.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens secrets with AES-256-GCM. The JDK's own cipher is used as it is; what this class adds is the key ring
 * (a key id per sealed value, so keys rotate) and the binding of each value to its owner through the associated data.
 */
public final class SecretBox {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final Map<String, SecretKey> keys = new HashMap<>();
  private final String activeKey;
  private final SecureRandom random = new SecureRandom();

  public SecretBox(Map<String, String> base64Keys, String activeKey) {
    base64Keys.forEach(
        (id, value) -> {
          if (!id.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("secret key id must be 1-64 letters, digits, '.', '_' or '-'");
          }
          byte[] key;
          try {
            key = Base64.getDecoder().decode(value.trim());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret key " + id + " is not base64");
          }
          if (key.length != 32) {
            throw new IllegalArgumentException("secret key " + id + " must be 32 bytes (256 bits), base64-encoded");
          }
          keys.put(id, new SecretKeySpec(key, "AES"));
        });
    if (activeKey == null || !keys.containsKey(activeKey)) {
      throw new IllegalArgumentException("portcullis.secrets.active-key must name one of portcullis.secrets.keys");
    }
    this.activeKey = activeKey;
  }

  /**
   * Seals {@code secret} for {@code owner} (for example {@code registry_connection:<id>:<tenant>}); only the same owner
   * opens it again.
   */
  public Sealed seal(String secret, String owner) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKey), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(activeKey, owner));
      byte[] ciphertext = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + ciphertext.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(ciphertext, 0, out, NONCE_BYTES, ciphertext.length);
      return new Sealed(activeKey, out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed", e);
    }
  }

  /** Opens a sealed secret of {@code owner}; fails when the key is gone, or the value was altered or moved. */
  public String open(Sealed sealed, String owner) {
    SecretKey key = keys.get(sealed.keyId());
    if (key == null) {
      throw new IllegalStateException("the key " + sealed.keyId() + " that sealed this secret is not configured");
    }
    if (sealed.bytes().length <= NONCE_BYTES) {
      throw new IllegalStateException("sealed secret is truncated");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.bytes(), 0, NONCE_BYTES));
      cipher.updateAAD(associatedData(sealed.keyId(), owner));
      byte[] plain = cipher.doFinal(sealed.bytes(), NONCE_BYTES, sealed.bytes().length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a stored secret does not open: it was altered or belongs to another owner");
    }
  }

  /** Whether {@code sealed} should be sealed again with the active key. */
  public boolean stale(Sealed sealed) {
    return !activeKey.equals(sealed.keyId());
  }

  private static byte[] associatedData(String keyId, String owner) {
    return ("portcullis/v1|" + keyId + "|" + owner).getBytes(StandardCharsets.UTF_8);
  }
}
