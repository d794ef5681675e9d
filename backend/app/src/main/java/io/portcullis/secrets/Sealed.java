package io.portcullis.secrets;

/** A sealed secret as stored: the id of the key that sealed it, and nonce plus ciphertext plus tag. */
public record Sealed(String keyId, byte[] bytes) {

  @Override
  public String toString() {
    return "Sealed[" + keyId + ", " + bytes.length + " bytes]";
  }
}
