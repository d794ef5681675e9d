package io.portcullis.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import io.portcullis.LocalModeTest;
import io.portcullis.registry.Authentication;
import io.portcullis.registry.ConnectionKind;
import io.portcullis.registry.ConnectionSpec;
import io.portcullis.registry.Connections;
import io.portcullis.registry.RegistryViews;
import io.portcullis.scanner.testing.TestImages;
import io.portcullis.scanner.testing.TestRegistry;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The schedule finds due connections across tenants and discovers each in its own tenant. */
@LocalModeTest
class DiscoveryScheduleTests {

  @Autowired Tenants tenants;
  @Autowired Connections connections;
  @Autowired RegistryViews views;
  @Autowired SchedulerClient queue;
  @Autowired JdbcClient jdbc;

  @Test
  void dueConnectionsOfEveryTenantAreDiscoveredInTheirOwnTenant() throws Exception {
    try (TestRegistry registry = TestRegistry.anonymous()) {
      new TestImages(registry).push("scheduled/app", "1", TestImages.image("amd64"));
      UUID tenantA = tenants.onboard(UUID.randomUUID().toString(), "Sched A", "test").tenantId();
      UUID tenantB = tenants.onboard(UUID.randomUUID().toString(), "Sched B", "test").tenantId();
      UUID a = add(tenantA, "a", registry, true);
      UUID b = add(tenantB, "b", registry, true);
      UUID disabled = add(tenantB, "off", registry, false);

      DiscoverySchedule.queueDue(jdbc, queue);

      waitForRun(tenantA, a);
      waitForRun(tenantB, b);
      TenantScope.runAs(tenantA, () -> {
        assertThat(views.runs(a, 5)).singleElement().satisfies(r -> assertThat(r.trigger()).isEqualTo("SCHEDULE"));
        assertThat(views.repositories(a, 5)).extracting(RegistryViews.RepositoryRow::name).contains("scheduled/app");
        assertThat(views.runs(b, 5)).isEmpty(); // tenant A cannot see B's runs
      });
      TenantScope.runAs(tenantB, () -> assertThat(views.runs(disabled, 5)).isEmpty());

      // discovered just now: not due again until the interval has passed
      DiscoverySchedule.queueDue(jdbc, queue);
      Thread.sleep(500);
      TenantScope.runAs(tenantA, () -> assertThat(views.runs(a, 5)).hasSize(1));
    }
  }

  private UUID add(UUID tenant, String name, TestRegistry registry, boolean enabled) {
    return TenantScope.callAs(tenant, () -> {
      UUID id = connections.add(new ConnectionSpec(name, ConnectionKind.OCI, registry.url().toString(), Authentication.ANONYMOUS,
          null, null, null, null, List.of(), List.of(), Duration.ofHours(1)), "test").connection().id();
      if (!enabled) {
        connections.enable(id, false, "test");
      }
      return id;
    });
  }

  private void waitForRun(UUID tenant, UUID connection) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      boolean finished = TenantScope.callAs(tenant, () -> views.runs(connection, 1).stream().anyMatch(r -> !r.running()));
      if (finished) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no finished discovery of " + connection);
  }
}
