package io.portcullis.registry.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What discovery writes: runs and their progress, repositories, images by digest, tags and the history of their moves.
 * Each method is its own short transaction, so a long discovery shows progress and never holds locks for long.
 */
@Component
class DiscoveryStore {

  private final JdbcClient jdbc;

  DiscoveryStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A new run, or empty when one is already running for the connection. A run silent for 15 minutes is abandoned. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public Optional<Run> start(UUID connectionId, String trigger, String repository) {
    jdbc.sql(
            """
            update discovery_run set status = 'FAILED', finished_at = now(), error = 'abandoned: no progress for 15 minutes'
             where connection_id = ? and status = 'RUNNING' and updated_at < now() - interval '15 minutes'
            """)
        .param(connectionId)
        .update();
    try {
      return Optional.of(
          jdbc.sql(
                  """
                  insert into discovery_run (tenant_id, connection_id, trigger, repository, status)
                  values (app_current_tenant(), ?, ?, ?, 'RUNNING') returning id, started_at
                  """)
              .param(connectionId)
              .param(trigger)
              .param(repository)
              .query((rs, i) -> new Run(rs.getObject("id", UUID.class), rs.getTimestamp("started_at").toInstant()))
              .single());
    } catch (DuplicateKeyException alreadyRunning) {
      return Optional.empty();
    }
  }

  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void progress(UUID runId, Counts counts, Integer repositoriesTotal) {
    jdbc.sql(
            """
            update discovery_run set repositories = ?, images = ?, tags = ?, failures = ?,
                   repositories_total = coalesce(?, repositories_total), updated_at = now() where id = ?
            """)
        .param(counts.repositories)
        .param(counts.images)
        .param(counts.tags)
        .param(counts.failures)
        .param(repositoriesTotal)
        .param(runId)
        .update();
  }

  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void finish(UUID runId, UUID connectionId, Counts counts, String error) {
    progress(runId, counts, null);
    jdbc.sql("update discovery_run set status = ?, finished_at = now(), error = ? where id = ?")
        .param(error == null ? "SUCCEEDED" : "FAILED")
        .param(error == null ? null : error.substring(0, Math.min(error.length(), 4000)))
        .param(runId)
        .update();
    if (error == null) {
      jdbc.sql("update registry_connection set last_discovery_at = now() where id = ?").param(connectionId).update();
    }
  }

  @Transactional(propagation = Propagation.REQUIRES_NEW)
  /**
   * Marks a repository as seen and returns it with the database's time of that mark: what this run touches afterwards is
   * seen at or after it, what it does not touch stays before it. The database's clock, not this process's, so that a
   * skew between the two never marks live tags as gone.
   */
  public Seen repository(UUID connectionId, String name) {
    return jdbc.sql(
            """
            insert into container_repository (tenant_id, connection_id, name) values (app_current_tenant(), ?, ?)
            on conflict (connection_id, name) do update set last_seen_at = now(), gone_at = null
            returning id, now() as seen_at
            """)
        .param(connectionId)
        .param(name)
        .query((rs, i) -> new Seen(rs.getObject("id", UUID.class), rs.getTimestamp("seen_at").toInstant()))
        .single();
  }

  /** A repository and when this run saw it. */
  record Seen(UUID id, Instant at) {}

  @Transactional(readOnly = true, propagation = Propagation.REQUIRES_NEW)
  public Optional<UUID> findRepository(UUID connectionId, String name) {
    return jdbc.sql("select id from container_repository where connection_id = ? and name = ?")
        .param(connectionId)
        .param(name)
        .query(UUID.class)
        .optional();
  }

  /** Marks an image (and, for an index, its platform manifests) as seen; false when it is not stored yet. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public boolean touchImage(UUID repositoryId, String digest) {
    return jdbc.sql(
                """
                update image set last_seen_at = now(), gone_at = null
                 where repository_id = ? and (digest = ? or index_digest = ?)
                """)
            .param(repositoryId)
            .param(digest)
            .param(digest)
            .update()
        > 0;
  }

  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void image(UUID repositoryId, StoredImage image) {
    jdbc.sql(
            """
            insert into image (tenant_id, repository_id, digest, media_type, is_index, index_digest, platform, size,
                               created, config_digest, layers)
            values (app_current_tenant(), :repo, :digest, :mediaType, :isIndex, :indexDigest, :platform, :size,
                    :created, :config, cast(:layers as jsonb))
            on conflict (repository_id, digest) do update
               set last_seen_at = now(), gone_at = null,
                   index_digest = coalesce(image.index_digest, excluded.index_digest),
                   platform = coalesce(image.platform, excluded.platform)
            """)
        .param("repo", repositoryId)
        .param("digest", image.digest())
        .param("mediaType", image.mediaType())
        .param("isIndex", image.index())
        .param("indexDigest", image.indexDigest())
        .param("platform", image.platform())
        .param("size", image.size())
        .param("created", image.created() == null ? null : Timestamp.from(image.created()))
        .param("config", image.configDigest())
        .param("layers", image.layersJson())
        .update();
  }

  /** Points a tag at a digest; when it moved, the history gets a new entry and the old one is closed. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public boolean tag(UUID repositoryId, String name, String digest) {
    var current =
        jdbc.sql("select id, digest, gone_at is not null as gone from tag where repository_id = ? and name = ? for update")
            .param(repositoryId)
            .param(name)
            .query((rs, i) -> new Object[] {rs.getObject("id", UUID.class), rs.getString("digest"), rs.getBoolean("gone")})
            .optional();
    if (current.isEmpty()) {
      UUID id =
          jdbc.sql(
                  "insert into tag (tenant_id, repository_id, name, digest) values (app_current_tenant(), ?, ?, ?) returning id")
              .param(repositoryId)
              .param(name)
              .param(digest)
              .query(UUID.class)
              .single();
      openHistory(id, digest);
      return true;
    }
    UUID id = (UUID) current.get()[0];
    boolean moved = !digest.equals(current.get()[1]) || (Boolean) current.get()[2];
    if (moved) {
      jdbc.sql("update tag_history set until = now() where tag_id = ? and until is null").param(id).update();
      openHistory(id, digest);
      jdbc.sql("update tag set digest = ?, updated_at = now(), last_seen_at = now(), gone_at = null where id = ?")
          .param(digest)
          .param(id)
          .update();
    } else {
      jdbc.sql("update tag set last_seen_at = now() where id = ?").param(id).update();
    }
    return moved;
  }

  private void openHistory(UUID tagId, String digest) {
    jdbc.sql("insert into tag_history (tenant_id, tag_id, digest, since) values (app_current_tenant(), ?, ?, now())")
        .param(tagId)
        .param(digest)
        .update();
  }

  /** After a repository was read completely: its tags and images not seen since {@code since} are gone. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void markGoneInRepository(UUID repositoryId, Instant since) {
    Timestamp at = Timestamp.from(since);
    List<UUID> goneTags =
        jdbc.sql("update tag set gone_at = now() where repository_id = ? and gone_at is null and last_seen_at < ? returning id")
            .param(repositoryId)
            .param(at)
            .query(UUID.class)
            .list();
    for (UUID tag : goneTags) {
      jdbc.sql("update tag_history set until = now() where tag_id = ? and until is null").param(tag).update();
    }
    jdbc.sql("update image set gone_at = now() where repository_id = ? and gone_at is null and last_seen_at < ?")
        .param(repositoryId)
        .param(at)
        .update();
  }

  /** After the whole catalog was read: repositories not in it any more are gone, with everything in them. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void markGoneRepositories(UUID connectionId, Instant since) {
    Timestamp at = Timestamp.from(since);
    List<UUID> gone =
        jdbc.sql(
                "update container_repository set gone_at = now() where connection_id = ? and gone_at is null"
                    + " and last_seen_at < ? returning id")
            .param(connectionId)
            .param(at)
            .query(UUID.class)
            .list();
    gone.forEach(this::goneRepository);
  }

  /** A repository the registry no longer has: it, its tags (closing their history) and its images are gone. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void repositoryGone(UUID repositoryId) {
    jdbc.sql("update container_repository set gone_at = coalesce(gone_at, now()) where id = ?").param(repositoryId).update();
    goneRepository(repositoryId);
  }

  private void goneRepository(UUID repository) {
    jdbc.sql(
            "update tag_history set until = now() where until is null"
                + " and tag_id in (select id from tag where repository_id = ?)")
        .param(repository)
        .update();
    jdbc.sql("update tag set gone_at = now() where repository_id = ? and gone_at is null").param(repository).update();
    jdbc.sql("update image set gone_at = now() where repository_id = ? and gone_at is null").param(repository).update();
  }

  /** A run: its id and when it started (the database's clock, which the seen/gone marks compare with). */
  record Run(UUID id, Instant startedAt) {}

  /** Running totals of a run. */
  static final class Counts {
    int repositories;
    int images;
    int tags;
    int failures;
  }

  /** An image row to store. */
  record StoredImage(
      String digest,
      String mediaType,
      boolean index,
      String indexDigest,
      String platform,
      Long size,
      Instant created,
      String configDigest,
      String layersJson) {}
}
