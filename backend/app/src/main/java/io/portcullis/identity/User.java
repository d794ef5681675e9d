package io.portcullis.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * A person of the tenant who has signed in at least once.
 *
 * @param directoryRole the role their token carried at the last sign-in
 * @param assignedRole an Admin's in-app override, if any
 */
public record User(
    UUID id,
    String entraObjectId,
    String displayName,
    String email,
    Role directoryRole,
    Role assignedRole,
    Instant lastSignInAt) {

  /** The role that applies: the override when an Admin set one, otherwise the directory's. */
  public Role effectiveRole() {
    return assignedRole != null ? assignedRole : directoryRole;
  }

  public String actor() {
    return email != null && !email.isBlank() ? email : displayName;
  }
}
