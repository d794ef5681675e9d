package io.portcullis.scanner.image.registry;

import java.util.Objects;

/**
 * How {@link OciRegistry} identifies itself. The secrets never appear in {@code toString()}, messages or logs.
 *
 * <ul>
 *   <li>{@link Anonymous}: no credentials; a registry that uses the token flow still hands out anonymous tokens for
 *       public content.
 *   <li>{@link Basic}: a user name and password (or an access token used as a password, as Azure, GitHub and GitLab
 *       registries take it). Sent to the registry when it challenges with {@code Basic}, and to its token endpoint when
 *       it challenges with {@code Bearer}.
 *   <li>{@link Bearer}: a registry access token obtained elsewhere, sent as it is on every request to the registry.
 * </ul>
 */
public sealed interface Credentials {

  static Credentials anonymous() {
    return new Anonymous();
  }

  static Credentials basic(String username, String password) {
    return new Basic(username, password);
  }

  static Credentials bearer(String token) {
    return new Bearer(token);
  }

  /** No credentials. */
  record Anonymous() implements Credentials {}

  /** A user name and password for HTTP Basic authentication, with the registry or its token endpoint. */
  record Basic(String username, String password) implements Credentials {

    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      // RFC 7617: the user-id cannot contain a colon; neither may carry line breaks into a header.
      if (username.isEmpty() || username.indexOf(':') >= 0 || hasControl(username)) {
        throw new IllegalArgumentException("the user name must be non-empty, without colons or control characters");
      }
      if (hasControl(password)) {
        throw new IllegalArgumentException("the password must not contain control characters");
      }
    }

    @Override
    public String toString() {
      return "Basic[username=" + username + ", password=(hidden)]";
    }
  }

  /** A registry access token sent as {@code Authorization: Bearer}. */
  record Bearer(String token) implements Credentials {

    public Bearer {
      Objects.requireNonNull(token, "token");
      if (!BearerToken.isValid(token)) {
        throw new IllegalArgumentException("the token must be printable ASCII without spaces");
      }
    }

    @Override
    public String toString() {
      return "Bearer[(hidden)]";
    }
  }

  private static boolean hasControl(String value) {
    return value.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }
}
