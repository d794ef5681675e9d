package io.portcullis.registry;

import io.portcullis.tenancy.Like;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
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

/** What the registry pages show: repositories, tags with their history, images, push events and discovery runs. */
@Repository
public class RegistryViews {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  RegistryViews(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  public record RepositoryRow(UUID id, String name, long tags, long images, Instant lastSeenAt, Instant goneAt) {}

  public record TagRow(UUID id, String name, String digest, UUID imageId, Instant updatedAt, Instant goneAt, List<Move> history) {}

  public record Move(String digest, Instant since, Instant until) {}

  public record Layer(String digest, long size, String mediaType) {}

  public record ImageRow(
      UUID id,
      UUID repositoryId,
      String repository,
      UUID connectionId,
      String connection,
      String digest,
      String mediaType,
      boolean index,
      String indexDigest,
      String platform,
      Long size,
      Instant created,
      String configDigest,
      List<Layer> layers,
      Instant firstSeenAt,
      Instant goneAt) {}

  public record PushEventRow(String source, String action, String repository, String tag, String digest, Instant receivedAt) {}

  public record RunRow(
      UUID id,
      String trigger,
      String repository,
      String status,
      Instant startedAt,
      Instant finishedAt,
      int repositories,
      Integer repositoriesTotal,
      int images,
      int tags,
      int failures,
      String error) {

    public boolean running() {
      return "RUNNING".equals(status);
    }
  }

  public record RepositoryDetail(UUID id, UUID connectionId, String connection, String name, Instant goneAt, List<TagRow> tags) {}

  /** The first repositories of a list, and how many the list has in all. */
  public record RepositoryList(List<RepositoryRow> rows, long total) {

    public boolean truncated() {
      return total > rows.size();
    }
  }

  /** A registry's first {@code limit} repositories, current ones first, by name. */
  @Transactional(readOnly = true)
  public List<RepositoryRow> repositories(UUID connectionId, int limit) {
    return repositories(connectionId, null, limit).rows();
  }

  /**
   * A registry's repositories, current ones first, by name: at most {@code limit}, only those whose name contains
   * {@code nameContains} (any case) when it is given.
   */
  @Transactional(readOnly = true)
  public RepositoryList repositories(UUID connectionId, String nameContains, int limit) {
    String pattern = nameContains == null || nameContains.isBlank() ? null
        : Like.containing(nameContains.strip());
    long[] total = {0};
    List<RepositoryRow> rows = jdbc.sql(
            """
            select r.id, r.name, r.last_seen_at, r.gone_at, count(*) over () as total,
                   (select count(*) from tag t where t.repository_id = r.id and t.gone_at is null) as tags,
                   (select count(*) from image i where i.repository_id = r.id and i.gone_at is null) as images
              from container_repository r
             where r.connection_id = ? and (cast(? as text) is null or r.name ilike cast(? as text) escape '\\')
             order by r.gone_at is not null, r.name limit ?
            """)
        .param(connectionId)
        .param(pattern)
        .param(pattern)
        .param(limit)
        .query(
            (rs, i) -> {
              total[0] = rs.getLong("total");
              return new RepositoryRow(
                  rs.getObject("id", UUID.class),
                  rs.getString("name"),
                  rs.getLong("tags"),
                  rs.getLong("images"),
                  instant(rs.getTimestamp("last_seen_at")),
                  instant(rs.getTimestamp("gone_at")));
            })
        .list();
    return new RepositoryList(rows, total[0]);
  }

  @Transactional(readOnly = true)
  public Optional<RepositoryDetail> repository(UUID connectionId, UUID repositoryId) {
    return jdbc.sql(
            """
            select r.id, r.connection_id, c.name as connection, r.name, r.gone_at
              from container_repository r join registry_connection c on c.id = r.connection_id
             where r.id = ? and r.connection_id = ?
            """)
        .param(repositoryId)
        .param(connectionId)
        .query(
            (rs, i) ->
                new RepositoryDetail(
                    rs.getObject("id", UUID.class),
                    rs.getObject("connection_id", UUID.class),
                    rs.getString("connection"),
                    rs.getString("name"),
                    instant(rs.getTimestamp("gone_at")),
                    tags(repositoryId)))
        .optional();
  }

  private List<TagRow> tags(UUID repositoryId) {
    List<TagRow> tags =
        jdbc.sql(
                """
                select t.id, t.name, t.digest, t.updated_at, t.gone_at,
                       (select i.id from image i where i.repository_id = t.repository_id and i.digest = t.digest) as image_id
                  from tag t where t.repository_id = ? order by t.gone_at is not null, t.name limit 1000
                """)
            .param(repositoryId)
            .query(
                (rs, i) ->
                    new TagRow(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getString("digest"),
                        rs.getObject("image_id", UUID.class),
                        instant(rs.getTimestamp("updated_at")),
                        instant(rs.getTimestamp("gone_at")),
                        List.of()))
            .list();
    // the history of every tag in one query, the newest 50 moves of each
    Map<UUID, List<Move>> history = new HashMap<>();
    jdbc.sql(
            """
            select tag_id, digest, since, until from (
              select h.tag_id, h.digest, h.since, h.until,
                     row_number() over (partition by h.tag_id order by h.since desc) as n
                from tag_history h join tag t on t.id = h.tag_id where t.repository_id = ?) recent
             where n <= 50 order by tag_id, since desc
            """)
        .param(repositoryId)
        .query(
            (rs, i) ->
                history
                    .computeIfAbsent(rs.getObject("tag_id", UUID.class), id -> new ArrayList<>())
                    .add(new Move(rs.getString("digest"), instant(rs.getTimestamp("since")), instant(rs.getTimestamp("until")))))
        .list();
    return tags.stream()
        .map(t -> new TagRow(t.id(), t.name(), t.digest(), t.imageId(), t.updatedAt(), t.goneAt(), history.getOrDefault(t.id(), List.of())))
        .toList();
  }

  @Transactional(readOnly = true)
  public Optional<ImageRow> image(UUID imageId) {
    return jdbc.sql(
            """
            select i.*, r.name as repository, c.id as connection_id, c.name as connection
              from image i join container_repository r on r.id = i.repository_id
                           join registry_connection c on c.id = r.connection_id
             where i.id = ?
            """)
        .param(imageId)
        .query(
            (rs, i) ->
                new ImageRow(
                    rs.getObject("id", UUID.class),
                    rs.getObject("repository_id", UUID.class),
                    rs.getString("repository"),
                    rs.getObject("connection_id", UUID.class),
                    rs.getString("connection"),
                    rs.getString("digest"),
                    rs.getString("media_type"),
                    rs.getBoolean("is_index"),
                    rs.getString("index_digest"),
                    rs.getString("platform"),
                    (Long) rs.getObject("size"),
                    instant(rs.getTimestamp("created")),
                    rs.getString("config_digest"),
                    json.readValue(rs.getString("layers"), new TypeReference<List<Layer>>() {}),
                    instant(rs.getTimestamp("first_seen_at")),
                    instant(rs.getTimestamp("gone_at"))))
        .optional();
  }

  /** The platform manifests of an index. */
  @Transactional(readOnly = true)
  public List<ImageRow> platformsOf(ImageRow index) {
    return jdbc.sql("select id from image where repository_id = ? and index_digest = ? order by platform")
        .param(index.repositoryId())
        .param(index.digest())
        .query(UUID.class)
        .list()
        .stream()
        .map(id -> image(id).orElseThrow())
        .toList();
  }

  /** The tags that point at an image now. */
  @Transactional(readOnly = true)
  public List<String> tagsOf(ImageRow image) {
    return jdbc.sql("select name from tag where repository_id = ? and digest = ? and gone_at is null order by name")
        .param(image.repositoryId())
        .param(image.digest())
        .query(String.class)
        .list();
  }

  /** When a tag pointed at an image: {@code until} is null while it still does. */
  public record TagSpell(String tag, java.time.Instant since, java.time.Instant until) {}

  /** Every time a tag of the image's repository pointed at its digest, newest first. */
  @Transactional(readOnly = true)
  public List<TagSpell> tagHistoryOf(ImageRow image) {
    return jdbc.sql(
            """
            select t.name, h.since, h.until from tag_history h join tag t on t.id = h.tag_id
             where t.repository_id = ? and h.digest = ? order by h.since desc, t.name limit 200
            """)
        .param(image.repositoryId())
        .param(image.digest())
        .query((rs, i) -> new TagSpell(rs.getString(1), rs.getTimestamp(2).toInstant(),
            rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
        .list();
  }

  @Transactional(readOnly = true)
  public List<PushEventRow> pushEvents(UUID connectionId, int limit) {
    return jdbc.sql(
            "select source, action, repository, tag, digest, received_at from push_event where connection_id = ?"
                + " order by received_at desc limit ?")
        .param(connectionId)
        .param(limit)
        .query(
            (rs, i) ->
                new PushEventRow(
                    rs.getString("source"),
                    rs.getString("action"),
                    rs.getString("repository"),
                    rs.getString("tag"),
                    rs.getString("digest"),
                    instant(rs.getTimestamp("received_at"))))
        .list();
  }

  @Transactional(readOnly = true)
  public List<RunRow> runs(UUID connectionId, int limit) {
    return jdbc.sql("select * from discovery_run where connection_id = ? order by started_at desc limit ?")
        .param(connectionId)
        .param(limit)
        .query(
            (rs, i) ->
                new RunRow(
                    rs.getObject("id", UUID.class),
                    rs.getString("trigger"),
                    rs.getString("repository"),
                    rs.getString("status"),
                    instant(rs.getTimestamp("started_at")),
                    instant(rs.getTimestamp("finished_at")),
                    rs.getInt("repositories"),
                    (Integer) rs.getObject("repositories_total"),
                    rs.getInt("images"),
                    rs.getInt("tags"),
                    rs.getInt("failures"),
                    rs.getString("error")))
        .list();
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
