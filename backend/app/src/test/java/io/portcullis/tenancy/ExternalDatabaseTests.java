package io.portcullis.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.LocalModeTest;
import io.portcullis.audit.AuditEvent.Outcome;
import io.portcullis.audit.AuditLog;
import io.portcullis.identity.Role;
import io.portcullis.identity.User;
import io.portcullis.identity.Users;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Portcullis on a database it did not start, as in production: the owner that migrates is an ordinary role (no superuser,
 * so row-level security binds it too) that owns the database and may create roles, like the administrator of a managed
 * PostgreSQL. Onboarding, isolation and the audit chain must work unchanged.
 */
@LocalModeTest
class ExternalDatabaseTests {

  static final EmbeddedPostgres server;

  static {
    try {
      server =
          EmbeddedPostgres.builder()
              .setDataDirectory(Files.createTempDirectory("portcullis-external-pg"))
              .setCleanDataDirectory(true)
              .setRegisterShutdownHook(false)
              .start();
      try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("create role portcullis_owner login password 'owner-secret' createrole");
        s.execute("create database portcullis owner portcullis_owner");
      }
      // The application on this server lives in the test context cache until the JVM exits; the server stops after
      // every application context is closed, so that none of them waits on a database gone away.
      org.springframework.boot.SpringApplication.getShutdownHandlers().add(() -> {
        try {
          server.close();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } catch (IOException | SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void externalDatabase(DynamicPropertyRegistry registry) {
    registry.add("portcullis.database.url", () -> "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/portcullis");
    registry.add("portcullis.database.username", () -> "portcullis_owner");
    registry.add("portcullis.database.password", () -> "owner-secret");
    registry.add("portcullis.database.app-password", () -> "app-secret-" + UUID.randomUUID());
  }

  @Autowired Tenants tenants;
  @Autowired Users users;
  @Autowired AuditLog audit;
  @Autowired JdbcClient app;

  @Test
  void theApplicationConnectsAsItsOwnRoleAndTheOwnerIsNoSuperuser() {
    assertThat(app.sql("select current_user").query(String.class).single()).isEqualTo("portcullis_app");
    try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      var rs = s.executeQuery("select rolsuper, rolbypassrls from pg_roles where rolname = 'portcullis_owner'");
      rs.next();
      assertThat(rs.getBoolean(1)).isFalse();
      assertThat(rs.getBoolean(2)).isFalse();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void onboardingIsolationAndTheAuditChainWork() {
    String entraId = UUID.randomUUID().toString();
    var first = tenants.onboard(entraId, "Contoso", "alice@contoso.example");
    var again = tenants.onboard(entraId, "Contoso", "bob@contoso.example");
    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.tenantId()).isEqualTo(first.tenantId());
    assertThat(tenants.findByEntraTenantId(entraId)).contains(first.tenantId());

    UUID a = first.tenantId();
    UUID b = tenants.onboard(UUID.randomUUID().toString(), "Fabrikam", "carol@fabrikam.example").tenantId();
    User alice = TenantScope.callAs(a, () -> users.signedIn("oid-alice", "Alice", "alice@contoso.example", Role.ADMIN));
    audit.record(a, "alice@contoso.example", "test.event", null, Outcome.SUCCESS, null);
    audit.record(a, "alice@contoso.example", "test.event", null, Outcome.SUCCESS, null);

    TenantScope.runAs(b, () -> assertThat(users.find(alice.id())).isEmpty());
    TenantScope.runAs(a, () -> assertThat(users.find(alice.id())).isPresent());
    AuditLog.ChainCheck check = TenantScope.callAs(a, audit::verify);
    assertThat(check.events()).isEqualTo(2);
    assertThat(check.intact()).isTrue();
    assertThatThrownBy(() -> users.count()).isInstanceOf(DataAccessException.class);
  }
}
