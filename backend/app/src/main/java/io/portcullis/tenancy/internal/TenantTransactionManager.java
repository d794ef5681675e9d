package io.portcullis.tenancy.internal;

import io.portcullis.tenancy.TenantScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;

/**
 * Binds every transaction to the tenant in scope. The setting is transaction-local, so a pooled connection never carries
 * a tenant into the next transaction; with no tenant in scope nothing is set and row-level security rejects the query.
 */
class TenantTransactionManager extends JdbcTransactionManager {

  TenantTransactionManager(DataSource dataSource) {
    super(dataSource);
  }

  @Override
  protected void prepareTransactionalConnection(Connection con, TransactionDefinition definition) throws SQLException {
    super.prepareTransactionalConnection(con, definition);
    Optional<UUID> tenant = TenantScope.current();
    if (tenant.isPresent()) {
      try (PreparedStatement statement = con.prepareStatement("select set_config('app.tenant_id', ?, true)")) {
        statement.setString(1, tenant.get().toString());
        statement.execute();
      }
    }
  }
}
