package io.portcullis.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.portcullis.LocalModeTest;
import io.portcullis.audit.AuditLog;
import io.portcullis.identity.Role;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The risk formula, the triage state machine (with history, audit and expiry), standing decisions for a package or a
 * repository, the explorer's filters and paging, and that another tenant sees none of it.
 */
@LocalModeTest
@AutoConfigureMockMvc
class TriageTests {

  @Autowired Tenants tenants;
  @Autowired Users users;
  @Autowired Triage triage;
  @Autowired FindingSearch search;
  @Autowired AuditLog audit;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired MockMvc mvc;
  @Autowired Vex vex;
  @Autowired ImageInventories inventories;
  @Autowired ImageDetails details;
  @Autowired RiskOverview overview;

  UUID tenant;
  UUID repository;
  UUID image;
  UUID otherImage;
  UUID log4shell;
  UUID openssl;
  UUID fixed;

  /** A real user of {@code tenant} with {@code role}, as a session would hold them. */
  org.springframework.security.authentication.UsernamePasswordAuthenticationToken signedIn(Users users, UUID tenant,
      Role role) {
    String name = role.appRole() + " User";
    io.portcullis.identity.User user = TenantScope.callAs(tenant,
        () -> users.signedIn("oid-" + role + "-" + tenant, name, role.name().toLowerCase() + "@example.org", role));
    io.portcullis.identity.SignedInUser principal =
        new io.portcullis.identity.SignedInUser(tenant, "Triage", user.id(), name, user.email(), role, null);
    return org.springframework.security.authentication.UsernamePasswordAuthenticationToken.authenticated(
        principal, null, principal.getAuthorities());
  }

  <T> T inTenant(UUID which, java.util.function.Supplier<T> work) {
    return TenantScope.callAs(which, () -> new TransactionTemplate(transactionManager).execute(s -> work.get()));
  }

  @BeforeEach
  void findings() {
    tenant = tenants.onboard(UUID.randomUUID().toString(), "Triage Ltd", "test").tenantId();
    inTenant(tenant, () -> {
      UUID connection = jdbc.sql("insert into registry_connection (tenant_id, name, kind, endpoint, auth, created_by)"
          + " values (app_current_tenant(), 'Shop ACR', 'OCI', 'https://registry.example', 'ANONYMOUS', 't') returning id")
          .query(UUID.class).single();
      repository = jdbc.sql("insert into container_repository (tenant_id, connection_id, name)"
          + " values (app_current_tenant(), ?, 'shop/api') returning id").param(connection).query(UUID.class).single();
      image = image("a");
      otherImage = image("b");
      log4shell = finding(image, "CVE-2021-44228", List.of("CVE-2021-44228", "GHSA-jfh8-c2jp-5v3q"), "maven",
          "org.apache.logging.log4j:log4j-core", "2.14.1", "2.15.0", "CRITICAL", new BigDecimal("10.0"), 0.97f, true,
          "OPEN", 10);
      openssl = finding(image, "CVE-2023-0286", List.of("CVE-2023-0286", "DSA-5343-1"), "deb", "libssl3",
          "3.0.11-1~deb12u1", null, "HIGH", new BigDecimal("7.4"), 0.002f, false, "OPEN", 120);
      jdbc.sql("update finding set package_purl = 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' where id = ?")
          .param(log4shell).update();
      fixed = finding(otherImage, "CVE-2022-0001", List.of("CVE-2022-0001"), "npm", "left-pad", "1.0.0", "1.0.1",
          "LOW", null, null, false, "FIXED", 40);
      return null;
    });
  }

  UUID image(String seed) {
    return jdbc.sql("insert into image (tenant_id, repository_id, digest, media_type, is_index) values"
            + " (app_current_tenant(), ?, ?, 'application/vnd.oci.image.manifest.v1+json', false) returning id")
        .params(repository, "sha256:" + seed.repeat(64)).query(UUID.class).single();
  }

  UUID finding(UUID in, String vulnerability, List<String> identifiers, String type, String name, String version,
      String fixedVersion, String severity, BigDecimal cvss, Float epss, boolean kev, String status, int daysOpen) {
    return jdbc.sql(
            """
            insert into finding (tenant_id, image_id, vulnerability, identifiers, package_key, package_type,
              package_name, package_version, package_path, layer, fixed_version, severity, cvss_score, epss, kev,
              evidence, state, status, opened_at, fixed_at)
            values (app_current_tenant(), ?, ?, ?, ?, ?, ?, ?, 'path', 'sha256:l', ?, ?, ?, ?, ?, '[]', ?, ?,
                    now() - make_interval(days => ?), case when ? = 'FIXED' then now() end)
            returning id
            """)
        .params(in, vulnerability, identifiers.toArray(String[]::new), type + "|" + name + "|" + version, type, name,
            version, fixedVersion, severity, cvss, epss, kev, "0".repeat(64), status, daysOpen, status)
        .query(UUID.class).single();
  }

  @Test
  void theRiskFormulaAddsSeverityExploitationFixAndAge() {
    record Case(String severity, BigDecimal cvss, Float epss, boolean kev, String fixed, int days, int expected) {}
    List<Case> cases = List.of(
        new Case("CRITICAL", new BigDecimal("10.0"), 0.97f, true, "2.15.0", 10, 90),   // 50 + 30 + 10
        new Case("CRITICAL", new BigDecimal("9.8"), null, false, null, 0, 49),         // 49
        new Case("HIGH", null, 0.25f, false, "1.2", 0, 63),                            // 37.5 + 15 + 10 = 62.5 → 63
        new Case("HIGH", new BigDecimal("7.4"), 0.002f, false, null, 120, 47),         // 37 + 0.12 + 10
        new Case("MEDIUM", new BigDecimal("5.0"), 0.6f, false, "x", 45, 70),           // 25 + 30 + 10 + 5
        new Case("LOW", null, null, false, null, 0, 10),
        new Case("UNKNOWN", null, null, false, null, 0, 25),                           // unknown weighs as medium
        new Case("NONE", new BigDecimal("0.0"), null, false, null, 0, 0),
        new Case("CRITICAL", new BigDecimal("10.0"), 1.0f, true, "y", 400, 100));      // capped
    Instant now = Instant.parse("2026-11-30T12:00:00Z");
    for (Case c : cases) {
      int risk = jdbc.sql("select finding_risk(?, ?, ?, ?, ?, ?, ?)")
          .params(c.severity(), c.cvss(), c.epss(), c.kev(), c.fixed(),
              java.sql.Timestamp.from(now.minus(Duration.ofDays(c.days()))), java.sql.Timestamp.from(now))
          .query(Integer.class).single();
      assertThat(risk).as(c.toString()).isEqualTo(c.expected());
    }
    FindingSearch.RiskParts parts = inTenant(tenant, () -> search.risk(log4shell).orElseThrow());
    assertThat(parts.severity()).isEqualTo(50.0);
    assertThat(parts.threat()).isEqualTo(30.0);
    assertThat(parts.fix()).isEqualTo(10.0);
    assertThat(parts.age()).isZero();
    assertThat(parts.total()).isEqualTo(90);
  }

  @Test
  void decisionsFollowTheRulesAndKeepTheirHistory() {
    Instant inAMonth = Instant.now().plus(Duration.ofDays(30));
    // accepted risk needs a justification and an expiry within a year
    assertThatThrownBy(() -> inTenant(tenant, () -> triage.decide(List.of(log4shell),
        new Triage.Decision(TriageState.ACCEPTED_RISK, null, null, inAMonth), "ann@example.org")))
        .isInstanceOf(Triage.InvalidDecisionException.class)
        .satisfies(e -> assertThat(((Triage.InvalidDecisionException) e).problems()).containsKey("justification"));
    assertThatThrownBy(() -> inTenant(tenant, () -> triage.decide(List.of(log4shell),
        new Triage.Decision(TriageState.ACCEPTED_RISK, "WAF rule", null, Instant.now().plus(Duration.ofDays(400))),
        "ann@example.org"))).isInstanceOf(Triage.InvalidDecisionException.class);
    // not affected needs a VEX justification, and a real one
    assertThatThrownBy(() -> inTenant(tenant, () -> triage.decide(List.of(log4shell),
        new Triage.Decision(TriageState.NOT_AFFECTED, null, "because", null), "ann@example.org")))
        .isInstanceOf(Triage.InvalidDecisionException.class);

    Triage.Outcome accepted = inTenant(tenant, () -> triage.decide(List.of(log4shell, fixed),
        new Triage.Decision(TriageState.ACCEPTED_RISK, "JNDI lookups disabled by flag", null, inAMonth),
        "ann@example.org"));
    assertThat(accepted.changed()).isEqualTo(1);
    assertThat(accepted.skipped()).as("a fixed finding is matching's business").isEqualTo(1);
    inTenant(tenant, () -> triage.decide(List.of(openssl),
        new Triage.Decision(TriageState.NOT_AFFECTED, "no TLS server in this image", "vulnerable_code_not_in_execute_path",
            null), "ann@example.org"));

    List<Triage.Change> history = inTenant(tenant, () -> triage.history(log4shell));
    assertThat(history).singleElement().satisfies(c -> {
      assertThat(c.actor()).isEqualTo("ann@example.org");
      assertThat(c.from()).isEqualTo("OPEN");
      assertThat(c.to()).isEqualTo("ACCEPTED_RISK");
      assertThat(c.justification()).isEqualTo("JNDI lookups disabled by flag");
      assertThat(c.expiresAt()).isNotNull();
    });
    assertThat(inTenant(tenant, () -> audit.search(new AuditLog.Filter("finding.triaged", null, null, null, null), 0, 10)
        .events())).hasSize(2);

    // decided away: the default view no longer counts them
    assertThat(inTenant(tenant, () -> search.page(FindingSearch.Query.all(), 1, 50).total())).isZero();
    FindingSearch.Query accepted1 = new FindingSearch.Query(null, null, null, null, null, null, null, null, null, null,
        "accepted_risk", null);
    assertThat(inTenant(tenant, () -> search.page(accepted1, 1, 50).rows())).extracting(FindingSearch.Row::id)
        .containsExactly(log4shell);

    // the expiry passes: the finding reopens by itself, with the reason in its history
    inTenant(tenant, () -> jdbc.sql("update finding set triage_expires_at = now() - interval '1 minute' where id = ?")
        .param(log4shell).update());
    List<UUID> expired = jdbc.sql("select finding_id from findings_with_expired_triage(100) where tenant_id = ?")
        .param(tenant).query(UUID.class).list();
    assertThat(expired).containsExactly(log4shell);
    assertThat(inTenant(tenant, () -> triage.expire(expired))).isEqualTo(1);
    assertThat(inTenant(tenant, () -> triage.history(log4shell)).get(0)).satisfies(c -> {
      assertThat(c.to()).isEqualTo("OPEN");
      assertThat(c.scope()).isEqualTo("EXPIRY");
      assertThat(c.actor()).isEqualTo("system");
    });
    assertThat(inTenant(tenant, () -> search.page(FindingSearch.Query.all(), 1, 50).rows()))
        .extracting(FindingSearch.Row::id).containsExactly(log4shell);
  }

  @Test
  void aDecisionForAPackageReachesFindingsThatOpenLater() {
    Triage.Outcome now = inTenant(tenant, () -> triage.decideForPackage("CVE-2021-44228",
        "org.apache.logging.log4j:log4j-core", new Triage.Decision(TriageState.FALSE_POSITIVE,
            "shaded copy without the JNDI lookup class", null, null), "ann@example.org"));
    assertThat(now.changed()).isEqualTo(1);
    // a new image with the same package turns up and is matched: the decision applies to it too
    UUID later = inTenant(tenant, () -> {
      UUID newImage = image("c");
      UUID id = finding(newImage, "CVE-2021-44228", List.of("CVE-2021-44228"), "maven",
          "org.apache.logging.log4j:log4j-core", "2.14.0", "2.15.0", "CRITICAL", new BigDecimal("10.0"), 0.97f, true,
          "OPEN", 0);
      assertThat(triage.applyStandingDecisions(newImage)).isEqualTo(1);
      return id;
    });
    Map<String, Object> row = inTenant(tenant, () -> jdbc.sql("select triage, triaged_by from finding where id = ?")
        .param(later).query().singleRow());
    assertThat(row).containsEntry("triage", "FALSE_POSITIVE").containsEntry("triaged_by", "ann@example.org");
    assertThat(inTenant(tenant, () -> triage.history(later)).get(0).scope()).isEqualTo("DECISION");

    Triage.Outcome repo = inTenant(tenant, () -> triage.decideForRepository("CVE-2023-0286", repository,
        new Triage.Decision(TriageState.IN_TRIAGE, null, null, null), "ann@example.org"));
    assertThat(repo.changed()).isEqualTo(1);
  }

  @Test
  void theExplorerFiltersByWhatATeamAsksAndPagesByCursor() {
    FindingSearch.Query kev = new FindingSearch.Query(null, true, null, null, null, null, null, null, null, null, null,
        null);
    assertThat(inTenant(tenant, () -> search.page(kev, 1, 50).rows())).extracting(FindingSearch.Row::id)
        .containsExactly(log4shell);
    // an alias finds the finding named by its CVE
    FindingSearch.Query alias = new FindingSearch.Query(null, null, null, null, null, null, "dsa-5343", null, null,
        null, "all", null);
    assertThat(inTenant(tenant, () -> search.page(alias, 1, 50).rows())).extracting(FindingSearch.Row::id)
        .containsExactly(openssl);
    // the package name is searched too; a match never spans two identifiers, and wildcards are taken as written
    for (String text : List.of("libssl", "0286 dsa", "5343-1 libssl", "cve_2023", "cve%0286")) {
      FindingSearch.Query q = new FindingSearch.Query(null, null, null, null, null, null, text, null, null, null,
          "all", null);
      assertThat(inTenant(tenant, () -> search.page(q, 1, 50).rows())).as(text).extracting(FindingSearch.Row::id)
          .isEqualTo(text.equals("libssl") ? List.of(openssl) : List.of());
    }
    // a repository by part of its name, any case; the filter's wildcards are taken as written
    for (String name : List.of("SHOP/", "op/ap", "shop/api", "shop_api", "shop%api", "nowhere")) {
      FindingSearch.Query q = new FindingSearch.Query(null, null, null, null, null, null, null, null, null, null,
          "all", null, name);
      assertThat(inTenant(tenant, () -> search.page(q, 1, 50).total())).as(name)
          .isEqualTo(name.matches("(?i)shop/|op/ap|shop/api") ? 3L : 0L);
    }
    FindingSearch.Query high = new FindingSearch.Query(List.of("HIGH", "BOGUS"), null, false, null, "deb", "ssl", null,
        null, repository, image, null, "severity");
    assertThat(inTenant(tenant, () -> search.page(high, 1, 50).rows())).extracting(FindingSearch.Row::id)
        .containsExactly(openssl);
    FindingSearch.Query everything = new FindingSearch.Query(null, null, null, null, null, null, null, null, null, null,
        "all", null);
    List<FindingSearch.Row> first = inTenant(tenant, () -> search.after(everything, null, null, 2));
    assertThat(first).extracting(FindingSearch.Row::id).containsExactly(log4shell, openssl);
    assertThat(first.get(0).risk()).isGreaterThanOrEqualTo(first.get(1).risk());
    List<FindingSearch.Row> second = inTenant(tenant,
        () -> search.after(everything, first.get(1).risk(), first.get(1).id(), 2));
    assertThat(second).extracting(FindingSearch.Row::id).containsExactly(fixed);
    UUID other = tenants.onboard(UUID.randomUUID().toString(), "Other Ltd", "test").tenantId();
    assertThat(inTenant(other, () -> search.page(everything, 1, 50).total())).isZero();
    assertThat(inTenant(other, () -> search.after(everything, null, null, 10))).isEmpty();
    assertThat(inTenant(other, () -> search.find(log4shell))).isEmpty();
    assertThat(inTenant(other, () -> triage.decide(List.of(log4shell),
        new Triage.Decision(TriageState.IN_TRIAGE, null, null, null), "mallory@example.org")).changed()).isZero();
  }

  @Test
  void thePagesServeFragmentsToHtmxAndViewersCannotTriage() throws Exception {
    var analyst = authentication(signedIn(users, tenant, Role.ANALYST));
    MockHttpServletResponse page = mvc.perform(get("/findings").with(analyst)).andReturn().getResponse();
    assertThat(page.getStatus()).isEqualTo(200);
    assertThat(page.getContentAsString()).contains("<html").contains("CVE-2021-44228").contains("CVE-2023-0286");
    MockHttpServletResponse fragment = mvc.perform(get("/findings").param("q", "log4j").header("HX-Request", "true")
        .with(analyst)).andReturn().getResponse();
    assertThat(fragment.getContentAsString()).doesNotContain("<html").contains("CVE-2021-44228")
        .doesNotContain("CVE-2023-0286");
    MockHttpServletResponse detail = mvc.perform(get("/findings/" + log4shell).with(analyst)).andReturn().getResponse();
    assertThat(detail.getContentAsString()).contains("Why this score").contains("90").contains("Record decision");

    var viewer = authentication(signedIn(users, tenant, Role.VIEWER));
    assertThat(mvc.perform(get("/findings/" + log4shell).with(viewer)).andReturn().getResponse().getContentAsString())
        .contains("Why this score").doesNotContain("Record decision");
    assertThat(mvc.perform(post("/findings/" + log4shell + "/triage").param("state", "IN_TRIAGE").with(csrf())
        .with(viewer)).andReturn().getResponse().getStatus()).isEqualTo(403);

    MockHttpServletResponse decided = mvc.perform(post("/findings/triage").param("id", log4shell.toString())
        .param("id", openssl.toString()).param("state", "IN_TRIAGE").param("back", "q=log4j").with(csrf())
        .with(analyst)).andReturn().getResponse();
    assertThat(decided.getRedirectedUrl()).isEqualTo("/findings?q=log4j");
    assertThat(inTenant(tenant, () -> jdbc.sql("select count(*) from finding where triage = 'IN_TRIAGE'")
        .query(Long.class).single())).isEqualTo(2L);

    UUID other = tenants.onboard(UUID.randomUUID().toString(), "Nosy Ltd", "test").tenantId();
    var stranger = authentication(signedIn(users, other, Role.ADMIN));
    assertThat(mvc.perform(get("/findings/" + log4shell).with(stranger)).andReturn().getResponse().getStatus())
        .isEqualTo(404);
    assertThat(mvc.perform(get("/findings").param("state", "all").with(stranger)).andReturn().getResponse()
        .getContentAsString()).doesNotContain("finding-" + log4shell).contains("No finding matches these filters.");
  }

  @Test
  void decisionsGoOutAsOpenVexAndCycloneDxAndComeBackIn() throws Exception {
    inTenant(tenant, () -> triage.decide(List.of(openssl), new Triage.Decision(TriageState.NOT_AFFECTED,
        "no TLS server in this image", "vulnerable_code_not_in_execute_path", null), "ann@example.org"));
    inTenant(tenant, () -> triage.decide(List.of(log4shell), new Triage.Decision(TriageState.ACCEPTED_RISK,
        "JNDI lookups disabled", null, Instant.now().plus(Duration.ofDays(10))), "ann@example.org"));

    tools.jackson.databind.JsonNode openVex = tools.jackson.databind.json.JsonMapper.builder().build()
        .readTree(inTenant(tenant, () -> vex.openVex("ann@example.org", "Triage Ltd")));
    assertThat(openVex.path("@context").asString()).isEqualTo("https://openvex.dev/ns/v0.2.0");
    assertThat(openVex.path("statements")).hasSize(2);
    tools.jackson.databind.JsonNode notAffected = null;
    for (tools.jackson.databind.JsonNode statement : openVex.path("statements")) {
      if (statement.path("vulnerability").path("name").asString().equals("CVE-2023-0286")) {
        notAffected = statement;
      }
    }
    assertThat(notAffected).isNotNull();
    assertThat(notAffected.path("status").asString()).isEqualTo("not_affected");
    assertThat(notAffected.path("justification").asString()).isEqualTo("vulnerable_code_not_in_execute_path");
    assertThat(notAffected.path("vulnerability").path("aliases").get(0).asString()).isEqualTo("DSA-5343-1");
    assertThat(notAffected.path("products").get(0).path("@id").asString())
        .isEqualTo("pkg:oci/api@sha256%3A" + "a".repeat(64) + "?repository_url=registry.example/shop/api");

    String cdx = inTenant(tenant, () -> vex.cycloneDx("Triage Ltd"));
    assertThat(new org.cyclonedx.parsers.JsonParser().validate(cdx.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        org.cyclonedx.Version.VERSION_16)).isEmpty();
    assertThat(cdx).contains("\"state\" : \"not_affected\"").contains("\"justification\" : \"code_not_reachable\"")
        .contains("\"state\" : \"exploitable\"").contains("will_not_fix");

    // another organisation imports a supplier's statement about the same image and package
    String statement = """
        {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.org/vex/1", "author": "Supplier",
         "timestamp": "2026-11-01T00:00:00Z", "version": 1, "statements": [
          {"vulnerability": {"name": "GHSA-jfh8-c2jp-5v3q"}, "status": "not_affected",
           "justification": "vulnerable_code_not_present",
           "products": [{"@id": "pkg:oci/api@sha256%%3A%s", "subcomponents": [
              {"@id": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"}]}]},
          {"vulnerability": {"name": "CVE-2023-0286"}, "status": "not_affected", "products": [{"@id": "pkg:deb/x"}]},
          {"vulnerability": {"name": "CVE-2099-0001"}, "status": "under_investigation",
           "products": [{"@id": "pkg:npm/nothing@1.0.0"}]},
          {"vulnerability": {"name": "CVE-2023-0286"}, "status": "fixed", "products": [{"@id": "pkg:deb/x"}]}
        ]}
        """.formatted("a".repeat(64));
    inTenant(tenant, () -> triage.decide(List.of(log4shell), new Triage.Decision(TriageState.OPEN, null, null, null),
        "ann@example.org"));
    Vex.ImportResult result = inTenant(tenant, () -> vex.importOpenVex(
        statement.getBytes(java.nio.charset.StandardCharsets.UTF_8), "ann@example.org"));
    assertThat(result.statements()).isEqualTo(4);
    assertThat(result.changed()).isEqualTo(1);
    assertThat(result.skipped()).hasSize(3).anySatisfy(r -> assertThat(r).contains("without one of the VEX"))
        .anySatisfy(r -> assertThat(r).contains("matches no open finding"))
        .anySatisfy(r -> assertThat(r).contains("decided by matching"));
    Map<String, Object> imported = inTenant(tenant, () -> jdbc.sql(
        "select triage, vex_justification from finding where id = ?").param(log4shell).query().singleRow());
    assertThat(imported).containsEntry("triage", "NOT_AFFECTED")
        .containsEntry("vex_justification", "vulnerable_code_not_present");

    assertThatThrownBy(() -> inTenant(tenant, () -> vex.importOpenVex("{\"statements\": []}".getBytes(), "a")))
        .isInstanceOf(Vex.InvalidVexException.class).hasMessageContaining("not OpenVEX");
    assertThatThrownBy(() -> inTenant(tenant, () -> vex.importOpenVex("[1, 2".getBytes(), "a")))
        .isInstanceOf(Vex.InvalidVexException.class);
    UUID other = tenants.onboard(UUID.randomUUID().toString(), "Quiet Ltd", "test").tenantId();
    assertThat(inTenant(other, () -> vex.openVex("x", "Quiet Ltd"))).doesNotContain("CVE-2023-0286");
    assertThat(inTenant(other, () -> vex.importOpenVex(statement.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "mallory")).changed()).isZero();
  }

  @Test
  void anImagesSecretsAndConfigurationCountInItsRiskAndItsPageAndSbomShowThem() throws Exception {
    byte[] config = """
        {"architecture": "amd64", "os": "linux", "config": {"Env": ["PATH=/usr/bin", "API_TOKEN=not-shown"],
         "ExposedPorts": {"80/tcp": {}}, "Entrypoint": ["/app/server"]},
         "rootfs": {"type": "layers", "diff_ids": []}}
        """.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    io.portcullis.scanner.analysis.config.ImageConfiguration configuration =
        io.portcullis.scanner.analysis.config.ImageConfiguration.parse(config);
    UUID quiet = inTenant(tenant, () -> image("d"));
    String layer = "sha256:" + "9".repeat(64);
    io.portcullis.scanner.sbom.InventoryPackage curl = new io.portcullis.scanner.sbom.InventoryPackage("deb", "curl",
        "7.88.1-10+deb12u5", "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5", "amd64", "curl", null, null, "dpkg-status",
        "var/lib/dpkg/status", layer, null);
    io.portcullis.scanner.sbom.InventorySecret key = new io.portcullis.scanner.sbom.InventorySecret("azure-storage-key",
        "Azure storage account key", "CRITICAL", "etc/app.conf", 3, layer, true, "AccountKey=abcd*****");
    TenantScope.runAs(tenant, () -> inventories.store(quiet, new io.portcullis.scanner.sbom.Inventory("shop/api:2",
        "sha256:" + "d".repeat(64), "linux/amd64", null, configuration, List.of(curl),
        List.of(new io.portcullis.scanner.sbom.Inventory.Layer(0, layer, 1234, 10, List.of())), List.of(key),
        List.of())));

    ImageDetails.Details shown = inTenant(tenant, () -> details.of(quiet).orElseThrow());
    assertThat(shown.checks()).extracting(ImageChecks.Check::id)
        .containsExactlyInAnyOrder("runs-as-root", "no-healthcheck", "privileged-port");
    assertThat(shown.risk()).isEqualTo(new ImageDetails.Risk(80, 0, 80, 40));
    assertThat(shown.layers()).singleElement().satisfies(l -> assertThat(l.packages()).isEqualTo(1));
    assertThat(shown.configuration().environmentNames()).containsExactly("PATH", "API_TOKEN");
    assertThat(inTenant(tenant, () -> overview.images(null, null, 10))).extracting(RiskOverview.ImageRisk::imageId)
        .contains(quiet);
    assertThat(inTenant(tenant, () -> overview.totals()).risk()).isEqualTo(90); // log4shell still rules

    var viewer = authentication(signedIn(users, tenant, Role.VIEWER));
    String page = mvc.perform(get("/images/" + quiet).with(viewer)).andReturn().getResponse().getContentAsString();
    assertThat(page).contains("Runs as root").contains("Azure storage account key").contains("AccountKey=abcd*****")
        .contains("deleted in a later layer").contains("Download the SBOM").doesNotContain("not-shown");
    MockHttpServletResponse sbom = mvc.perform(get("/images/" + quiet + "/sbom").with(viewer)).andReturn().getResponse();
    assertThat(sbom.getContentType()).startsWith("application/vnd.cyclonedx+json");
    assertThat(new org.cyclonedx.parsers.JsonParser().validate(sbom.getContentAsByteArray(),
        org.cyclonedx.Version.VERSION_16)).isEmpty();
    assertThat(sbom.getContentAsString()).contains("pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5");
    UUID other = tenants.onboard(UUID.randomUUID().toString(), "Peek Ltd", "test").tenantId();
    assertThat(mvc.perform(get("/images/" + quiet + "/sbom").with(authentication(signedIn(users, other, Role.ADMIN))))
        .andReturn().getResponse().getStatus()).isEqualTo(404);
  }

  @Test
  void registryAndRepositoryPagesShowTheirRiskAndOpenTheExplorerOnThem() throws Exception {
    UUID connection = inTenant(tenant, () -> jdbc.sql("select connection_id from container_repository where id = ?")
        .param(repository).query(UUID.class).single());
    // log4shell (critical, known exploited) and openssl count in image a; the fixed finding of image b does not
    RiskOverview.ScopeRisk registry = inTenant(tenant, () -> overview.scope(connection, null));
    assertThat(registry).isEqualTo(new RiskOverview.ScopeRisk(90, 2, 1, 1, 1, 1));
    assertThat(inTenant(tenant, () -> overview.scope(null, repository))).isEqualTo(registry);
    UUID other = tenants.onboard(UUID.randomUUID().toString(), "Elsewhere Ltd", "test").tenantId();
    assertThat(inTenant(other, () -> overview.scope(connection, null)))
        .isEqualTo(new RiskOverview.ScopeRisk(0, 0, 0, 0, 0, 0));

    var viewer = authentication(signedIn(users, tenant, Role.VIEWER));
    String registryPage = mvc.perform(get("/registries/" + connection).with(viewer)).andReturn().getResponse()
        .getContentAsString();
    assertThat(registryPage).contains("href=\"/findings?registry=" + connection + "\"")
        .contains("href=\"/findings?registry=" + connection + "&amp;kev=true\"")
        .contains("<span>1</span> of <span>1</span> affected images");
    String repositoryPage = mvc.perform(get("/registries/" + connection + "/repositories/" + repository).with(viewer))
        .andReturn().getResponse().getContentAsString();
    assertThat(repositoryPage).contains("href=\"/findings?repository=" + repository + "&amp;severity=CRITICAL\"");

    // the explorer says what it is narrowed to, and how to widen it again
    String narrowed = mvc.perform(get("/findings").param("repository", repository.toString()).param("kev", "true")
        .with(viewer)).andReturn().getResponse().getContentAsString();
    assertThat(narrowed).contains("Only the findings of\n    <strong>shop/api</strong>");
    java.util.regex.Matcher widen = java.util.regex.Pattern.compile("href=\"([^\"]*)\">Show every repository")
        .matcher(narrowed);
    assertThat(widen.find()).isTrue();
    assertThat(widen.group(1)).contains("kev=true").doesNotContain("repository=").doesNotContain("image=");
    assertThat(mvc.perform(get("/findings").param("image", image.toString()).with(viewer)).andReturn().getResponse()
        .getContentAsString()).contains("<strong>shop/api@aaaaaaaaaaaa</strong>");
    String elsewhere = mvc.perform(get("/findings").param("repository", repository.toString())
        .with(authentication(signedIn(users, other, Role.ADMIN)))).andReturn().getResponse().getContentAsString();
    assertThat(elsewhere).contains("<strong>an unknown repository</strong>").doesNotContain("shop/api");
    // or by part of a repository's name, typed into the explorer
    String typed = mvc.perform(get("/findings").param("repositoryName", "shop/").with(viewer)).andReturn()
        .getResponse().getContentAsString();
    assertThat(typed).contains("CVE-2021-44228").contains("name=\"repositoryName\" value=\"shop/\"");
    assertThat(mvc.perform(get("/findings").param("repositoryName", "shop/web").with(viewer)).andReturn()
        .getResponse().getContentAsString()).contains("No finding matches these filters.");
  }

  @Test
  void aLargeImagesPageListsItsWorstFindingsAndSendsTheRestToTheExplorer() throws Exception {
    UUID large = inTenant(tenant, () -> {
      UUID id = image("e");
      jdbc.sql("update image set analysed_at = now() where id = ?").param(id).update();
      for (int n = 0; n < 205; n++) {
        finding(id, "CVE-2098-" + (1000 + n), List.of("CVE-2098-" + (1000 + n)), "npm", "pkg-" + n, "1.0.0", null,
            n == 204 ? "CRITICAL" : "LOW", null, null, false, "OPEN", 1);
      }
      return id;
    });
    var viewer = authentication(signedIn(users, tenant, Role.VIEWER));
    String page = mvc.perform(get("/images/" + large).with(viewer)).andReturn().getResponse().getContentAsString();
    assertThat(page.split("https://osv.dev/vulnerability/", -1)).hasSize(201);
    // worst first: the one critical finding, created last, is listed
    assertThat(page).contains("CVE-2098-1204")
        .contains("<span>200</span> worst of\n        <span>205</span> are listed here")
        .contains("href=\"/findings?image=" + large + "&amp;state=all\"");
    String small = mvc.perform(get("/images/" + image).with(viewer)).andReturn().getResponse().getContentAsString();
    assertThat(small).doesNotContain("are listed here");
  }
}
