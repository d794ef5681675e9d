package io.portcullis.registry.internal;

import io.portcullis.registry.Connection;
import io.portcullis.registry.Connections;
import io.portcullis.registry.RegistryEvents.DiscoveryFinished;
import io.portcullis.scanner.image.Descriptor;
import io.portcullis.scanner.image.ImageConfig;
import io.portcullis.scanner.image.ManifestDocument;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistrySource;
import io.portcullis.scanner.image.RegistrySource.FetchedManifest;
import io.portcullis.scanner.image.registry.Names;
import io.portcullis.tenancy.TenantScope;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Discovery of one connection: catalog → repositories (filtered) → tags → manifests by digest → for an index, each
 * platform manifest → config. Everything found is stored as it is found; what the registry no longer has is marked gone,
 * never deleted. A repository that fails is counted and skipped; a catalog that fails fails the run, marks the connection
 * unhealthy with the reason, and touches nothing else.
 */
@Component
public class Discovery {

  static final int MAX_PLATFORMS = 64;
  static final long MAX_CONFIG_BYTES = 1 << 20;

  private static final Logger log = LoggerFactory.getLogger(Discovery.class);

  private final Connections connections;
  private final RegistrySources sources;
  private final DiscoveryStore store;
  private final ApplicationEventPublisher events;
  private final JsonMapper json;

  Discovery(
      Connections connections,
      RegistrySources sources,
      DiscoveryStore store,
      ApplicationEventPublisher events,
      JsonMapper json) {
    this.json = json;
    this.connections = connections;
    this.sources = sources;
    this.store = store;
    this.events = events;
  }

  /** How a discovery was asked for. */
  public enum Trigger {
    MANUAL,
    SCHEDULE,
    PUSH_EVENT
  }

  /**
   * Discovers a connection of the tenant in scope, or just one repository of it. Returns the run id, or empty when a run
   * is already going for that connection.
   */
  public Optional<UUID> run(UUID connectionId, Trigger trigger, String onlyRepository) {
    UUID tenant = TenantScope.require();
    Connection connection =
        connections.find(connectionId).orElseThrow(() -> new Connections.UnknownConnectionException(connectionId));
    Optional<DiscoveryStore.Run> started = store.start(connectionId, trigger.name(), onlyRepository);
    if (started.isEmpty()) {
      return Optional.empty();
    }
    DiscoveryStore.Run run = started.get();
    DiscoveryStore.Counts counts = new DiscoveryStore.Counts();
    String error = null;
    try {
      RegistrySource source = sources.open(connection);
      RepositoryFilter filter = RepositoryFilter.of(connection.includeRepositories(), connection.excludeRepositories());
      List<String> repositories = new ArrayList<>();
      if (onlyRepository != null) {
        // a push event names one repository; the connection's filters still decide whether it is wanted
        if (Names.isRepository(onlyRepository) && filter.accepts(onlyRepository)) {
          repositories.add(onlyRepository);
        }
      } else {
        source.repositories(
            name -> {
              if (Names.isRepository(name) && filter.accepts(name)) {
                repositories.add(name);
              }
            });
      }
      store.progress(run.id(), counts, repositories.size());
      for (String repository : repositories) {
        discoverRepository(source, connectionId, repository, counts);
        counts.repositories++;
        store.progress(run.id(), counts, null);
      }
      if (onlyRepository == null) {
        store.markGoneRepositories(connectionId, run.startedAt());
      }
      connections.recordHealth(connectionId, true, null);
    } catch (RegistryException e) {
      error = e.getMessage();
      connections.recordHealth(connectionId, false, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("Discovery of connection {} failed", connectionId, e);
      error = "internal error: " + e.getClass().getSimpleName();
      connections.recordHealth(connectionId, false, error);
    } finally {
      store.finish(run.id(), connectionId, counts, error);
    }
    events.publishEvent(
        new DiscoveryFinished(
            tenant, connectionId, run.id(), counts.repositories, counts.images, counts.tags, counts.failures, error,
            trigger.name()));
    return Optional.of(run.id());
  }

  private void discoverRepository(RegistrySource source, UUID connectionId, String repository, DiscoveryStore.Counts counts) {
    List<String> tags = new ArrayList<>();
    try {
      source.tags(repository, tag -> {
        if (Names.isTag(tag)) {
          tags.add(tag);
        }
      });
    } catch (RegistryException e) {
      if (e.kind() == RegistryException.Kind.NOT_FOUND) {
        // deleted between catalog and tags, or a push event named a repository that is gone
        store.findRepository(connectionId, repository).ifPresent(store::repositoryGone);
        return;
      }
      counts.failures++;
      log.info("Repository {} of connection {} skipped: {}", repository, connectionId, e.getMessage());
      return;
    }
    DiscoveryStore.Seen seen = store.repository(connectionId, repository);
    UUID repositoryId = seen.id();
    boolean complete = true;
    for (String tag : tags) {
      try {
        FetchedManifest manifest = source.manifest(repository, tag);
        storeImage(source, repositoryId, repository, manifest, null, null, counts);
        store.tag(repositoryId, tag, manifest.digest().toString());
        counts.tags++;
      } catch (RegistryException e) {
        complete = false;
        counts.failures++;
        log.info("Tag {}:{} of connection {} skipped: {}", repository, tag, connectionId, e.getMessage());
      }
    }
    if (complete) {
      store.markGoneInRepository(repositoryId, seen.at());
    }
  }

  private void storeImage(
      RegistrySource source,
      UUID repositoryId,
      String repository,
      FetchedManifest fetched,
      String indexDigest,
      String platform,
      DiscoveryStore.Counts counts)
      throws RegistryException {
    String digest = fetched.digest().toString();
    if (store.touchImage(repositoryId, digest)) {
      return;
    }
    if (fetched.document() instanceof ManifestDocument.Index index) {
      store.image(
          repositoryId,
          new DiscoveryStore.StoredImage(
              digest, fetched.mediaType(), true, null, null, (long) fetched.bytes().length, null, null, "[]"));
      counts.images++;
      for (Descriptor entry : index.manifests().subList(0, Math.min(index.manifests().size(), MAX_PLATFORMS))) {
        FetchedManifest child = source.manifest(repository, entry.digest().toString());
        if (child.document() instanceof ManifestDocument.Image) {
          String entryPlatform = entry.platform() == null ? null : entry.platform().toString();
          storeImage(source, repositoryId, repository, child, digest, entryPlatform, counts);
        }
      }
    } else if (fetched.document() instanceof ManifestDocument.Image image) {
      ImageConfig config = config(source, repository, image);
      String resolvedPlatform =
          platform != null || config == null || config.platform() == null ? platform : config.platform().toString();
      store.image(
          repositoryId,
          new DiscoveryStore.StoredImage(
              digest,
              fetched.mediaType(),
              false,
              indexDigest,
              resolvedPlatform,
              image.size(),
              config == null ? null : config.created(),
              image.config().digest().toString(),
              layersJson(image)));
      counts.images++;
    }
  }

  private ImageConfig config(RegistrySource source, String repository, ManifestDocument.Image image) throws RegistryException {
    try (InputStream in = source.blob(repository, image.config().digest(), MAX_CONFIG_BYTES)) {
      return ImageConfig.parse(in.readAllBytes());
    } catch (IOException | IllegalArgumentException e) {
      throw new RegistryException(
          RegistryException.Kind.MALFORMED, "the image config " + image.config().digest() + " could not be read: " + e.getMessage(), e);
    }
  }

  private String layersJson(ManifestDocument.Image image) {
    List<Map<String, Object>> layers = new ArrayList<>();
    for (Descriptor layer : image.layers()) {
      layers.add(Map.of("digest", layer.digest().toString(), "size", layer.size(), "mediaType", String.valueOf(layer.mediaType())));
    }
    return json.writeValueAsString(layers);
  }
}
