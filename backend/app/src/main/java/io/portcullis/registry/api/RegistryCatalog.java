package io.portcullis.registry.api;

import io.portcullis.api.Paging;
import io.portcullis.findings.RiskOverview;
import io.portcullis.registry.RegistryViews.Layer;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the REST API reads of the current tenant's registries, repositories and images, a page at a time. Each list is
 * ordered by a unique key and continues after the last key of the previous page (keyset paging), so a deep page costs
 * the same as the first. Row-level security keeps every query to the caller's tenant: another tenant's id finds
 * nothing.
 */
@Repository
class RegistryCatalog {

  private static final UUID NONE = new UUID(0, 0);

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final RiskOverview risk;

  RegistryCatalog(JdbcClient jdbc, JsonMapper json, RiskOverview risk) {
    this.jdbc = jdbc;
    this.json = json;
    this.risk = risk;
  }

  /** A registry connection, without anything of its credential. */
  record Registry(
      UUID id,
      String name,
      String kind,
      String endpoint,
      String authentication,
      boolean enabled,
      String health,
      String healthReason,
      Instant healthCheckedAt,
      Instant lastDiscoveryAt,
      long discoveryIntervalMinutes,
      List<String> includeRepositories,
      List<String> excludeRepositories,
      long repositories,
      long images,
      int risk) {

    Registry withRisk(int value) {
      return new Registry(id, name, kind, endpoint, authentication, enabled, health, healthReason, healthCheckedAt,
          lastDiscoveryAt, discoveryIntervalMinutes, includeRepositories, excludeRepositories, repositories, images,
          value);
    }
  }

  record Repository(
      UUID id,
      UUID registryId,
      String name,
      long tags,
      long images,
      Instant firstSeenAt,
      Instant lastSeenAt,
      Instant goneAt,
      int risk) {

    Repository withRisk(int value) {
      return new Repository(id, registryId, name, tags, images, firstSeenAt, lastSeenAt, goneAt, value);
    }
  }

  record Image(
      UUID id,
      UUID repositoryId,
      String digest,
      String mediaType,
      boolean index,
      String indexDigest,
      String platform,
      Long size,
      Instant created,
      List<String> tags,
      Instant firstSeenAt,
      Instant lastSeenAt,
      Instant goneAt,
      Instant analysedAt,
      Instant matchedAt,
      int risk) {

    Image withRisk(int value) {
      return new Image(id, repositoryId, digest, mediaType, index, indexDigest, platform, size, created, tags,
          firstSeenAt, lastSeenAt, goneAt, analysedAt, matchedAt, value);
    }
  }

  /** Where an image lives, and what the SBOM names it by. */
  record Location(UUID registryId, String registry, String endpoint, UUID repositoryId, String repository) {

    /** {@code host[:port]/repository}, as people pull it. */
    String reference() {
      return endpoint.replaceFirst("^https?://", "") + "/" + repository;
    }
  }

  record Platform(UUID id, String platform, String digest) {}

  /** An image with what the catalog knows of it; analysis is added by the controller. */
  record ImageDetail(
      Image image, Location location, String configDigest, List<Layer> layers, List<Platform> platforms) {}

  private static final String REGISTRY =
      """
      select c.id, c.name, c.kind, c.endpoint, c.auth, c.enabled, c.health, c.health_reason, c.health_checked_at,
             c.last_discovery_at, extract(epoch from c.discovery_interval)::bigint / 60 as interval_minutes,
             c.include_repositories, c.exclude_repositories, lower(c.name) as sort_name,
             (select count(*) from container_repository r where r.connection_id = c.id and r.gone_at is null)
               as repositories,
             (select count(*) from image i join container_repository r on r.id = i.repository_id
               where r.connection_id = c.id and i.gone_at is null) as images
        from registry_connection c
      """;

  private static final String IMAGE =
      """
      select i.id, i.repository_id, i.digest, i.media_type, i.is_index, i.index_digest, i.platform, i.size, i.created,
             i.first_seen_at, i.last_seen_at, i.gone_at, i.analysed_at, i.matched_at
        from image i
      """;

  /** Registries by name (case-insensitive), then id. Cursor: lower-case name, id. */
  @Transactional(readOnly = true)
  public List<Keyed<Registry>> registries(Paging paging) {
    List<Keyed<Registry>> page = jdbc.sql(
            REGISTRY
                + " where :first or (lower(c.name), c.id) > (:name, :id) order by lower(c.name), c.id limit :fetch")
        .param("first", paging.first())
        .param("name", paging.first() ? "" : paging.after(0))
        .param("id", paging.first() ? NONE : paging.afterId(1))
        .param("fetch", paging.fetch())
        .query((rs, i) -> new Keyed<>(registry(rs), List.of(rs.getString("sort_name"), rs.getString("id"))))
        .list();
    Map<UUID, Integer> risks = risk.registries();
    return page.stream()
        .map(k -> new Keyed<>(k.item().withRisk(risks.getOrDefault(k.item().id(), 0)), k.key()))
        .toList();
  }

  @Transactional(readOnly = true)
  public Optional<Registry> registry(UUID id) {
    return jdbc.sql(REGISTRY + " where c.id = ?").param(id).query((rs, i) -> registry(rs)).optional()
        .map(r -> r.withRisk(risk.scope(id, null).risk()));
  }

  /** A registry's repositories by name (unique within it), gone ones included. Cursor: name. */
  @Transactional(readOnly = true)
  public List<Keyed<Repository>> repositories(UUID registryId, Paging paging) {
    List<Keyed<Repository>> page = jdbc.sql(
            """
            select r.id, r.connection_id, r.name, r.first_seen_at, r.last_seen_at, r.gone_at,
                   (select count(*) from tag t where t.repository_id = r.id and t.gone_at is null) as tags,
                   (select count(*) from image i where i.repository_id = r.id and i.gone_at is null) as images
              from container_repository r
             where r.connection_id = :registry and (:first or r.name > :name)
             order by r.name limit :fetch
            """)
        .param("registry", registryId)
        .param("first", paging.first())
        .param("name", paging.first() ? "" : paging.after(0))
        .param("fetch", paging.fetch())
        .query(
            (rs, i) ->
                new Keyed<>(
                    new Repository(
                        rs.getObject("id", UUID.class),
                        rs.getObject("connection_id", UUID.class),
                        rs.getString("name"),
                        rs.getLong("tags"),
                        rs.getLong("images"),
                        instant(rs.getTimestamp("first_seen_at")),
                        instant(rs.getTimestamp("last_seen_at")),
                        instant(rs.getTimestamp("gone_at")),
                        0),
                    List.of(rs.getString("name"))))
        .list();
    Map<UUID, Integer> risks = risk.repositories(registryId);
    return page.stream()
        .map(k -> new Keyed<>(k.item().withRisk(risks.getOrDefault(k.item().id(), 0)), k.key()))
        .toList();
  }

  @Transactional(readOnly = true)
  public boolean repositoryExists(UUID id) {
    return jdbc.sql("select count(*) from container_repository where id = ?").param(id).query(Long.class).single() > 0;
  }

  /** A repository's images, newest first (by when they were first seen), then by id. Cursor: first seen, id. */
  @Transactional(readOnly = true)
  public List<Keyed<Image>> images(UUID repositoryId, Paging paging) {
    List<Row> rows =
        jdbc.sql(
                IMAGE
                    + """
                     where i.repository_id = :repository
                       and (:first or (i.first_seen_at, i.id) < (:seen, :id))
                     order by i.first_seen_at desc, i.id desc limit :fetch
                    """)
            .param("repository", repositoryId)
            .param("first", paging.first())
            .param("seen", (paging.first() ? Instant.EPOCH : paging.afterInstant(0)).atOffset(ZoneOffset.UTC))
            .param("id", paging.first() ? NONE : paging.afterId(1))
            .param("fetch", paging.fetch())
            .query((rs, i) -> row(rs))
            .list();
    Map<String, List<String>> tags = tags(repositoryId, rows.stream().map(Row::digest).toList());
    Map<UUID, Integer> risks = risk.images(rows.stream().map(Row::id).toList());
    return rows.stream()
        .map(
            row ->
                new Keyed<>(
                    row.image(tags.getOrDefault(row.digest(), List.of())).withRisk(risks.getOrDefault(row.id(), 0)),
                    List.of(row.firstSeenAt().toString(), row.id().toString())))
        .toList();
  }

  @Transactional(readOnly = true)
  public Optional<ImageDetail> image(UUID id) {
    return jdbc.sql(
            """
            select i.id, i.repository_id, i.digest, i.media_type, i.is_index, i.index_digest, i.platform, i.size,
                   i.created, i.first_seen_at, i.last_seen_at, i.gone_at, i.analysed_at, i.matched_at,
                   i.config_digest, i.layers, r.name as repository, c.id as registry_id, c.name as registry, c.endpoint
              from image i join container_repository r on r.id = i.repository_id
                           join registry_connection c on c.id = r.connection_id
             where i.id = ?
            """)
        .param(id)
        .query(
            (rs, i) -> {
              Row row = row(rs);
              Location location =
                  new Location(
                      rs.getObject("registry_id", UUID.class),
                      rs.getString("registry"),
                      rs.getString("endpoint"),
                      row.repositoryId(),
                      rs.getString("repository"));
              List<Layer> layers = json.readValue(rs.getString("layers"), new TypeReference<List<Layer>>() {});
              return new Detail(row, location, rs.getString("config_digest"), layers);
            })
        .optional()
        .map(
            detail ->
                new ImageDetail(
                    detail.row().image(tags(detail.row().repositoryId(), List.of(detail.row().digest()))
                        .getOrDefault(detail.row().digest(), List.of()))
                        .withRisk(risk.images(List.of(id)).getOrDefault(id, 0)),
                    detail.location(),
                    detail.configDigest(),
                    detail.layers(),
                    detail.row().index() ? platforms(detail.row().repositoryId(), detail.row().digest()) : List.of()));
  }

  private record Detail(Row row, Location location, String configDigest, List<Layer> layers) {}

  /** The platform manifests of an index, at most 100 (real indexes list a handful). */
  private List<Platform> platforms(UUID repositoryId, String indexDigest) {
    return jdbc.sql(
            "select id, platform, digest from image where repository_id = ? and index_digest = ?"
                + " order by platform, digest limit 100")
        .param(repositoryId)
        .param(indexDigest)
        .query(
            (rs, i) ->
                new Platform(rs.getObject("id", UUID.class), rs.getString("platform"), rs.getString("digest")))
        .list();
  }

  /** The tags that point at each of {@code digests} now. */
  private Map<String, List<String>> tags(UUID repositoryId, List<String> digests) {
    Map<String, List<String>> tags = new HashMap<>();
    if (digests.isEmpty()) {
      return tags;
    }
    jdbc.sql(
            "select digest, name from tag where repository_id = ? and gone_at is null and digest = any(?)"
                + " order by name")
        .param(repositoryId)
        .param(digests.toArray(String[]::new))
        .query(
            (rs, i) ->
                tags.computeIfAbsent(rs.getString("digest"), d -> new ArrayList<>()).add(rs.getString("name")))
        .list();
    return tags;
  }

  /** An image row before its tags are known. */
  private record Row(
      UUID id,
      UUID repositoryId,
      String digest,
      String mediaType,
      boolean index,
      String indexDigest,
      String platform,
      Long size,
      Instant created,
      Instant firstSeenAt,
      Instant lastSeenAt,
      Instant goneAt,
      Instant analysedAt,
      Instant matchedAt) {

    Image image(List<String> tags) {
      return new Image(
          id, repositoryId, digest, mediaType, index, indexDigest, platform, size, created, tags, firstSeenAt,
          lastSeenAt, goneAt, analysedAt, matchedAt, 0);
    }
  }

  private static Row row(ResultSet rs) throws SQLException {
    return new Row(
        rs.getObject("id", UUID.class),
        rs.getObject("repository_id", UUID.class),
        rs.getString("digest"),
        rs.getString("media_type"),
        rs.getBoolean("is_index"),
        rs.getString("index_digest"),
        rs.getString("platform"),
        (Long) rs.getObject("size"),
        instant(rs.getTimestamp("created")),
        instant(rs.getTimestamp("first_seen_at")),
        instant(rs.getTimestamp("last_seen_at")),
        instant(rs.getTimestamp("gone_at")),
        instant(rs.getTimestamp("analysed_at")),
        instant(rs.getTimestamp("matched_at")));
  }

  private static Registry registry(ResultSet rs) throws SQLException {
    return new Registry(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getString("kind"),
        rs.getString("endpoint"),
        rs.getString("auth"),
        rs.getBoolean("enabled"),
        rs.getString("health"),
        rs.getString("health_reason"),
        instant(rs.getTimestamp("health_checked_at")),
        instant(rs.getTimestamp("last_discovery_at")),
        rs.getLong("interval_minutes"),
        strings(rs.getArray("include_repositories")),
        strings(rs.getArray("exclude_repositories")),
        rs.getLong("repositories"),
        rs.getLong("images"),
        0);
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  /** An item and its sort key, from which the next page's cursor is made. */
  record Keyed<T>(T item, List<String> key) {}
}
