package io.portcullis.identity.internal;

import io.portcullis.identity.Role;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Local mode: a form sign-in with configured users, for trying Portcullis on one machine without Entra ID. It needs both
 * the {@code local} profile and {@code enabled=true}.
 *
 * @param enabled the explicit confirmation that local sign-in is wanted
 * @param organisation the name of the one tenant local users belong to
 * @param users who may sign in
 */
@ConfigurationProperties("portcullis.local")
record LocalProperties(
    boolean enabled, @DefaultValue("Local organisation") String organisation, @DefaultValue List<LocalUser> users) {

  /**
   * @param password a Spring Security password ({@code {bcrypt}...}, or {@code {noop}...} for a throwaway machine)
   */
  record LocalUser(String username, String password, String name, String email, Role role) {

    @Override
    public String toString() {
      return "LocalUser[" + username + " as " + role + "]";
    }
  }
}
