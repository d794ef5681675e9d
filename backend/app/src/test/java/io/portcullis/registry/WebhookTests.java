package io.portcullis.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.portcullis.LocalModeTest;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

/** Push events: authenticated by the connection's secret, parsed within limits, recorded in the connection's tenant. */
@LocalModeTest
@AutoConfigureMockMvc
class WebhookTests {

  static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Autowired MockMvc mvc;
  @Autowired Tenants tenants;
  @Autowired Connections connections;
  @Autowired RegistryViews views;
  @Autowired JdbcClient jdbc;

  UUID tenant;
  UUID connection;
  String secret;

  @BeforeEach
  void connection() {
    tenant = tenants.onboard(UUID.randomUUID().toString(), "Hooks Ltd", "test").tenantId();
    var added =
        TenantScope.callAs(
            tenant,
            () ->
                connections.add(
                    new ConnectionSpec(
                        "hooks", ConnectionKind.ACR, "hooks.azurecr.io", Authentication.ACR_TOKEN, "puller", null, "token-password",
                        null, List.of(), List.of(), Duration.ofHours(1)),
                    "admin@hooks.example"));
    connection = added.connection().id();
    secret = added.webhookSecret();
  }

  @Test
  void aValidAcrPushIsRecordedInTheConnectionsTenant() throws Exception {
    MockHttpServletResponse response = acr(secret, acrPush("team/app", "1.0"));
    assertThat(response.getStatus()).isEqualTo(202);
    var events = TenantScope.callAs(tenant, () -> views.pushEvents(connection, 10));
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.source()).isEqualTo("ACR_WEBHOOK");
      assertThat(e.action()).isEqualTo("push");
      assertThat(e.repository()).isEqualTo("team/app");
      assertThat(e.tag()).isEqualTo("1.0");
      assertThat(e.digest()).isEqualTo(DIGEST);
    });
  }

  @Test
  void aPushTriggersDiscoveryOfThatRepository() throws Exception {
    acr(secret, acrPush("team/app", "1.0"));
    List<RegistryViews.RunRow> runs = List.of();
    for (int i = 0; i < 100 && runs.stream().noneMatch(r -> !r.running()); i++) {
      Thread.sleep(100);
      runs = TenantScope.callAs(tenant, () -> views.runs(connection, 10));
    }
    assertThat(runs).anySatisfy(r -> {
      assertThat(r.trigger()).isEqualTo("PUSH_EVENT");
      assertThat(r.repository()).isEqualTo("team/app");
    });
  }

  @Test
  void aWrongOrMissingSecretIsRefusedAndRecordsNothing() throws Exception {
    for (String wrong : new String[] {null, "", "not-the-secret", secret + "x"}) {
      MockHttpServletResponse response = acr(wrong, acrPush("team/app", "1.0"));
      assertThat(response.getStatus()).as("secret %s", wrong).isEqualTo(401);
      assertThat(response.getContentType()).isEqualTo("application/problem+json");
    }
    // another connection's secret does not open this one
    UUID other =
        TenantScope.callAs(
            tenant,
            () ->
                connections.add(
                    new ConnectionSpec("other", ConnectionKind.OCI, "https://other.example", Authentication.ANONYMOUS, null, null, null,
                        null, List.of(), List.of(), Duration.ofHours(1)), "admin").connection().id());
    assertThat(mvc.perform(post("/hooks/registries/" + other + "/acr").header("X-Portcullis-Secret", secret)
            .contentType(MediaType.APPLICATION_JSON).content(acrPush("team/app", "1.0"))).andReturn().getResponse().getStatus())
        .isEqualTo(401);
    assertThat(mvc.perform(post("/hooks/registries/not-a-uuid/acr").header("X-Portcullis-Secret", secret)
            .contentType(MediaType.APPLICATION_JSON).content(acrPush("team/app", "1.0"))).andReturn().getResponse().getStatus())
        .isEqualTo(401);
    assertThat(recorded()).isZero();
  }

  @Test
  void malformedPayloadsAreRefusedWithAReason() throws Exception {
    String[][] cases = {
      {"{not json", "not valid JSON"},
      {"{\"action\":\"push\",\"target\":{\"repository\":\"../../etc\",\"tag\":\"1\"}}", "repository"},
      {"{\"action\":\"push\",\"target\":{\"repository\":\"app\",\"tag\":\"bad tag!\"}}", "tag"},
      {"{\"action\":\"push\",\"target\":{\"repository\":\"app\",\"digest\":\"md5:123\"}}", "digest"},
      {"{\"action\":\"rm -rf\",\"target\":{\"repository\":\"app\"}}", "action"},
      {"[]", "action"},
    };
    for (String[] c : cases) {
      MockHttpServletResponse response = acr(secret, c[0]);
      assertThat(response.getStatus()).as(c[0]).isEqualTo(400);
      assertThat(response.getContentAsString()).as(c[0]).contains(c[1]);
    }
    assertThat(recorded()).isZero();
  }

  @Test
  void anOversizedPayloadIsRefused() throws Exception {
    String huge = "{\"action\":\"push\",\"pad\":\"" + "x".repeat(70_000) + "\",\"target\":{\"repository\":\"app\"}}";
    MockHttpServletResponse response = acr(secret, huge);
    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(response.getContentAsString()).contains("larger than");
    assertThat(recorded()).isZero();
  }

  @Test
  void acrPingIsAnsweredAndNotRecorded() throws Exception {
    assertThat(acr(secret, "{\"action\":\"ping\"}").getStatus()).isEqualTo(200);
    assertThat(recorded()).isZero();
  }

  @Test
  void eventGridValidationHandshake() throws Exception {
    String validation =
        """
        [{"id":"2d1781af-3a4c-4d7c-bd0c-e34b19da4e66","topic":"/subscriptions/x","subject":"",
          "data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6","validationUrl":"https://example"},
          "eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-11-30T01:00:00Z","dataVersion":"1"}]
        """;
    MockHttpServletResponse response = eventGrid(secret, validation);
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getContentAsString()).isEqualTo("{\"validationResponse\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\"}");
    assertThat(eventGrid("wrong", validation).getStatus()).isEqualTo(401);
    assertThat(recorded()).isZero();
  }

  @Test
  void eventGridPushAndDeleteEventsAreRecorded() throws Exception {
    String events =
        """
        [{"id":"e1","eventType":"Microsoft.ContainerRegistry.ImagePushed","eventTime":"2026-11-30T01:00:00.1234567Z",
          "data":{"id":"x","action":"push","target":{"repository":"team/api","tag":"2.0","digest":"%s"}}},
         {"id":"e2","eventType":"Microsoft.ContainerRegistry.ImageDeleted","eventTime":"2026-11-30T01:01:00Z",
          "data":{"action":"delete","target":{"repository":"team/api","digest":"%s"}}},
         {"id":"e3","eventType":"Microsoft.ContainerRegistry.ChartPushed","data":{}}]
        """.formatted(DIGEST, DIGEST);
    MockHttpServletResponse response = eventGrid(secret, events);
    assertThat(response.getStatus()).isEqualTo(202);
    assertThat(response.getContentAsString()).contains("\"recorded\":2");
    var recorded = TenantScope.callAs(tenant, () -> views.pushEvents(connection, 10));
    assertThat(recorded).extracting(RegistryViews.PushEventRow::action).containsExactlyInAnyOrder("push", "delete");
    assertThat(recorded).allSatisfy(e -> assertThat(e.source()).isEqualTo("EVENT_GRID"));
  }

  @Test
  void aRotatedSecretReplacesTheOldOne() throws Exception {
    String fresh = TenantScope.callAs(tenant, () -> connections.rotateWebhookSecret(connection, "admin"));
    assertThat(acr(secret, acrPush("team/app", "1.0")).getStatus()).isEqualTo(401);
    assertThat(acr(fresh, acrPush("team/app", "1.0")).getStatus()).isEqualTo(202);
  }

  private long recorded() {
    return TenantScope.callAs(tenant, () -> views.pushEvents(connection, 100).size());
  }

  private MockHttpServletResponse acr(String secret, String body) throws Exception {
    var request = post("/hooks/registries/" + connection + "/acr").contentType(MediaType.APPLICATION_JSON).content(body);
    if (secret != null) {
      request.header("X-Portcullis-Secret", secret);
    }
    return mvc.perform(request).andReturn().getResponse();
  }

  private MockHttpServletResponse eventGrid(String secret, String body) throws Exception {
    return mvc.perform(
            post("/hooks/registries/" + connection + "/event-grid")
                .header("X-Portcullis-Secret", secret)
                .header("aeg-event-type", "Notification")
                .contentType(MediaType.APPLICATION_JSON)
                .content(body))
        .andReturn()
        .getResponse();
  }

  private static String acrPush(String repository, String tag) {
    return """
        {"id":"cb8c3971-9adc-488b-xxxx-43cbb4974ff5","timestamp":"2026-11-30T01:00:00.2348112Z","action":"push",
         "target":{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","size":524,"digest":"%s",
                   "length":524,"repository":"%s","tag":"%s"},
         "request":{"id":"3cbb6949-7549-4fa1-xxxx-a6d5451dffc7","host":"hooks.azurecr.io","method":"PUT","useragent":"docker/17"}}
        """.formatted(DIGEST, repository, tag);
  }
}
