package io.portcullis.identity;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** What a user may do. Declared from the most to the least powerful. */
public enum Role {
  /** Everything, including connections, users and roles. */
  ADMIN("Admin"),
  /** Reads everything and triages findings. */
  ANALYST("Analyst"),
  /** Reads; never changes anything. */
  VIEWER("Viewer");

  private final String appRole;

  Role(String appRole) {
    this.appRole = appRole;
  }

  /** The value of this role in the Entra app registration and the token's {@code roles} claim. */
  public String appRole() {
    return appRole;
  }

  public GrantedAuthority authority() {
    return new SimpleGrantedAuthority("ROLE_" + name());
  }

  /** The most powerful of the app roles a token carries; values that are not ours are ignored. */
  public static Optional<Role> highestOf(Collection<String> appRoles) {
    if (appRoles == null) {
      return Optional.empty();
    }
    return appRoles.stream()
        .map(Role::fromAppRole)
        .flatMap(Optional::stream)
        .min(Comparator.naturalOrder());
  }

  public static Optional<Role> fromAppRole(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (Role role : values()) {
      if (role.appRole.equalsIgnoreCase(value.trim()) || role.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
