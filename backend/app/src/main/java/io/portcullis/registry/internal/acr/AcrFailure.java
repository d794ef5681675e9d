package io.portcullis.registry.internal.acr;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ServiceResponseException;
import com.azure.core.models.ResponseError;
import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalServiceException;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryException.Kind;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;

/**
 * Says what an exception from the Azure SDK means for the caller, as a {@link RegistryException} whose message can be
 * shown to the organisation that owns the registry.
 *
 * <p>The SDK's exceptions arrive wrapped in Reactor's, in {@code UncheckedIOException}s and in one another, so the
 * whole cause chain is read. Transport causes win over HTTP statuses, and both over the exception's own type: an Entra
 * sign-in that failed because the authority was unreachable is UNAVAILABLE, not UNAUTHORIZED.
 *
 * <p>Messages never include response bodies beyond the registry's own error code and message, so no token that a
 * response might carry can reach a log or a page.
 */
final class AcrFailure {

  private static final int MAX_DETAIL = 300;

  private AcrFailure() {}

  /**
   * @param doing what was being done, completing "… failed": {@code "listing the repositories of contoso.azurecr.io"}
   */
  static RegistryException of(String doing, Throwable failure) {
    if (failure instanceof RegistryException known) {
      return known;
    }
    if (hasCause(failure, AcrFailure::isTimeout)) {
      return new RegistryException(Kind.TIMEOUT, doing + " failed: no answer in time", failure);
    }
    Throwable tls = cause(failure, t -> t instanceof SSLException || t instanceof GeneralSecurityException);
    if (tls != null) {
      return new RegistryException(
          Kind.TLS, doing + " failed: the TLS connection was refused (" + detail(tls.getMessage()) + ")", failure);
    }
    HttpResponseException http =
        (HttpResponseException) cause(failure, t -> t instanceof HttpResponseException h && h.getResponse() != null);
    if (http != null) {
      return ofStatus(doing, http);
    }
    Throwable io = cause(failure, t -> t instanceof IOException);
    if (io != null) {
      return new RegistryException(
          Kind.UNAVAILABLE, doing + " failed: cannot reach the server (" + detail(io.toString()) + ")", failure);
    }
    Throwable entra =
        cause(failure, t -> t instanceof ClientAuthenticationException || t instanceof MsalException);
    if (entra != null) {
      return ofSignIn(doing, entra, failure);
    }
    Throwable integrity = cause(failure, t -> t instanceof ServiceResponseException);
    if (integrity != null) {
      // Raised by the SDK's own checks of a response: a digest that does not match, a manifest without a length.
      return new RegistryException(
          Kind.MALFORMED, doing + " failed: " + detail(integrity.getMessage()), failure);
    }
    return new RegistryException(
        Kind.UNAVAILABLE, doing + " failed: " + failure.getClass().getSimpleName(), failure);
  }

  /**
   * Entra's answer to the sign-in, which the identity library passes on as its own exception or as MSAL's. Its messages
   * carry the AADSTS codes that say what to fix (no consent, a wrong or expired secret, an unknown tenant).
   */
  private static RegistryException ofSignIn(String doing, Throwable entra, Throwable failure) {
    int status = entra instanceof MsalServiceException service ? service.statusCode() : 0;
    if (status == 429) {
      return new RegistryException(
          Kind.THROTTLED, doing + " failed: Entra ID is throttling sign-ins (HTTP 429)", failure);
    }
    if (status >= 500) {
      return new RegistryException(
          Kind.UNAVAILABLE, doing + " failed: Entra ID answered HTTP " + status, failure);
    }
    return new RegistryException(
        Kind.UNAUTHORIZED, doing + " failed: Entra ID refused the sign-in: " + detail(entra.getMessage()), failure);
  }

  private static RegistryException ofStatus(String doing, HttpResponseException http) {
    int status = http.getResponse().getStatusCode();
    String said = registrySaid(http);
    return switch (status) {
      case 401 ->
          new RegistryException(
              Kind.UNAUTHORIZED,
              doing + " failed: the registry refused the identity (HTTP 401)" + said
                  + "; it needs the AcrPull role on the registry",
              http);
      case 403 ->
          new RegistryException(
              Kind.UNAUTHORIZED,
              doing + " failed: the registry denied access (HTTP 403)" + said
                  + "; check the AcrPull role and whether the registry's network rules admit Portcullis",
              http);
      case 404 -> new RegistryException(Kind.NOT_FOUND, doing + " failed: not found (HTTP 404)" + said, http);
      case 429 ->
          new RegistryException(
              Kind.THROTTLED,
              doing + " failed: the registry is throttling requests (HTTP 429) for longer than we wait" + said,
              http);
      case 408, 504 ->
          new RegistryException(Kind.TIMEOUT, doing + " failed: no answer in time (HTTP " + status + ")", http);
      default ->
          new RegistryException(
              Kind.UNAVAILABLE, doing + " failed: the registry answered HTTP " + status + said, http);
    };
  }

  /** The registry's error code and message when the SDK decoded them; an ACR error body holds nothing secret. */
  private static String registrySaid(HttpResponseException http) {
    if (http.getValue() instanceof ResponseError error && error.getCode() != null) {
      return ": " + detail(error.getCode() + (error.getMessage() == null ? "" : " " + error.getMessage()));
    }
    return "";
  }

  private static boolean isTimeout(Throwable t) {
    return t instanceof TimeoutException
        || t instanceof SocketTimeoutException
        || t instanceof io.netty.channel.ConnectTimeoutException
        || t instanceof io.netty.handler.timeout.TimeoutException;
  }

  private static boolean hasCause(Throwable failure, Predicate<Throwable> test) {
    return cause(failure, test) != null;
  }

  private static Throwable cause(Throwable failure, Predicate<Throwable> test) {
    // Bounded walk: a cause chain can loop, and suppressed exceptions are not followed.
    Throwable current = failure;
    for (int depth = 0; current != null && depth < 20; depth++) {
      if (test.test(current)) {
        return current;
      }
      current = current.getCause() == current ? null : current.getCause();
    }
    return null;
  }

  private static String detail(String message) {
    if (message == null || message.isBlank()) {
      return "no detail";
    }
    String line = message.strip().replaceAll("\\s+", " ");
    return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "…";
  }
}
