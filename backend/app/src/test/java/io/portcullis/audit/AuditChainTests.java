package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.LocalModeTest;
import io.portcullis.audit.AuditEvent.Outcome;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
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

/** The audit log is append-only for the application, and any change made behind its back is detected. */
@LocalModeTest
class AuditChainTests {

  @Autowired AuditLog audit;
  @Autowired Tenants tenants;
  @Autowired JdbcClient app;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired @FlywayDataSource DataSource ownerDataSource;

  UUID tenant;

  @BeforeEach
  void threeEvents() {
    tenant = tenants.onboard(UUID.randomUUID().toString(), "Chain Ltd", "test").tenantId();
    for (int i = 1; i <= 3; i++) {
      audit.record(tenant, "user" + i + "@chain.example", "test.event", "target-" + i, Outcome.SUCCESS, "detail " + i);
    }
  }

  @Test
  void anUntouchedChainIsIntact() {
    AuditLog.ChainCheck check = TenantScope.callAs(tenant, audit::verify);
    assertThat(check.events()).isEqualTo(3);
    assertThat(check.intact()).isTrue();
  }

  @Test
  void eventsAreChainedInOrder() {
    var events = TenantScope.callAs(tenant, () -> audit.search(new AuditLog.Filter(null, null, null, null, null), 0, 10));
    assertThat(events.events()).extracting(AuditEvent::seq).containsExactly(3L, 2L, 1L);
    JdbcClient owner = JdbcClient.create(ownerDataSource);
    byte[] first = owner.sql("select hash from audit_event where tenant_id = ? and seq = 1").param(tenant).query(byte[].class).single();
    byte[] link = owner.sql("select previous_hash from audit_event where tenant_id = ? and seq = 2").param(tenant).query(byte[].class).single();
    assertThat(link).isEqualTo(first).hasSize(32);
  }

  @Test
  void theApplicationCannotChangeOrRemoveEvents() {
    TenantScope.runAs(
        tenant,
        () -> {
          assertThatThrownBy(() -> inTransaction(() -> app.sql("update audit_event set actor = 'mallory'").update()))
              .isInstanceOf(DataAccessException.class)
              .rootCause().hasMessageContaining("permission denied");
          assertThatThrownBy(() -> inTransaction(() -> app.sql("delete from audit_event").update()))
              .isInstanceOf(DataAccessException.class)
              .rootCause().hasMessageContaining("permission denied");
          assertThatThrownBy(() -> inTransaction(() -> app.sql("truncate audit_event").update()))
              .isInstanceOf(DataAccessException.class);
        });
    assertThat(TenantScope.callAs(tenant, audit::verify).events()).isEqualTo(3);
  }

  @Test
  void evenTheOwnerIsStoppedByTheAppendOnlyTrigger() {
    JdbcClient owner = JdbcClient.create(ownerDataSource);
    assertThatThrownBy(() -> owner.sql("update audit_event set actor = 'mallory' where tenant_id = ?").param(tenant).update())
        .rootCause().hasMessageContaining("append-only");
  }

  @Test
  void alteringAStoredEventIsDetected() {
    JdbcClient owner = JdbcClient.create(ownerDataSource);
    // A database administrator who deliberately switches the guard off and edits an event...
    owner.sql("alter table audit_event disable trigger audit_event_no_update").update();
    try {
      owner.sql("update audit_event set actor = 'someone-else@chain.example' where tenant_id = ? and seq = 2").param(tenant).update();
    } finally {
      owner.sql("alter table audit_event enable trigger audit_event_no_update").update();
    }
    AuditLog.ChainCheck check = TenantScope.callAs(tenant, audit::verify);
    assertThat(check.intact()).isFalse();
    assertThat(check.firstBroken()).isEqualTo(2L);
  }

  @Test
  void removingAnEventFromTheMiddleIsDetected() {
    JdbcClient owner = JdbcClient.create(ownerDataSource);
    owner.sql("alter table audit_event disable trigger audit_event_no_update").update();
    try {
      owner.sql("delete from audit_event where tenant_id = ? and seq = 2").param(tenant).update();
    } finally {
      owner.sql("alter table audit_event enable trigger audit_event_no_update").update();
    }
    AuditLog.ChainCheck check = TenantScope.callAs(tenant, audit::verify);
    assertThat(check.firstBroken()).isEqualTo(3L);
  }

  private void inTransaction(Runnable work) {
    new TransactionTemplate(transactionManager).executeWithoutResult(status -> work.run());
  }
}
