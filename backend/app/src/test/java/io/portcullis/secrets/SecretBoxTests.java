package io.portcullis.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretBoxTests {

  static final String KEY_1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  static final String KEY_2 = "H3yPPPbxN1wTNuVRGbXt5xw1m+dI4q0cR6c+3Pf0m5s=";

  final SecretBox box = new SecretBox(Map.of("k1", KEY_1), "k1");

  @Test
  void sealsAndOpensForTheSameOwner() {
    Sealed sealed = box.seal("p@ssw0rd", "registry_connection:t1:c1");
    assertThat(sealed.keyId()).isEqualTo("k1");
    assertThat(new String(sealed.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("p@ssw0rd");
    assertThat(box.open(sealed, "registry_connection:t1:c1")).isEqualTo("p@ssw0rd");
  }

  @Test
  void theSameSecretSealsDifferentlyEachTime() {
    assertThat(box.seal("x", "o").bytes()).isNotEqualTo(box.seal("x", "o").bytes());
  }

  @Test
  void aSealedSecretDoesNotOpenForAnotherOwner() {
    Sealed sealed = box.seal("p@ssw0rd", "registry_connection:tenant-a:c1");
    assertThatThrownBy(() -> box.open(sealed, "registry_connection:tenant-b:c1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("altered or belongs to another owner")
        .hasMessageNotContaining("p@ssw0rd");
  }

  @Test
  void anAlteredCiphertextDoesNotOpen() {
    Sealed sealed = box.seal("p@ssw0rd", "o");
    byte[] bytes = sealed.bytes().clone();
    bytes[bytes.length - 1] ^= 1;
    assertThatThrownBy(() -> box.open(new Sealed("k1", bytes), "o")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> box.open(new Sealed("k1", new byte[5]), "o")).hasMessageContaining("truncated");
  }

  @Test
  void keysRotate() {
    Sealed old = box.seal("p@ssw0rd", "o");
    SecretBox rotated = new SecretBox(Map.of("k1", KEY_1, "k2", KEY_2), "k2");
    assertThat(rotated.open(old, "o")).isEqualTo("p@ssw0rd");
    assertThat(rotated.stale(old)).isTrue();
    Sealed fresh = rotated.seal("p@ssw0rd", "o");
    assertThat(fresh.keyId()).isEqualTo("k2");
    assertThat(rotated.stale(fresh)).isFalse();
    SecretBox withoutOldKey = new SecretBox(Map.of("k2", KEY_2), "k2");
    assertThatThrownBy(() -> withoutOldKey.open(old, "o")).hasMessageContaining("key k1");
  }

  @Test
  void badKeyConfigurationIsRefused() {
    assertThatThrownBy(() -> new SecretBox(Map.of("k1", "c2hvcnQ="), "k1")).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> new SecretBox(Map.of("k1", "not base64!"), "k1")).hasMessageContaining("not base64");
    assertThatThrownBy(() -> new SecretBox(Map.of("k1", KEY_1), "k9")).hasMessageContaining("active-key");
    assertThatThrownBy(() -> new SecretBox(Map.of("bad id", KEY_1), "bad id")).hasMessageContaining("key id");
  }

  @Test
  void sealedValuesDoNotPrintTheirBytes() {
    assertThat(box.seal("p@ssw0rd", "o").toString()).startsWith("Sealed[k1, ").doesNotContain("p@ssw0rd");
  }
}
