package io.portcullis.findings;

import static io.portcullis.api.ApiClient.assertProblem;
import static io.portcullis.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.LocalModeTest;
import io.portcullis.api.ApiClient;
import io.portcullis.api.ApiScope;
import io.portcullis.api.ApiTokens;
import io.portcullis.api.TenantData;
import io.portcullis.tenancy.Tenants;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;

/** The findings API as a ticketing system uses it: list by cursor with filters, read one, triage, VEX. */
@LocalModeTest
class FindingApiTests {

  @LocalServerPort int port;
  @Autowired Tenants tenants;
  @Autowired ApiTokens tokens;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;

  @Test
  void aTicketingSystemPagesThroughFindingsAndTriagesOne() throws Exception {
    ApiClient api = new ApiClient(port);
    TenantData shop = new TenantData(tenants, jdbc, transactionManager, "Api Shop");
    UUID registry = shop.registry("Shop ACR");
    UUID repository = shop.repository(registry, "shop/api");
    UUID image = shop.image(repository, "linux/amd64", "v1");
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(shop.finding(image, "CVE-2099-000" + i));
    }
    String reader = shop.token(tokens, ApiScope.READ);
    String writer = shop.token(tokens, ApiScope.READ_WRITE);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<String> page = api.get("/api/v1/findings?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
          reader);
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      JsonNode body = json(page);
      body.path("items").forEach(item -> {
        seen.add(item.path("id").asString());
        assertThat(item.path("risk").asInt()).isEqualTo(48); // CVSS 7.5 → 37.5, fix known → 10
        assertThat(item.path("image").path("repository").asString()).isEqualTo("shop/api");
        assertThat(item.path("pkg").path("name").asString()).isEqualTo("left-pad");
      });
      cursor = body.path("next").isNull() || body.path("next").isMissingNode() ? null : body.path("next").asString();
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(5).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(ids.stream().map(UUID::toString).toList());
    assertThat(json(api.get("/api/v1/findings?q=CVE-2099-0003", reader)).path("items")).hasSize(1);
    assertThat(json(api.get("/api/v1/findings?severity=CRITICAL", reader)).path("items")).isEmpty();
    assertThat(json(api.get("/api/v1/findings?repositoryName=SHOP%2F", reader)).path("items")).hasSize(5);
    assertThat(json(api.get("/api/v1/findings?repositoryName=shop%2Fweb", reader)).path("items")).isEmpty();
    assertProblem(api.get("/api/v1/findings?cursor=bm9wZQ", reader), 400);

    UUID target = ids.get(3);
    // a read token cannot write
    assertProblem(api.send("POST", "/api/v1/findings/" + target + "/triage", reader, "application/json",
        "{\"state\": \"IN_TRIAGE\"}"), 403);
    // an invalid decision says what is wrong, field by field
    JsonNode invalid = assertProblem(api.send("POST", "/api/v1/findings/" + target + "/triage", writer,
        "application/json", "{\"state\": \"ACCEPTED_RISK\"}"), 400);
    assertThat(invalid.path("errors").has("justification")).isTrue();
    assertThat(invalid.path("errors").has("expiresAt")).isTrue();

    String expires = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    HttpResponse<String> decided = api.send("POST", "/api/v1/findings/" + target + "/triage", writer,
        "application/json", "{\"state\": \"ACCEPTED_RISK\", \"justification\": \"ticket SEC-42: compensating WAF rule\","
            + " \"expiresAt\": \"" + expires + "\"}");
    assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
    assertThat(json(decided).path("changed").asInt()).isEqualTo(1);
    assertThat(json(decided).path("finding").path("state").asString()).isEqualTo("ACCEPTED_RISK");

    JsonNode detail = json(api.get("/api/v1/findings/" + target, reader));
    assertThat(detail.path("risk").path("total").asInt()).isEqualTo(48);
    assertThat(detail.path("risk").path("severity").asDouble()).isEqualTo(37.5);
    assertThat(detail.path("history").get(0).path("to").asString()).isEqualTo("ACCEPTED_RISK");
    assertThat(detail.path("history").get(0).path("actor").asString()).startsWith("api-token:pcl_");
    assertThat(detail.path("history").get(0).path("justification").asString()).contains("SEC-42");
    // decided away: the default list no longer has it
    assertThat(json(api.get("/api/v1/findings", reader)).path("items")).hasSize(4);
    assertThat(json(api.get("/api/v1/findings?state=accepted_risk", reader)).path("items")).hasSize(1);

    HttpResponse<String> openVex = api.get("/api/v1/vex/openvex", reader);
    assertThat(openVex.statusCode()).isEqualTo(200);
    assertThat(json(openVex).path("statements").get(0).path("status").asString()).isEqualTo("affected");
    assertThat(api.get("/api/v1/vex/cyclonedx", reader).body()).contains("\"exploitable\"");
    assertProblem(api.get("/api/v1/findings/" + UUID.randomUUID(), reader), 404);
  }
}
