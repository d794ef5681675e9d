package io.portcullis.api.internal;

import io.portcullis.api.ApiCaller;
import java.io.Serial;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** An authenticated API request: its caller, with the authorities of the caller's scope. */
final class CallerAuthentication extends AbstractAuthenticationToken {

  @Serial private static final long serialVersionUID = 1L;

  private final ApiCaller caller;

  CallerAuthentication(ApiCaller caller) {
    super(caller.scope().authorities());
    this.caller = caller;
    setAuthenticated(true);
  }

  @Override
  public Object getCredentials() {
    return null;
  }

  @Override
  public ApiCaller getPrincipal() {
    return caller;
  }

  @Override
  public String getName() {
    return caller.actor();
  }
}
