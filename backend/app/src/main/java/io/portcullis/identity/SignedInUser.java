package io.portcullis.identity;

import io.portcullis.tenancy.TenantPrincipal;
import java.io.Serial;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * The person behind a session: their tenant, their user row and their effective role. It is an {@link OidcUser} so that
 * Entra sign-in can return it directly; after a local sign-in it has no ID token.
 */
public final class SignedInUser implements OidcUser, TenantPrincipal, Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private final UUID tenantId;
  private final String tenantName;
  private final UUID userId;
  private final String displayName;
  private final String email;
  private final Role role;
  private final OidcIdToken idToken;

  public SignedInUser(
      UUID tenantId, String tenantName, UUID userId, String displayName, String email, Role role, OidcIdToken idToken) {
    this.tenantId = tenantId;
    this.tenantName = tenantName;
    this.userId = userId;
    this.displayName = displayName;
    this.email = email;
    this.role = role;
    this.idToken = idToken;
  }

  @Override
  public UUID tenantId() {
    return tenantId;
  }

  public String tenantName() {
    return tenantName;
  }

  public UUID userId() {
    return userId;
  }

  public String displayName() {
    return displayName;
  }

  public String email() {
    return email;
  }

  public Role role() {
    return role;
  }

  /** How this user appears in the audit log. */
  public String actor() {
    return email != null && !email.isBlank() ? email : displayName;
  }

  /** The same person with another role, after an Admin changed it. */
  public SignedInUser withRole(Role newRole) {
    return new SignedInUser(tenantId, tenantName, userId, displayName, email, newRole, idToken);
  }

  public boolean can(Role needed) {
    return role.compareTo(needed) <= 0;
  }

  @Override
  public Map<String, Object> getClaims() {
    return idToken != null ? idToken.getClaims() : Map.of();
  }

  @Override
  public OidcUserInfo getUserInfo() {
    return null;
  }

  @Override
  public OidcIdToken getIdToken() {
    return idToken;
  }

  @Override
  public Map<String, Object> getAttributes() {
    return getClaims();
  }

  @Override
  public Collection<? extends GrantedAuthority> getAuthorities() {
    return List.of(role.authority());
  }

  @Override
  public String getName() {
    return userId.toString();
  }

  @Override
  public String toString() {
    return "SignedInUser[" + userId + " of " + tenantId + " as " + role + "]";
  }
}
