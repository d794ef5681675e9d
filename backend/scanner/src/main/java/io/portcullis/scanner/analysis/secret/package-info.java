/**
 * Secrets baked into an image: private keys, cloud storage keys, tokens, webhook URLs and high-entropy passwords in
 * files of every layer and in the image config. {@link io.portcullis.scanner.analysis.secret.SecretAnalyzer} chooses
 * the files (small, text, not in trees of third-party code), {@link
 * io.portcullis.scanner.analysis.secret.SecretDetector} reads them line by line against {@link
 * io.portcullis.scanner.analysis.secret.SecretRules}, and {@link io.portcullis.scanner.analysis.secret.ConfigSecrets}
 * does the same for the config's environment, labels, commands and history. A secret is only ever kept redacted: an
 * excerpt of its line with at most its first four characters, so that findings, the layer cache and the inventory can
 * be stored and shown without becoming a leak themselves.
 */
package io.portcullis.scanner.analysis.secret;
