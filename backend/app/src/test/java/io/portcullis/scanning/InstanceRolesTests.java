package io.portcullis.scanning;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import io.portcullis.LocalModeTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

/**
 * An instance with neither role switched on serves no pages and runs no jobs, yet can still queue them: how a
 * web-only or worker-only deployment is put together.
 */
@LocalModeTest
@TestPropertySource(properties = {"portcullis.web.enabled=false", "portcullis.worker.enabled=false"})
class InstanceRolesTests {

  @Autowired ApplicationContext context;
  @LocalServerPort int port;

  @Test
  void withoutTheWorkerRoleJobsAreQueuedButNotRun() {
    assertThat(context.getBeansOfType(Scheduler.class)).isEmpty();
    assertThat(context.getBean(SchedulerClient.class)).isNotNull();
  }

  @Test
  void withoutTheWebRoleNoPageIsServed() throws Exception {
    for (String path : new String[] {"/", "/login", "/scans", "/hooks/registries/x/acr"}) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.body()).contains("runs jobs only");
    }
  }
}
