package io.portcullis.identity;

import java.util.UUID;

/** What happened to identities, as past-tense facts for the audit log and whoever else listens. */
public final class IdentityEvents {

  private IdentityEvents() {}

  /** A user signed in. {@code method} is {@code entra} or {@code local}. */
  public record UserSignedIn(UUID tenantId, UUID userId, String actor, Role role, String method) {}

  /** A user signed out. */
  public record UserSignedOut(UUID tenantId, UUID userId, String actor) {}

  /**
   * A sign-in failed. The tenant is the platform's when the attempt cannot be trusted to belong to any tenant (an invalid
   * token, an unknown user name, an organisation that is not onboarded).
   */
  public record SignInFailed(UUID tenantId, String actor, String reason) {}

  /** An organisation was onboarded by the first sign-in of one of its administrators. */
  public record TenantOnboarded(UUID tenantId, String entraTenantId, String displayName, String actor) {}

  /** An administrator changed a user's role (or returned it to the role their token carries, when {@code to} is null). */
  public record RoleChanged(UUID tenantId, UUID userId, String userName, Role from, Role to, String actor) {}
}
