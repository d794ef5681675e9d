package io.portcullis.scanner.testing;

import io.portcullis.scanner.image.registry.Credentials;
import io.portcullis.scanner.image.registry.OciRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real registry for tests: Debian's {@code docker-registry} (CNCF distribution 2.8) on a free loopback port, with its
 * own configuration and filesystem storage in a temporary directory that {@link #close()} deletes.
 *
 * <ul>
 *   <li>{@link #anonymous()}: plain HTTP, no authentication;
 *   <li>{@link #basicAuthOverTls(String, String)}: HTTPS with a certificate from a fresh test CA ({@link
 *       #certificatePem()}) and htpasswd Basic authentication;
 *   <li>{@link #tokenAuth(String, String)}: plain HTTP behind Docker's token flow, with a token service on loopback
 *       ({@link #issuedTokens()} counts its tokens).
 * </ul>
 *
 * <p>Start one per test class ({@code @BeforeAll}) and push what the tests need with {@link TestImages}; a start takes
 * well under a second.
 */
public final class TestRegistry implements AutoCloseable {

  private static final Path BINARY = Path.of("/usr/bin/docker-registry");
  private static final Duration STARTUP = Duration.ofSeconds(20);

  private final Path directory;
  private final URI url;
  private final String username;
  private final String password;
  private final TestCertificateAuthority authority;
  private final TokenIssuer tokenIssuer;
  private final HttpClient client;
  private Process process;
  private Thread reaper;

  private TestRegistry(Mode mode, String username, String password) throws IOException {
    this.directory = Files.createTempDirectory("portcullis-registry-");
    this.username = username;
    this.password = password;
    this.authority = mode == Mode.BASIC_TLS ? TestCertificateAuthority.create("Portcullis test registry CA") : null;
    TestCertificateAuthority tokenAuthority =
        mode == Mode.TOKEN ? TestCertificateAuthority.create("Portcullis test token CA") : null;
    this.tokenIssuer = tokenAuthority == null ? null : new TokenIssuer(tokenAuthority, username, password);
    this.client = httpClient(authority);
    int port = freePort();
    this.url = URI.create((mode == Mode.BASIC_TLS ? "https" : "http") + "://127.0.0.1:" + port);
    try {
      Path config = Files.writeString(directory.resolve("config.yml"), configuration(mode, port, tokenAuthority));
      Path log = directory.resolve("registry.log");
      ProcessBuilder builder =
          new ProcessBuilder(BINARY.toString(), "serve", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      // Settings in the environment would override the file (REGISTRY_HTTP_ADDR and the like).
      builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
      this.process = builder.start();
      // A test run that dies without closing must not leave registries behind.
      this.reaper = new Thread(process::destroyForcibly, "test-registry-reaper");
      Runtime.getRuntime().addShutdownHook(reaper);
      awaitReady(log);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** An open registry on plain HTTP. */
  public static TestRegistry anonymous() {
    return start(Mode.ANONYMOUS, null, null);
  }

  /** A registry on HTTPS (certificate from a test CA, see {@link #certificatePem()}) with htpasswd Basic auth. */
  public static TestRegistry basicAuthOverTls(String username, String password) {
    return start(Mode.BASIC_TLS, username, password);
  }

  /** A registry on plain HTTP behind Docker's token flow; only {@code username} gets any access. */
  public static TestRegistry tokenAuth(String username, String password) {
    return start(Mode.TOKEN, username, password);
  }

  private static TestRegistry start(Mode mode, String username, String password) {
    requireBinary();
    // The free port is found by binding and releasing it; another process may take it in between, so try again.
    for (int attempt = 1; ; attempt++) {
      try {
        return new TestRegistry(mode, username, password);
      } catch (PortTaken e) {
        if (attempt == 3) {
          throw e;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the test registry", e);
      }
    }
  }

  /** {@code http://127.0.0.1:PORT} or {@code https://127.0.0.1:PORT}. */
  public URI url() {
    return url;
  }

  public String username() {
    return username;
  }

  public String password() {
    return password;
  }

  /** The PEM certificate of the CA that signed the registry's certificate; {@code null} on plain HTTP. */
  public String certificatePem() {
    return authority == null ? null : authority.certificatePem();
  }

  /** Settings for an {@link OciRegistry} that reads this registry with the right credentials and trust. */
  public OciRegistry.Settings settings() {
    OciRegistry.Settings settings = OciRegistry.Settings.of(url.toString());
    if (username != null) {
      settings = settings.withCredentials(Credentials.basic(username, password));
    }
    if (authority != null) {
      settings = settings.withTrustedCertificates(authority.certificatePem());
    }
    return settings;
  }

  /** Tokens the token service handed out (token registries only). */
  public int issuedTokens() {
    if (tokenIssuer == null) {
      throw new IllegalStateException("this registry does not use the token flow");
    }
    return tokenIssuer.issuedTokens();
  }

  /** An {@code Authorization} value that may push to {@code repository}, or {@code null} when none is needed. */
  public String pushAuthorization(String repository) {
    if (tokenIssuer != null) {
      return "Bearer " + tokenIssuer.tokenFor("repository:" + repository + ":pull,push");
    }
    if (username != null) {
      return "Basic "
          + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  /** An HTTP client that trusts this registry's certificate; for pushing and for tests that speak HTTP directly. */
  public HttpClient httpClient() {
    return client;
  }

  /** The storage and configuration directory (deleted on close). */
  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (reaper != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: nothing to remove
      }
    }
    if (tokenIssuer != null) {
      tokenIssuer.close();
    }
    delete(directory);
  }

  private String configuration(Mode mode, int port, TestCertificateAuthority tokenAuthority) throws IOException {
    StringBuilder yaml = new StringBuilder();
    yaml.append("version: 0.1\n")
        .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
        .append("storage:\n")
        .append("  filesystem:\n    rootdirectory: ").append(directory.resolve("storage")).append('\n')
        .append("  delete:\n    enabled: true\n")
        .append("  maintenance:\n    uploadpurging:\n      enabled: false\n")
        .append("http:\n")
        .append("  addr: 127.0.0.1:").append(port).append('\n')
        .append("  secret: ").append(UUID.randomUUID()).append('\n');
    if (mode == Mode.BASIC_TLS) {
      TestCertificateAuthority.Issued server = authority.issueServerCertificate();
      Path certificate = Files.writeString(directory.resolve("server.crt"), server.chainPem());
      Path key = Files.writeString(directory.resolve("server.key"), server.privateKeyPem());
      yaml.append("  tls:\n")
          .append("    certificate: ").append(certificate).append('\n')
          .append("    key: ").append(key).append('\n');
      Path htpasswd = Files.writeString(directory.resolve("htpasswd"), htpasswd(username, password));
      yaml.append("auth:\n  htpasswd:\n    realm: portcullis-test\n    path: ").append(htpasswd).append('\n');
    }
    if (mode == Mode.TOKEN) {
      Path bundle = Files.writeString(directory.resolve("token-ca.crt"), tokenAuthority.certificatePem());
      yaml.append("auth:\n  token:\n")
          .append("    realm: ").append(tokenIssuer.realm()).append('\n')
          .append("    service: ").append(TokenIssuer.SERVICE).append('\n')
          .append("    issuer: ").append(TokenIssuer.ISSUER).append('\n')
          .append("    rootcertbundle: ").append(bundle).append('\n');
    }
    return yaml.toString();
  }

  private void awaitReady(Path log) throws IOException {
    HttpRequest probe = HttpRequest.newBuilder(url.resolve("/v2/")).timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String output = Files.readString(log);
        if (output.contains("address already in use")) {
          throw new PortTaken(output);
        }
        throw new IllegalStateException("docker-registry exited with status " + process.exitValue() + ":\n" + output);
      }
      try {
        int status = client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200 || status == 401) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the test registry", e);
      }
      sleep(50);
    }
    throw new IllegalStateException("docker-registry did not answer on " + url + " within " + STARTUP + ":\n"
        + Files.readString(log));
  }

  private static void requireBinary() {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          "The registry tests need Debian's docker-registry, which is not installed. Run: "
              + "apt-get install -y docker-registry");
    }
  }

  private static String htpasswd(String username, String password) throws IOException {
    Process htpasswd;
    try {
      htpasswd = new ProcessBuilder("htpasswd", "-Bbn", username, password).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "The registry tests need htpasswd, which is not installed. Run: apt-get install -y apache2-utils", e);
    }
    String line = new String(htpasswd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      if (htpasswd.waitFor() != 0) {
        throw new IllegalStateException("htpasswd failed: " + line);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return line + "\n";
  }

  private static HttpClient httpClient(TestCertificateAuthority authority) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (authority != null) {
      builder.sslContext(trusting(authority.certificatePem()));
    }
    return builder.build();
  }

  private static SSLContext trusting(String pem) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry(
          "ca",
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void delete(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + directory, e);
    }
  }

  private static final class PortTaken extends IllegalStateException {
    PortTaken(String log) {
      super("docker-registry could not bind its port:\n" + log);
    }
  }

  private enum Mode {
    ANONYMOUS,
    BASIC_TLS,
    TOKEN
  }
}
