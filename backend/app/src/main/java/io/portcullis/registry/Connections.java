package io.portcullis.registry;

import io.portcullis.registry.RegistryEvents.ConnectionChanged;
import io.portcullis.secrets.Sealed;
import io.portcullis.secrets.SecretBox;
import io.portcullis.tenancy.TenantScope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The current tenant's registry connections. Credentials go in sealed and never come out of here. */
@Repository
public class Connections {

  static final String COLUMNS =
      """
      c.id, c.name, c.kind, c.endpoint, c.auth, c.username, c.azure_tenant_id, c.secret is not null as has_secret,
      c.ca_certificates, c.include_repositories, c.exclude_repositories, c.enabled,
      extract(epoch from c.discovery_interval)::bigint as interval_seconds, c.webhook_secret_hash is not null as has_webhook,
      c.health, c.health_reason, c.health_checked_at, c.last_discovery_at, c.max_concurrent_requests,
      c.requests_per_second
      """;

  private final JdbcClient jdbc;
  private final SecretBox secrets;
  private final ApplicationEventPublisher events;
  private final SecureRandom random = new SecureRandom();

  Connections(JdbcClient jdbc, SecretBox secrets, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.secrets = secrets;
    this.events = events;
  }

  /** The owner a connection's sealed secret is bound to. */
  public static String secretOwner(UUID tenantId, UUID connectionId) {
    return "registry_connection:" + tenantId + ":" + connectionId;
  }

  /** Adds a connection; the returned webhook secret is shown once and stored only as a hash. */
  @Transactional
  public Added add(ConnectionSpec spec, String actor) {
    requireValid(spec, true, false);
    UUID tenant = TenantScope.require();
    UUID id = UUID.randomUUID();
    String webhookSecret = newWebhookSecret();
    Sealed sealed = hasText(spec.secret()) ? secrets.seal(spec.secret(), secretOwner(tenant, id)) : null;
    withSpec(
            jdbc.sql(
            """
            insert into registry_connection (id, tenant_id, name, kind, endpoint, auth, username, azure_tenant_id,
              secret, secret_key_id, ca_certificates, include_repositories, exclude_repositories, discovery_interval,
              webhook_secret_hash, created_by)
            values (:id, app_current_tenant(), :name, :kind, :endpoint, :auth, :username, :azureTenant, :secret, :keyId,
              :ca, :include, :exclude, make_interval(secs => :interval), :webhook, :actor)
            """),
            spec)
        .param("id", id)
        .param("secret", sealed == null ? null : sealed.bytes())
        .param("keyId", sealed == null ? null : sealed.keyId())
        .param("webhook", sha256(webhookSecret))
        .param("actor", actor)
        .update();
    events.publishEvent(
        new ConnectionChanged(tenant, id, spec.name().trim(), "added", actor, spec.kind() + " " + spec.normalisedEndpoint()));
    return new Added(find(id).orElseThrow(), webhookSecret);
  }

  /** Changes a connection; an empty secret keeps the stored one. */
  @Transactional
  public Connection change(UUID id, ConnectionSpec spec, String actor) {
    Connection before = find(id).orElseThrow(() -> new UnknownConnectionException(id));
    boolean sameAuth = before.authentication() == spec.authentication();
    requireValid(spec, false, before.hasSecret() && sameAuth);
    UUID tenant = TenantScope.require();
    boolean replaceSecret = hasText(spec.secret()) || !spec.authentication().needsSecret();
    Sealed sealed = hasText(spec.secret()) ? secrets.seal(spec.secret(), secretOwner(tenant, id)) : null;
    withSpec(
            jdbc.sql(
            """
            update registry_connection
               set name = :name, kind = :kind, endpoint = :endpoint, auth = :auth, username = :username,
                   azure_tenant_id = :azureTenant, ca_certificates = :ca, include_repositories = :include,
                   exclude_repositories = :exclude, discovery_interval = make_interval(secs => :interval),
                   secret = case when :replace then :secret else secret end,
                   secret_key_id = case when :replace then :keyId else secret_key_id end,
                   health = 'UNKNOWN', health_reason = null
             where id = :id
            """),
            spec)
        .param("id", id)
        .param("replace", replaceSecret)
        .param("secret", sealed == null ? null : sealed.bytes())
        .param("keyId", sealed == null ? null : sealed.keyId())
        .update();
    events.publishEvent(
        new ConnectionChanged(
            tenant, id, spec.name().trim(), "changed", actor, hasText(spec.secret()) ? "credential replaced" : null));
    return find(id).orElseThrow();
  }

  @Transactional
  public void enable(UUID id, boolean enabled, String actor) {
    Connection connection = find(id).orElseThrow(() -> new UnknownConnectionException(id));
    jdbc.sql("update registry_connection set enabled = ? where id = ?").param(enabled).param(id).update();
    events.publishEvent(
        new ConnectionChanged(
            TenantScope.require(), id, connection.name(), enabled ? "enabled" : "disabled", actor, null));
  }

  /**
   * What this installation may ask of the registry: requests at a time (1-64) and new requests per second (1-1000),
   * per instance. An ACR's SKU decides what it tolerates.
   */
  @Transactional
  public void limit(UUID id, int maxConcurrentRequests, int requestsPerSecond, String actor) {
    Connection connection = find(id).orElseThrow(() -> new UnknownConnectionException(id));
    java.util.Map<String, String> problems = new java.util.LinkedHashMap<>();
    if (maxConcurrentRequests < 1 || maxConcurrentRequests > 64) {
      problems.put("maxConcurrentRequests", "Between 1 and 64 requests at a time.");
    }
    if (requestsPerSecond < 1 || requestsPerSecond > 1000) {
      problems.put("requestsPerSecond", "Between 1 and 1000 requests per second.");
    }
    if (!problems.isEmpty()) {
      throw new InvalidConnectionException(problems);
    }
    jdbc.sql("update registry_connection set max_concurrent_requests = ?, requests_per_second = ? where id = ?")
        .params(maxConcurrentRequests, requestsPerSecond, id).update();
    events.publishEvent(new ConnectionChanged(TenantScope.require(), id, connection.name(), "limits-changed", actor,
        maxConcurrentRequests + " at a time, " + requestsPerSecond + " per second"));
  }

  /** Deletes a connection and everything discovered through it. */
  @Transactional
  public void delete(UUID id, String actor) {
    Connection connection = find(id).orElseThrow(() -> new UnknownConnectionException(id));
    jdbc.sql("delete from registry_connection where id = ?").param(id).update();
    events.publishEvent(new ConnectionChanged(TenantScope.require(), id, connection.name(), "deleted", actor, null));
  }

  /** A new webhook secret, shown once; the old one stops working at once. */
  @Transactional
  public String rotateWebhookSecret(UUID id, String actor) {
    Connection connection = find(id).orElseThrow(() -> new UnknownConnectionException(id));
    String secret = newWebhookSecret();
    jdbc.sql("update registry_connection set webhook_secret_hash = ? where id = ?").param(sha256(secret)).param(id).update();
    events.publishEvent(
        new ConnectionChanged(TenantScope.require(), id, connection.name(), "webhook-secret-rotated", actor, null));
    return secret;
  }

  @Transactional(readOnly = true)
  public Optional<Connection> find(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from registry_connection c where c.id = ?").param(id).query(Connections::map).optional();
  }

  @Transactional(readOnly = true)
  public List<ConnectionSummary> all() {
    return jdbc.sql(
            "select "
                + COLUMNS
                + """
                , (select count(*) from container_repository r where r.connection_id = c.id and r.gone_at is null) as repositories,
                  (select count(*) from image i join container_repository r on r.id = i.repository_id
                    where r.connection_id = c.id and i.gone_at is null) as images,
                  (select count(*) from tag t join container_repository r on r.id = t.repository_id
                    where r.connection_id = c.id and t.gone_at is null) as tags
                  from registry_connection c order by lower(c.name)
                """)
        .query(
            (rs, i) -> new ConnectionSummary(map(rs, i), rs.getLong("repositories"), rs.getLong("images"), rs.getLong("tags")))
        .list();
  }

  /** Records the outcome of talking to the registry; a failure keeps its reason and time for the registries page. */
  @Transactional
  public void recordHealth(UUID id, boolean healthy, String reason) {
    jdbc.sql(
            "update registry_connection set health = ?, health_reason = ?, health_checked_at = now() where id = ?")
        .param(healthy ? "HEALTHY" : "UNHEALTHY")
        .param(reason == null ? null : reason.substring(0, Math.min(reason.length(), 2000)))
        .param(id)
        .update();
  }

  static Connection map(ResultSet rs, int row) throws SQLException {
    return new Connection(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        ConnectionKind.valueOf(rs.getString("kind")),
        rs.getString("endpoint"),
        Authentication.valueOf(rs.getString("auth")),
        rs.getString("username"),
        rs.getString("azure_tenant_id"),
        rs.getBoolean("has_secret"),
        rs.getString("ca_certificates"),
        strings(rs.getArray("include_repositories")),
        strings(rs.getArray("exclude_repositories")),
        rs.getBoolean("enabled"),
        Duration.ofSeconds(rs.getLong("interval_seconds")),
        rs.getBoolean("has_webhook"),
        Connection.Health.valueOf(rs.getString("health")),
        rs.getString("health_reason"),
        instant(rs.getTimestamp("health_checked_at")),
        instant(rs.getTimestamp("last_discovery_at")),
        rs.getInt("max_concurrent_requests"),
        rs.getInt("requests_per_second"));
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
  }

  private static java.time.Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  /** The parameters every write of a connection binds from its spec. */
  private static JdbcClient.StatementSpec withSpec(JdbcClient.StatementSpec statement, ConnectionSpec spec) {
    return statement
        .param("name", spec.name().trim())
        .param("kind", spec.kind().name())
        .param("endpoint", spec.normalisedEndpoint())
        .param("auth", spec.authentication().name())
        .param("username", blankToNull(spec.username()))
        .param("azureTenant", blankToNull(spec.azureTenantId()))
        .param("ca", blankToNull(spec.caCertificates()))
        .param("include", spec.includeRepositories().toArray(String[]::new))
        .param("exclude", spec.excludeRepositories().toArray(String[]::new))
        .param("interval", spec.discoveryInterval().toSeconds());
  }

  private void requireValid(ConnectionSpec spec, boolean creating, boolean secretStored) {
    var problems = spec.problems(creating, secretStored);
    if (!problems.isEmpty()) {
      throw new InvalidConnectionException(problems);
    }
  }

  private String newWebhookSecret() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The stored form of a webhook secret; it is random and long, so a plain hash is enough. */
  public static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean hasText(String value) {
    return value != null && !value.isEmpty();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** A connection and the webhook secret made for it. */
  public record Added(Connection connection, String webhookSecret) {
    @Override
    public String toString() {
      return "Added[" + connection.id() + "]";
    }
  }

  /** No connection with that id in this tenant. */
  public static final class UnknownConnectionException extends RuntimeException {
    public UnknownConnectionException(UUID id) {
      super("no registry connection " + id);
    }
  }

  /** The spec has problems, by field. */
  public static final class InvalidConnectionException extends RuntimeException {
    private final transient java.util.Map<String, String> problems;

    public InvalidConnectionException(java.util.Map<String, String> problems) {
      super("invalid connection: " + problems.keySet());
      this.problems = problems;
    }

    public java.util.Map<String, String> problems() {
      return problems;
    }
  }
}
