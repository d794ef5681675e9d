package io.portcullis.registry.internal;

import io.portcullis.registry.Connection;
import io.portcullis.registry.Connections;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistrySource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * "Test connection": reads a little of everything discovery needs — the catalog, one repository's tags, one manifest —
 * and says what was reachable or exactly where it failed. The connection's health is updated with the outcome.
 */
@Component
public class ConnectionCheck {

  static final int SAMPLE = 5;

  private final Connections connections;
  private final RegistrySources sources;

  ConnectionCheck(Connections connections, RegistrySources sources) {
    this.connections = connections;
    this.sources = sources;
  }

  /** What a check found. {@code failedStep} and {@code error} are null when every step worked. */
  public record Result(
      List<String> repositories, String repository, List<String> tags, String manifestDigest, String manifestType,
      String failedStep, String error) {

    public boolean ok() {
      return error == null;
    }
  }

  public Result check(UUID connectionId) {
    Connection connection =
        connections.find(connectionId).orElseThrow(() -> new Connections.UnknownConnectionException(connectionId));
    List<String> repositories = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    String step = "connect";
    try {
      RegistrySource source = sources.open(connection);
      step = "catalog";
      sample(each -> source.repositories(each), repositories);
      if (repositories.isEmpty()) {
        connections.recordHealth(connectionId, true, null);
        return new Result(repositories, null, tags, null, null, null, null);
      }
      String repository = repositories.get(0);
      step = "tags of " + repository;
      sample(each -> source.tags(repository, each), tags);
      String digest = null;
      String type = null;
      if (!tags.isEmpty()) {
        step = "manifest " + repository + ":" + tags.get(0);
        var manifest = source.manifest(repository, tags.get(0));
        digest = manifest.digest().toString();
        type = manifest.mediaType();
      }
      connections.recordHealth(connectionId, true, null);
      return new Result(repositories, repository, tags, digest, type, null, null);
    } catch (RegistryException e) {
      connections.recordHealth(connectionId, false, e.getMessage());
      return new Result(repositories, null, tags, null, null, step, e.getMessage());
    }
  }

  /** Collects the first few names and stops the listing there: a check should not page through a huge catalog. */
  private static void sample(Listing listing, List<String> into) throws RegistryException {
    try {
      listing.list(
          name -> {
            into.add(name);
            if (into.size() >= SAMPLE) {
              throw new Enough();
            }
          });
    } catch (Enough enough) {
      // the sample is complete
    }
  }

  @FunctionalInterface
  private interface Listing {
    void list(Consumer<String> each) throws RegistryException;
  }

  private static final class Enough extends RuntimeException {
    Enough() {
      super(null, null, false, false);
    }
  }
}
