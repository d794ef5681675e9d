package io.portcullis.scanning.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.scanner.analysis.ImageAnalysis.ImageException;
import io.portcullis.scanner.analysis.LayerCache;
import io.portcullis.scanner.analysis.LayerCodec;
import io.portcullis.scanner.image.LayerContents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The layer cache in PostgreSQL, shared by every instance and every tenant (reference data: content-addressed, never
 * shown per tenant). A layer missing from it is read by one worker at a time across the cluster — the others wait on
 * a PostgreSQL advisory lock for that layer and then take its result — so a base layer shared by a hundred images is
 * pulled once. The lock is a session lock: a worker that dies releases it with its connection.
 *
 * <p>An entry written for other analyzer versions still serves when every analyzer whose version changed touched no
 * file of the layer ({@link LayerCache#reuse}).
 */
@Component
public class PostgresLayerCache implements LayerCache {

  private static final Logger log = LoggerFactory.getLogger(PostgresLayerCache.class);
  private static final int MAX_ENTRY_BYTES = 64 << 20;

  private final JdbcClient jdbc;
  private final DataSource dataSource;
  private final Counter hits;
  private final Counter misses;

  PostgresLayerCache(JdbcClient jdbc, DataSource dataSource, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.dataSource = dataSource;
    this.hits = Counter.builder("portcullis.layers.cache").tag("result", "hit")
        .description("Layers whose analysis came from the cache (hit) or had to be read (miss)").register(meters);
    this.misses = Counter.builder("portcullis.layers.cache").tag("result", "miss")
        .description("Layers whose analysis came from the cache (hit) or had to be read (miss)").register(meters);
  }

  @Override
  public Optional<LayerContents> get(Key key) {
    Optional<Row> row = jdbc.sql("select analyzers, contents from layer_analysis where layer_digest = ?")
        .param(key.layer().toString())
        .query((rs, i) -> new Row(rs.getString(1), rs.getBytes(2)))
        .optional();
    return row.flatMap(r -> decode(r.contents())
        .filter(stored -> stored.layer().equals(key.layer()))
        .flatMap(stored -> LayerCache.reuse(r.analyzers(), stored.contents(), key.analyzers())));
  }

  private record Row(String analyzers, byte[] contents) {}

  @Override
  public void put(Key key, LayerContents contents) {
    byte[] encoded = encode(LayerCodec.write(key, contents));
    if (encoded.length > MAX_ENTRY_BYTES) {
      log.info("layer {} analysis is {} bytes compressed, more than the cache keeps", key.layer(), encoded.length);
      return;
    }
    jdbc.sql(
            """
            insert into layer_analysis (layer_digest, analyzers, touched_by, contents)
            values (?, ?, ?, ?)
            on conflict (layer_digest) do update
              set analyzers = excluded.analyzers, touched_by = excluded.touched_by, contents = excluded.contents,
                  analysed_at = now(), used_at = now()
            """)
        .params(key.layer().toString(), key.analyzers(), contents.touchedBy().toArray(String[]::new), encoded)
        .update();
  }

  /** A layer found in the cache, or read by this worker while the others wait for it. */
  public record Loaded(LayerContents contents, boolean cached) {}

  @Override
  public LayerContents load(Key key, Reader reader) throws ImageException {
    return loadCounted(key, reader).contents();
  }

  public Loaded loadCounted(Key key, Reader reader) throws ImageException {
    Optional<LayerContents> cached = get(key);
    if (cached.isPresent()) {
      hits.increment();
      return new Loaded(cached.get(), true);
    }
    try (Connection lock = dataSource.getConnection()) {
      lock.setAutoCommit(true);
      advisory(lock, "select pg_advisory_lock(hashtextextended(?, 0))", key.layer().toString());
      try {
        // another worker may have read it while this one waited
        cached = get(key);
        if (cached.isPresent()) {
          hits.increment();
          return new Loaded(cached.get(), true);
        }
        LayerContents contents = reader.read();
        put(key, contents);
        misses.increment();
        return new Loaded(contents, false);
      } finally {
        advisory(lock, "select pg_advisory_unlock(hashtextextended(?, 0))", key.layer().toString());
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the layer cache's lock could not be taken: " + e.getMessage(), e);
    }
  }

  private static void advisory(Connection connection, String sql, String digest) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, digest);
      statement.execute();
    }
  }

  private static byte[] encode(byte[] json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(json);
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
    return out.toByteArray();
  }

  private static Optional<LayerCodec.Stored> decode(byte[] gzipped) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      byte[] json = in.readNBytes(MAX_ENTRY_BYTES * 8);
      if (in.read() >= 0) {
        return Optional.empty();
      }
      return LayerCodec.read(json);
    } catch (IOException damaged) {
      return Optional.empty(); // a damaged entry is a miss: the layer is read again and the entry rewritten
    }
  }
}
