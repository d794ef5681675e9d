package io.portcullis.registry;

import io.portcullis.registry.internal.RegistrySources;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistrySource;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reading images from the registries of the tenant in scope: where an image lives, and a client for its connection
 * within the connection's request limits (its credential opened for the call and never kept).
 */
@Service
public class RegistryReader {

  private final JdbcClient jdbc;
  private final Connections connections;
  private final RegistrySources sources;

  RegistryReader(JdbcClient jdbc, Connections connections, RegistrySources sources) {
    this.jdbc = jdbc;
    this.connections = connections;
    this.sources = sources;
  }

  /**
   * Where an image is: its connection, repository and digest; {@code index} for a multi-platform list (whose platform
   * manifests are images of their own); {@code gone} when the registry no longer has it.
   */
  public record ImageLocation(UUID imageId, UUID connectionId, boolean connectionEnabled, String repository,
      String digest, boolean index, boolean gone) {}

  @Transactional(readOnly = true)
  public Optional<ImageLocation> locate(UUID imageId) {
    return jdbc.sql(
            """
            select i.id, r.connection_id, c.enabled, r.name, i.digest, i.is_index, i.gone_at is not null as gone
              from image i join container_repository r on r.id = i.repository_id
                   join registry_connection c on c.id = r.connection_id
             where i.id = ?
            """)
        .param(imageId)
        .query((rs, i) -> new ImageLocation(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getBoolean(3),
            rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getBoolean(7)))
        .optional();
  }

  /** A client for the connection, within its request limits. */
  public RegistrySource open(UUID connectionId) throws RegistryException {
    Connection connection =
        connections.find(connectionId).orElseThrow(() -> new Connections.UnknownConnectionException(connectionId));
    return sources.open(connection);
  }

  /** Records whether the registry answered: a registry that is down shows as unhealthy until it answers again. */
  public void recordHealth(UUID connectionId, boolean healthy, String reason) {
    connections.recordHealth(connectionId, healthy, reason);
  }
}
