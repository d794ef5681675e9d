package io.portcullis.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.LocalModeTest;
import io.portcullis.audit.AuditEvent.Outcome;
import io.portcullis.audit.AuditLog;
import io.portcullis.identity.Role;
import io.portcullis.identity.User;
import io.portcullis.identity.Users;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Row-level security keeps every tenant's rows to itself, and a transaction without a tenant reaches nothing. */
@LocalModeTest
class TenantIsolationTests {

  @Autowired Tenants tenants;
  @Autowired Users users;
  @Autowired AuditLog audit;
  @Autowired JdbcClient app;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired @FlywayDataSource DataSource ownerDataSource;

  UUID tenantA;
  UUID tenantB;
  User userOfA;

  @BeforeEach
  void twoTenants() {
    tenantA = tenants.onboard(UUID.randomUUID().toString(), "Tenant A", "test").tenantId();
    tenantB = tenants.onboard(UUID.randomUUID().toString(), "Tenant B", "test").tenantId();
    userOfA = TenantScope.callAs(tenantA, () -> users.signedIn("oid-a-" + UUID.randomUUID(), "Alice", "alice@a.example", Role.ADMIN));
    audit.record(tenantA, "alice@a.example", "test.secret-of-a", null, Outcome.SUCCESS, "only A may see this");
  }

  @Test
  void everyTenantTableHasRowLevelSecurityEnabledAndForced() {
    JdbcClient owner = JdbcClient.create(ownerDataSource);
    List<Map<String, Object>> tables =
        owner
            .sql(
                """
                select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
                  from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'public' and c.relkind in ('r', 'p')
                   and exists (select 1 from pg_attribute a
                                where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
                """)
            .query()
            .listOfRows();
    assertThat(tables)
        .extracting(row -> row.get("name"))
        .contains(
            "app_user", "role_assignment", "audit_event", "registry_connection", "image", "tag", "push_event",
            "api_token");
    for (Map<String, Object> table : tables) {
      assertThat(table.get("enabled")).as("RLS enabled on %s", table.get("name")).isEqualTo(true);
      assertThat(table.get("forced")).as("RLS forced on %s", table.get("name")).isEqualTo(true);
      List<Map<String, Object>> policies =
          owner
              .sql(
                  "select qual, with_check, cmd from pg_policies where schemaname = 'public' and tablename = ?"
                      + " and (roles && array['public', 'portcullis_app']::name[])")
              .param(table.get("name"))
              .query()
              .listOfRows();
      assertThat(policies).as("policies of %s", table.get("name")).isNotEmpty();
      assertThat(policies)
          .allSatisfy(
              policy -> {
                assertThat(String.valueOf(policy.get("qual"))).contains("app_current_tenant()");
                assertThat(String.valueOf(policy.get("with_check"))).contains("app_current_tenant()");
              });
    }
    // The tenant table itself has no tenant_id column but is isolated the same way.
    assertThat(
            owner.sql("select relrowsecurity and relforcerowsecurity from pg_class where relname = 'tenant'")
                .query(Boolean.class)
                .single())
        .isTrue();
  }

  @Test
  void theApplicationRoleOwnsNothingAndCannotBypassRowLevelSecurity() {
    Map<String, Object> role =
        app.sql("select rolname, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user")
            .query()
            .singleRow();
    assertThat(role.get("rolname")).isEqualTo("portcullis_app");
    assertThat(role)
        .containsEntry("rolsuper", false)
        .containsEntry("rolbypassrls", false)
        .containsEntry("rolcreaterole", false)
        .containsEntry("rolcreatedb", false);
    long owned =
        app.sql(
                "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                    + " where n.nspname = 'public' and c.relowner = (select oid from pg_roles where rolname = current_user)")
            .query(Long.class)
            .single();
    assertThat(owned).isZero();
  }

  @Test
  void tenantBCannotReadTenantARows() {
    TenantScope.runAs(
        tenantB,
        () -> {
          assertThat(users.all()).extracting(User::id).doesNotContain(userOfA.id());
          assertThat(users.find(userOfA.id())).isEmpty();
          assertThat(audit.search(new AuditLog.Filter(null, null, null, null, null), 0, 100).events())
              .noneMatch(e -> e.action().equals("test.secret-of-a"));
          inTransaction(
              () -> {
                assertThat(app.sql("select id from tenant").query(UUID.class).list()).containsExactly(tenantB);
                assertThat(app.sql("select count(*) from app_user where tenant_id = ?").param(tenantA).query(Long.class).single())
                    .isZero();
                assertThat(app.sql("select count(*) from audit_event where tenant_id = ?").param(tenantA).query(Long.class).single())
                    .isZero();
              });
        });
    // and tenant A still sees its own
    TenantScope.runAs(tenantA, () -> assertThat(users.find(userOfA.id())).isPresent());
  }

  @Test
  void tenantBCannotWriteTenantARows() {
    TenantScope.runAs(
        tenantB,
        () -> {
          assertThatThrownBy(
                  () ->
                      inTransaction(
                          () ->
                              app.sql("insert into app_user (tenant_id, entra_object_id, display_name) values (?, 'x', 'Mallory')")
                                  .param(tenantA)
                                  .update()))
              .isInstanceOf(DataAccessException.class)
              .rootCause().hasMessageContaining("row-level security");
          inTransaction(
              () ->
                  assertThat(app.sql("update app_user set display_name = 'Mallory' where id = ?").param(userOfA.id()).update())
                      .isZero());
          assertThatThrownBy(
                  () ->
                      inTransaction(
                          () ->
                              app.sql("insert into audit_event (tenant_id, actor, action, outcome) values (?, 'm', 'forged', 'SUCCESS')")
                                  .param(tenantA)
                                  .update()))
              .isInstanceOf(DataAccessException.class);
          inTransaction(
              () -> assertThat(app.sql("update tenant set display_name = 'Pwned' where id = ?").param(tenantA).update()).isZero());
        });
    TenantScope.runAs(tenantA, () -> assertThat(users.find(userOfA.id()).orElseThrow().displayName()).isEqualTo("Alice"));
  }

  @Test
  void aQueryWithoutATenantFailsInsteadOfSeeingEverything() {
    assertThat(TenantScope.current()).isEmpty();
    assertThatThrownBy(() -> users.count())
        .isInstanceOf(DataAccessException.class)
        .rootCause().hasMessageContaining("no tenant is set for this transaction");
    // outside any transaction (autocommit) too
    assertThatThrownBy(() -> app.sql("select count(*) from app_user").query(Long.class).single())
        .rootCause().hasMessageContaining("no tenant is set for this transaction");
    assertThatThrownBy(() -> app.sql("select count(*) from tenant").query(Long.class).single())
        .rootCause().hasMessageContaining("no tenant is set for this transaction");
  }

  @Test
  void theTenantDoesNotLeakIntoTheNextTransactionOnAPooledConnection() {
    TenantScope.runAs(tenantA, () -> assertThat(users.count()).isPositive());
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> users.count()).isInstanceOf(DataAccessException.class);
    }
  }

  @Test
  void switchingTenantInsideATransactionIsRefused() {
    TenantScope.runAs(
        tenantA,
        () ->
            inTransaction(
                () ->
                    assertThatThrownBy(() -> TenantScope.runAs(tenantB, () -> {}))
                        .isInstanceOf(IllegalStateException.class)));
  }

  private void inTransaction(Runnable work) {
    new TransactionTemplate(transactionManager).executeWithoutResult(status -> work.run());
  }
}
