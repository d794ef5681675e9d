package io.portcullis.registry.internal;

import io.portcullis.registry.internal.Discovery.Trigger;
import io.portcullis.tenancy.TenantScope;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Runs discoveries in the background, a few at a time, each bound to the tenant that asked for it. A stand-in for the
 * worker pool on PostgreSQL that takes this over later; a full queue refuses work rather than growing without bound.
 */
@Component
public class DiscoveryRunner implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(DiscoveryRunner.class);

  private final Discovery discovery;
  private final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

  DiscoveryRunner(Discovery discovery, RegistryProperties properties) {
    this.discovery = discovery;
    executor.setThreadNamePrefix("discovery-");
    executor.setCorePoolSize(properties.discoveryThreads());
    executor.setMaxPoolSize(properties.discoveryThreads());
    executor.setQueueCapacity(1000);
    executor.initialize();
  }

  /** Queues a discovery of {@code connectionId} (or of one repository) for {@code tenant}; false when the queue is full. */
  public boolean submit(UUID tenant, UUID connectionId, Trigger trigger, String repository) {
    try {
      executor.execute(
          () -> {
            try (var logTenant = MDC.putCloseable("tenant", tenant.toString())) {
              TenantScope.runAs(tenant, () -> discovery.run(connectionId, trigger, repository));
            } catch (RuntimeException e) {
              log.warn("Discovery of connection {} could not run", connectionId, e);
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      log.warn("Discovery queue is full; connection {} will be discovered later", connectionId);
      return false;
    }
  }

  @Override
  public void destroy() {
    executor.shutdown();
  }
}
