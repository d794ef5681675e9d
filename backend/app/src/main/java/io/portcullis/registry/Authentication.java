package io.portcullis.registry;

import java.util.List;

/** How Portcullis authenticates to a registry, and what each way needs. */
public enum Authentication {
  ANONYMOUS(ConnectionKind.OCI, "Anonymous", false, false, false),
  BASIC(ConnectionKind.OCI, "User name and password", true, true, false),
  BEARER(ConnectionKind.OCI, "Bearer token", false, true, false),
  ACR_APPLICATION(ConnectionKind.ACR, "Portcullis application (your organisation's consent)", false, false, false),
  ACR_SERVICE_PRINCIPAL(ConnectionKind.ACR, "Service principal of your organisation", true, true, true),
  ACR_MANAGED_IDENTITY(ConnectionKind.ACR, "Managed identity / workload identity", false, false, false),
  ACR_TOKEN(ConnectionKind.ACR, "ACR token (name and password)", true, true, false);

  private final ConnectionKind kind;
  private final String label;
  private final boolean needsUsername;
  private final boolean needsSecret;
  private final boolean needsAzureTenant;

  Authentication(ConnectionKind kind, String label, boolean needsUsername, boolean needsSecret, boolean needsAzureTenant) {
    this.kind = kind;
    this.label = label;
    this.needsUsername = needsUsername;
    this.needsSecret = needsSecret;
    this.needsAzureTenant = needsAzureTenant;
  }

  public ConnectionKind kind() {
    return kind;
  }

  public String label() {
    return label;
  }

  public boolean needsUsername() {
    return needsUsername;
  }

  public boolean needsSecret() {
    return needsSecret;
  }

  public boolean needsAzureTenant() {
    return needsAzureTenant;
  }

  public static List<Authentication> of(ConnectionKind kind) {
    return java.util.Arrays.stream(values()).filter(a -> a.kind == kind).toList();
  }
}
