package io.portcullis.scanner.image.registry;

import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryException.Kind;
import io.portcullis.scanner.image.Sizes;
import io.portcullis.scanner.image.StrictJson;
import io.portcullis.scanner.image.Untrusted;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * One HTTP exchange and its body, with every way they can fail turned into a {@link RegistryException} of the right
 * kind. Knows nothing of authentication or the registry API; {@link Transport} builds on it.
 */
final class Wire {

  /** Error bodies are read for their error codes only; a few KiB hold any real one, read in a moment. */
  private static final int MAX_ERROR_BYTES = 16 * 1024;
  private static final Duration MAX_ERROR_WAIT = Duration.ofSeconds(2);

  private static final Pattern ERROR_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

  private final HttpClient client;
  private final Duration requestTimeout;

  Wire(HttpClient client, Duration requestTimeout) {
    this.client = client;
    this.requestTimeout = requestTimeout;
  }

  Duration requestTimeout() {
    return requestTimeout;
  }

  /** Sends {@code request}; {@code what} names it in messages ({@code GET /v2/team/app/tags/list}). */
  HttpResponse<InputStream> send(HttpRequest request, String what) throws RegistryException {
    try {
      return client.send(request, BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw new RegistryException(
          Kind.TIMEOUT, "could not connect to " + authority(request.uri()) + " within the connect timeout", e);
    } catch (HttpTimeoutException e) {
      throw new RegistryException(
          Kind.TIMEOUT, "no response to " + what + " within " + BodyStream.describe(requestTimeout), e);
    } catch (IOException e) {
      throw failed(e, request.uri(), what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(Kind.UNAVAILABLE, what + " was interrupted", e);
    }
  }

  /** A JSON body of at most {@code limit} bytes, after checking that it was served as JSON. */
  byte[] readJson(HttpResponse<InputStream> response, int limit, String what) throws RegistryException {
    String type = response.headers().firstValue("Content-Type").orElse(null);
    if (!isJson(type)) {
      discard(response);
      throw new RegistryException(
          Kind.MALFORMED, "the response to " + what + " is " + Untrusted.quote(type) + ", not JSON");
    }
    return read(response, limit, what);
  }

  /** The whole body, at most {@code limit} bytes, within the request timeout. */
  byte[] read(HttpResponse<InputStream> response, int limit, String what) throws RegistryException {
    long announced = contentLength(response);
    if (announced > limit) {
      discard(response);
      throw new RegistryException(
          Kind.TOO_LARGE,
          "the response to " + what + " is " + Sizes.describe(announced) + ", more than the limit of "
              + Sizes.describe(limit));
    }
    // Bounded by the stream's limit: readAllBytes() holds at most limit + 1 bytes.
    try (InputStream body = BodyStream.whole(response.body(), what, limit, announced, requestTimeout)) {
      return body.readAllBytes();
    } catch (IOException e) {
      throw reason(e, what);
    }
  }

  /** The body as a stream for the caller to read at its pace, capped and verified against {@code digest}. */
  InputStream stream(HttpResponse<InputStream> response, long limit, Digest digest, String what)
      throws RegistryException {
    long announced = contentLength(response);
    if (announced > limit) {
      discard(response);
      throw new RegistryException(
          Kind.TOO_LARGE,
          what + " is " + Sizes.describe(announced) + ", more than the limit of " + Sizes.describe(limit));
    }
    return BodyStream.streamed(response.body(), what, limit, announced, digest, requestTimeout);
  }

  /**
   * The error codes the registry gave, {@code " NAME_UNKNOWN"} (to follow a status code), or nothing; the body is read
   * briefly and closed either way. Only codes from the specification's alphabet are kept, never the free-text
   * messages: a hostile registry could echo the request's {@code Authorization} header into a message, and ours would
   * then carry it.
   */
  String errorCodes(HttpResponse<InputStream> response) {
    try (InputStream body =
        BodyStream.whole(response.body(), "an error response", MAX_ERROR_BYTES, -1, errorWait())) {
      StrictJson json = StrictJson.parse(body.readAllBytes(), "error response");
      Set<String> codes = new LinkedHashSet<>();
      for (StrictJson error : json.objects("errors", 10)) {
        error.optionalString("code").filter(code -> ERROR_CODE.matcher(code).matches()).ifPresent(codes::add);
      }
      return codes.isEmpty() ? "" : " " + String.join(", ", codes);
    } catch (IOException | RegistryException | RuntimeException e) {
      return ""; // not the specification's error format: the status says enough
    }
  }

  private Duration errorWait() {
    return requestTimeout.compareTo(MAX_ERROR_WAIT) < 0 ? requestTimeout : MAX_ERROR_WAIT;
  }

  static void discard(HttpResponse<InputStream> response) {
    try {
      response.body().close();
    } catch (IOException ignored) {
      // the connection is dropped either way
    }
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
  }

  /** {@code -1} when unknown or unreadable (the client itself checks the framing). */
  static long contentLength(HttpResponse<?> response) {
    try {
      OptionalLong length = response.headers().firstValueAsLong("Content-Length");
      return length.isPresent() && length.getAsLong() >= 0 ? length.getAsLong() : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static String authority(URI uri) {
    return uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  private static RegistryException failed(IOException e, URI uri, String what) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SSLException) {
        return new RegistryException(
            Kind.TLS, "TLS with " + authority(uri) + " failed: " + cause.getMessage(), e);
      }
      if (cause instanceof ConnectException) {
        return new RegistryException(
            Kind.UNAVAILABLE, "could not connect to " + authority(uri) + " (connection refused)", e);
      }
      if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
        return new RegistryException(Kind.UNAVAILABLE, "unknown host " + uri.getHost(), e);
      }
    }
    return new RegistryException(Kind.UNAVAILABLE, what + " failed: " + e, e);
  }

  private static RegistryException reason(IOException e, String what) {
    if (e.getCause() instanceof RegistryException reason) {
      return reason;
    }
    return new RegistryException(Kind.MALFORMED, "reading the response to " + what + " failed: " + e.getMessage(), e);
  }
}
