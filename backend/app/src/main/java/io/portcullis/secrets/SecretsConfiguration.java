package io.portcullis.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * The key ring. Production configures its keys (from Key Vault, see docs/configuration.md); local mode, which has none,
 * makes one key and keeps it beside its embedded database so that stored secrets survive restarts.
 */
@Configuration(proxyBeanMethods = false)
class SecretsConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SecretsConfiguration.class);

  @Bean
  SecretBox secretBox(SecretsProperties properties, Environment environment) throws IOException {
    if (!properties.keys().isEmpty()) {
      return new SecretBox(properties.keys(), properties.activeKey());
    }
    if (!environment.acceptsProfiles(Profiles.of("local"))) {
      throw new IllegalStateException(
          "No key to seal stored secrets: set portcullis.secrets.keys.<id> (32 random bytes, base64) and"
              + " portcullis.secrets.active-key (see docs/configuration.md)");
    }
    Path file = Path.of(System.getProperty("user.home"), ".portcullis", "local-secret.key");
    if (!Files.exists(file)) {
      Files.createDirectories(file.getParent());
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.writeString(file, Base64.getEncoder().encodeToString(key));
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system; the file stays as the system creates it
      }
      log.info("Local mode: created a key for stored secrets in {}", file);
    }
    return new SecretBox(Map.of("local", Files.readString(file).trim()), "local");
  }
}
