package io.portcullis.scanner.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The token service of Docker's token authentication, for a {@link TestRegistry} configured with {@code auth.token}:
 * answers {@code GET /token?service=…&scope=…} with an ES256 JWT whose {@code x5c} certificate the registry trusts
 * through its {@code rootcertbundle}. The configured user gets every action asked for; anyone else gets none (the
 * registry then refuses them, as a real registry refuses anonymous pulls of private repositories); a wrong password is
 * a {@code 401}.
 */
final class TokenIssuer implements AutoCloseable {

  static final String SERVICE = "portcullis-test-registry";
  static final String ISSUER = "portcullis-test-token-issuer";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final TestCertificateAuthority.Issued signer;
  private final String username;
  private final String password;
  private final HttpServer server;
  private final AtomicInteger issued = new AtomicInteger();

  TokenIssuer(TestCertificateAuthority authority, String username, String password) throws IOException {
    this.signer = authority.issueSigningCertificate("token-signer");
    this.username = username;
    this.password = password;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::token);
    server.start();
  }

  URI realm() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
  }

  /** How many tokens were handed out, to see that clients cache them. */
  int issuedTokens() {
    return issued.get();
  }

  /** A token for {@code scopes} as the configured user, without the HTTP round trip (for pushing test images). */
  String tokenFor(String... scopes) {
    return jwt(username, List.of(scopes));
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void token(HttpExchange exchange) throws IOException {
    try (exchange) {
      String subject = "";
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        String expected =
            "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        if (!authorization.equals(expected)) {
          respond(exchange, 401, "{\"details\":\"incorrect username or password\"}");
          return;
        }
        subject = username;
      }
      List<String> scopes = new ArrayList<>();
      String service = null;
      String query = exchange.getRequestURI().getRawQuery();
      for (String parameter : query == null ? new String[0] : query.split("&")) {
        int equals = parameter.indexOf('=');
        String name = equals < 0 ? parameter : parameter.substring(0, equals);
        String value = equals < 0 ? "" : URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
        if (name.equals("scope")) {
          scopes.add(value);
        } else if (name.equals("service")) {
          service = value;
        }
      }
      if (!SERVICE.equals(service)) {
        respond(exchange, 400, "{\"details\":\"unknown service\"}");
        return;
      }
      String token = jwt(subject, subject.isEmpty() ? List.of() : scopes);
      issued.incrementAndGet();
      ObjectNode body = JSON.createObjectNode();
      body.put("token", token);
      body.put("access_token", token);
      body.put("expires_in", 300);
      body.put("issued_at", Instant.now().toString());
      respond(exchange, 200, JSON.writeValueAsString(body));
    }
  }

  private String jwt(String subject, List<String> scopes) {
    ObjectNode header = JSON.createObjectNode();
    header.put("typ", "JWT");
    header.put("alg", "ES256");
    header.putArray("x5c").add(signer.certificateBase64());

    long now = Instant.now().getEpochSecond();
    ObjectNode claims = JSON.createObjectNode();
    claims.put("iss", ISSUER);
    claims.put("sub", subject);
    claims.put("aud", SERVICE);
    claims.put("exp", now + 300);
    claims.put("nbf", now - 10);
    claims.put("iat", now);
    claims.put("jti", UUID.randomUUID().toString());
    ArrayNode access = claims.putArray("access");
    for (String scope : scopes) {
      // type:name:actions, where the name may itself hold colons (a registry host with a port)
      int first = scope.indexOf(':');
      int last = scope.lastIndexOf(':');
      if (first < 0 || last <= first) {
        continue;
      }
      ObjectNode entry = access.addObject();
      entry.put("type", scope.substring(0, first));
      entry.put("name", scope.substring(first + 1, last));
      ArrayNode actions = entry.putArray("actions");
      for (String action : scope.substring(last + 1).split(",")) {
        actions.add(action);
      }
    }
    String signingInput = base64Url(JSON.writeValueAsBytes(header)) + "." + base64Url(JSON.writeValueAsBytes(claims));
    try {
      // JOSE wants the raw r||s form of the ECDSA signature, not DER.
      Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
      signature.initSign(signer.privateKey());
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + base64Url(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign a test token", e);
    }
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
