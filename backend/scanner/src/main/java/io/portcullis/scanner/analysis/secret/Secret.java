package io.portcullis.scanner.analysis.secret;

/**
 * A secret as a rule found it in one file or config value, already redacted: {@code excerpt} is its line with each
 * secret cut to its first four characters and {@code *****} (a private key shows its {@code BEGIN} line only). The full
 * secret is never held here, so a finding may be cached, logged and shown.
 *
 * @param rule the rule's stable id, such as {@code azure-storage-account-key}
 * @param severity {@code critical}, {@code high} or {@code medium}
 * @param path the file, relative to the image root; {@code config:env:NAME}, {@code config:history:N} and the like for
 *     the image config
 * @param line the line in the file, from 1; null for config values
 */
public record Secret(String rule, String title, String severity, String path, Integer line, String excerpt) {

  static Secret of(SecretRule rule, String path, Integer line, String excerpt) {
    return new Secret(rule.id(), rule.title(), rule.severity().label(), path, line, excerpt);
  }
}
