package io.portcullis.secrets;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The keys that seal stored secrets.
 *
 * @param keys key id → base64 of 32 random bytes; keep old keys here until nothing sealed with them remains
 * @param activeKey the id of the key that seals new secrets
 */
@ConfigurationProperties("portcullis.secrets")
public record SecretsProperties(@DefaultValue Map<String, String> keys, String activeKey) {

  @Override
  public String toString() {
    return "SecretsProperties[keys=" + keys.keySet() + ", activeKey=" + activeKey + "]";
  }
}
