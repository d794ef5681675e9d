package io.portcullis.registry.internal.acr;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.RetryPolicy;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;

/**
 * How Portcullis talks HTTP to Azure, for the registry and for Entra alike: timeouts, a small number of retries, and
 * how long a {@code Retry-After} may ask us to wait before we give up instead.
 *
 * @param connectTimeout to open a connection
 * @param responseTimeout from sending a request to the first byte of the response
 * @param readTimeout between two reads of a response body: a stalled layer download ends here
 * @param maxRetries retries after the first try, for throttling, server errors and broken connections
 * @param maxRetryAfter the longest {@code Retry-After} that is honoured; a registry asking for more fails THROTTLED
 *     at once rather than holding a scan (and its thread) for that long
 * @param trustManager the certificates to trust instead of the JDK's; {@code null} in production
 */
public record AcrTransport(
    Duration connectTimeout,
    Duration responseTimeout,
    Duration readTimeout,
    int maxRetries,
    Duration maxRetryAfter,
    X509TrustManager trustManager) {

  public AcrTransport {
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(responseTimeout, "responseTimeout");
    requirePositive(readTimeout, "readTimeout");
    requirePositive(maxRetryAfter, "maxRetryAfter");
    if (maxRetries < 0 || maxRetries > 5) {
      throw new IllegalArgumentException("maxRetries must be between 0 and 5: " + maxRetries);
    }
  }

  /** Ten seconds to connect, a minute to answer or to go on sending, two retries, at most 30 s of Retry-After. */
  public static AcrTransport defaults() {
    return new AcrTransport(
        Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60), 2, Duration.ofSeconds(30), null);
  }

  /** The same settings, trusting only the given certificates (a test registry, a TLS-inspecting proxy's CA). */
  public AcrTransport withTrust(X509TrustManager trust) {
    return new AcrTransport(connectTimeout, responseTimeout, readTimeout, maxRetries, maxRetryAfter, trust);
  }

  /** The same settings with other retry limits. */
  public AcrTransport withRetries(int retries, Duration retryAfterBudget) {
    return new AcrTransport(connectTimeout, responseTimeout, readTimeout, retries, retryAfterBudget, trustManager);
  }

  /** A Netty client with these timeouts. It is meant to be shared: connections are pooled per host. */
  public HttpClient httpClient() {
    reactor.netty.http.client.HttpClient netty = reactor.netty.http.client.HttpClient.create();
    if (trustManager != null) {
      SslContext tls = clientTls(trustManager);
      netty = netty.secure(spec -> spec.sslContext(tls));
    }
    return new NettyAsyncHttpClientBuilder(netty)
        .connectTimeout(connectTimeout)
        .responseTimeout(responseTimeout)
        .readTimeout(readTimeout)
        .writeTimeout(responseTimeout)
        .build();
  }

  /** Exponential backoff between tries, Retry-After honoured up to {@link #maxRetryAfter}. */
  public RetryPolicy retryPolicy() {
    ExponentialBackoff backoff = new ExponentialBackoff(maxRetries, Duration.ofMillis(500), Duration.ofSeconds(8));
    return new RetryPolicy(new RetryAfterBudget(backoff, maxRetryAfter));
  }

  /**
   * No HTTP logging, whatever {@code AZURE_HTTP_LOG_DETAIL_LEVEL} says: at body level the SDK would log the token
   * responses of {@code /oauth2/exchange} and {@code /oauth2/token}, and Entra's.
   */
  static HttpLogOptions noHttpLogging() {
    return new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE);
  }

  private static SslContext clientTls(X509TrustManager trust) {
    try {
      return SslContextBuilder.forClient().trustManager(trust).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS with the given trust manager", e);
    }
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
