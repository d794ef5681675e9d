package io.portcullis.api;

import io.portcullis.api.ApiEvents.TokenCreated;
import io.portcullis.api.ApiEvents.TokenRevoked;
import io.portcullis.tenancy.TenantScope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The current tenant's API tokens. A token is {@code pcl_<prefix>_<secret>}: eight random lower-case letters and
 * digits that are shown in lists, and 32 random bytes in base64url. Only the SHA-256 of the whole token is stored; the
 * token is returned once, by {@link #create}, and cannot be recovered afterwards.
 */
@Repository
public class ApiTokens {

  /** How every Portcullis token starts, so secret scanners and people can recognise one. */
  public static final String PREFIX = "pcl_";

  /** The longest a token may live: a forgotten token stops working within a year. */
  public static final int MAX_DAYS = 365;

  /** Usable tokens per tenant: enough for every pipeline, few enough that the list stays reviewable. */
  public static final int MAX_ACTIVE = 100;

  private static final Pattern TOKEN = Pattern.compile("pcl_([a-z0-9]{8})_[A-Za-z0-9_-]{43}");
  private static final char[] PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final String COLUMNS =
      "id, name, scope, prefix, created_by, created_at, expires_at, revoked_at, revoked_by, last_used_at";

  private final JdbcClient jdbc;
  private final ApplicationEventPublisher events;
  private final SecureRandom random = new SecureRandom();

  ApiTokens(JdbcClient jdbc, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.events = events;
  }

  /**
   * Makes a token valid for {@code days} days.
   *
   * @throws InvalidTokenRequestException when the name, scope or lifetime is not acceptable, or the tenant already has
   *     {@value #MAX_ACTIVE} usable tokens
   */
  @Transactional
  public Created create(String name, ApiScope scope, int days, String actor) {
    String trimmed = name == null ? "" : name.strip();
    if (trimmed.isEmpty() || trimmed.length() > 100 || trimmed.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidTokenRequestException("Give the token a name of at most 100 characters.");
    }
    if (scope == null) {
      throw new InvalidTokenRequestException("Choose Read or Read and write.");
    }
    if (days < 1 || days > MAX_DAYS) {
      throw new InvalidTokenRequestException("A token expires after 1 to " + MAX_DAYS + " days.");
    }
    // serialises concurrent creations of one tenant, so the limit below cannot be overrun by a race
    jdbc.sql("select pg_advisory_xact_lock(hashtextextended('api_token:' || app_current_tenant()::text, 0))")
        .query()
        .listOfRows();
    long active =
        jdbc.sql("select count(*) from api_token where revoked_at is null and expires_at > now()")
            .query(Long.class)
            .single();
    if (active >= MAX_ACTIVE) {
      throw new InvalidTokenRequestException(
          "Your organisation has " + MAX_ACTIVE + " usable tokens: revoke one you no longer need first.");
    }
    String prefix = randomPrefix();
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = PREFIX + prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    UUID id =
        jdbc.sql(
                """
                insert into api_token (tenant_id, name, scope, secret_hash, prefix, created_by, expires_at)
                values (app_current_tenant(), :name, :scope, :hash, :prefix, :actor,
                        now() + make_interval(days => :days))
                returning id
                """)
            .param("name", trimmed)
            .param("scope", scope.name())
            .param("hash", sha256(token))
            .param("prefix", prefix)
            .param("actor", actor)
            .param("days", days)
            .query(UUID.class)
            .single();
    ApiToken made = find(id).orElseThrow();
    events.publishEvent(
        new TokenCreated(TenantScope.require(), id, trimmed, scope, prefix, made.expiresAt(), actor));
    return new Created(made, token);
  }

  /** Every token of the tenant, newest first, revoked and expired ones included. */
  @Transactional(readOnly = true)
  public List<ApiToken> all() {
    return jdbc.sql("select " + COLUMNS + " from api_token order by created_at desc, id limit 1000")
        .query(ApiTokens::map)
        .list();
  }

  @Transactional(readOnly = true)
  public Optional<ApiToken> find(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from api_token where id = ?").param(id).query(ApiTokens::map).optional();
  }

  /** Revokes a token at once; revoking a revoked token changes nothing. */
  @Transactional
  public ApiToken revoke(UUID id, String actor) {
    ApiToken token = find(id).orElseThrow(() -> new UnknownResourceException("No API token " + id + "."));
    if (token.revoked()) {
      return token;
    }
    jdbc.sql("update api_token set revoked_at = now(), revoked_by = ? where id = ? and revoked_at is null")
        .param(actor)
        .param(id)
        .update();
    events.publishEvent(new TokenRevoked(TenantScope.require(), id, token.name(), token.prefix(), actor));
    return find(id).orElseThrow();
  }

  /**
   * What a presented token stands for, looked up by its hash without any tenant in scope. Anything that is not shaped
   * like a Portcullis token is not looked up at all.
   */
  public Optional<Presented> lookup(String presented) {
    if (presented == null || !TOKEN.matcher(presented).matches()) {
      return Optional.empty();
    }
    return jdbc.sql("select tenant_id, token_id, scope, expires_at, revoked from api_token_for_hash(?)")
        .param(sha256(presented))
        .query(
            (rs, i) ->
                new Presented(
                    rs.getObject("tenant_id", UUID.class),
                    rs.getObject("token_id", UUID.class),
                    ApiScope.valueOf(rs.getString("scope")),
                    rs.getTimestamp("expires_at").toInstant(),
                    rs.getBoolean("revoked")))
        .optional();
  }

  /**
   * Records that a token of the current tenant was used, at most once a minute per token, however many replicas
   * serve it: a busy pipeline does not turn every read into a write.
   */
  @Transactional
  public void used(UUID tokenId) {
    jdbc.sql(
            """
            update api_token set last_used_at = now()
             where id = ? and (last_used_at is null or last_used_at < now() - interval '1 minute')
            """)
        .param(tokenId)
        .update();
  }

  /** The stored form of a token. It is random and long, so a plain hash is enough; no salt or stretching is needed. */
  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String randomPrefix() {
    char[] prefix = new char[8];
    for (int i = 0; i < prefix.length; i++) {
      prefix[i] = PREFIX_ALPHABET[random.nextInt(PREFIX_ALPHABET.length)];
    }
    return new String(prefix);
  }

  private static ApiToken map(ResultSet rs, int row) throws SQLException {
    return new ApiToken(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        ApiScope.valueOf(rs.getString("scope")),
        rs.getString("prefix"),
        rs.getString("created_by"),
        instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("expires_at")),
        instant(rs.getTimestamp("revoked_at")),
        rs.getString("revoked_by"),
        instant(rs.getTimestamp("last_used_at")));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  /** A token just made, and the token itself: shown once, then gone. */
  public record Created(ApiToken token, String secret) {
    @Override
    public String toString() {
      return "Created[" + token.id() + "]";
    }
  }

  /**
   * What the token-to-tenant function reveals about a presented token.
   *
   * @param revoked whether an Admin revoked it
   */
  public record Presented(UUID tenantId, UUID tokenId, ApiScope scope, Instant expiresAt, boolean revoked) {

    public boolean expired(Instant now) {
      return !expiresAt.isAfter(now);
    }
  }

  /** A token request that cannot be granted, with the reason to show. */
  public static final class InvalidTokenRequestException extends RuntimeException {
    public InvalidTokenRequestException(String message) {
      super(message);
    }
  }
}
