package io.portcullis.scanner.analysis.secret;

import java.util.Locale;

/** How bad a secret's exposure is; its {@link #label()} is what findings and the inventory carry. */
public enum Severity {
  /** Grants access on its own: a private key, a storage account key, a personal access token. */
  CRITICAL,
  /** Grants access with little else, or to something narrower: an access key id, a webhook, a signed URL. */
  HIGH,
  /** Probably a credential, going by its name and its randomness alone. */
  MEDIUM;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
