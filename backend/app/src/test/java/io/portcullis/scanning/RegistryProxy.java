package io.portcullis.scanning;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server in front of a real registry that forwards every request and counts what passes: blob GETs per
 * digest, bytes of blobs, every request. It can also stand in for a registry having a bad day: answer 429 with
 * {@code Retry-After}, be down (503), or hold the blob GETs of one digest until released.
 */
final class RegistryProxy implements AutoCloseable {

  private static final Pattern BLOB = Pattern.compile("^/v2/.+/blobs/(sha256:[a-f0-9]{64})$");
  private static final List<String> HOP_BY_HOP =
      List.of("connection", "content-length", "transfer-encoding", "host", "upgrade", "keep-alive", "date");

  private final HttpServer server;
  private final URI upstream;
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final Map<String, AtomicInteger> blobGets = new ConcurrentHashMap<>();
  private final AtomicLong blobBytes = new AtomicLong();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger throttleNext = new AtomicInteger();
  private final AtomicInteger throttled = new AtomicInteger();
  private volatile boolean down;
  private volatile String holdDigest;
  private volatile CountDownLatch release = new CountDownLatch(0);
  private final CountDownLatch held = new CountDownLatch(1);

  RegistryProxy(URI upstream) throws IOException {
    this.upstream = upstream;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(32, task -> {
      Thread thread = new Thread(task, "registry-proxy");
      thread.setDaemon(true); // a held request must not keep the test JVM alive
      return thread;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int blobGets(String digest) {
    AtomicInteger count = blobGets.get(digest);
    return count == null ? 0 : count.get();
  }

  Map<String, AtomicInteger> blobGets() {
    return blobGets;
  }

  long blobBytes() {
    return blobBytes.get();
  }

  int requests() {
    return requests.get();
  }

  int throttled() {
    return throttled.get();
  }

  void reset() {
    blobGets.clear();
    blobBytes.set(0);
    requests.set(0);
    throttled.set(0);
  }

  /** The next {@code count} requests are answered 429 with {@code Retry-After: 1}. */
  void throttleNext(int count) {
    throttleNext.set(count);
  }

  /** While down, every request is answered 503 without Retry-After. */
  void down(boolean down) {
    this.down = down;
  }

  /** Holds every GET of the blob {@code digest} until {@link #releaseHeld()}. */
  void hold(String digest) {
    release = new CountDownLatch(1);
    holdDigest = digest;
  }

  boolean awaitHeld(long seconds) throws InterruptedException {
    return held.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
  }

  void releaseHeld() {
    holdDigest = null;
    release.countDown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      if (down) {
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throttled.incrementAndGet();
        exchange.getResponseHeaders().add("Retry-After", "1");
        exchange.sendResponseHeaders(429, -1);
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      Matcher blob = BLOB.matcher(path);
      boolean blobGet = exchange.getRequestMethod().equals("GET") && blob.matches();
      if (blobGet) {
        blobGets.computeIfAbsent(blob.group(1), d -> new AtomicInteger()).incrementAndGet();
        if (blob.group(1).equals(holdDigest)) {
          held.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      String query = exchange.getRequestURI().getRawQuery();
      HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(path + (query == null ? "" : "?" + query)));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase())) {
          values.forEach(v -> forward.header(name, v));
        }
      });
      byte[] body = exchange.getRequestBody().readAllBytes();
      forward.method(exchange.getRequestMethod(),
          body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      HttpResponse<InputStream> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
      response.headers().map().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
          values.forEach(v -> exchange.getResponseHeaders().add(name, v));
        }
      });
      long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      boolean noBody = exchange.getRequestMethod().equals("HEAD") || response.statusCode() == 204
          || response.statusCode() == 304;
      if (noBody && length >= 0) {
        exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
      }
      exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : (length == 0 ? -1 : Math.max(length, 0)));
      try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
        if (!noBody) {
          long copied = in.transferTo(out);
          if (blobGet) {
            blobBytes.addAndGet(copied);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    releaseHeld();
    server.stop(0);
  }
}
