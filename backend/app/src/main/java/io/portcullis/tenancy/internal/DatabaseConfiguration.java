package io.portcullis.tenancy.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Two connections to one database: the owner, used only by Flyway to migrate, and the application role, used for
 * everything else and bound by row-level security. Without a configured URL an embedded PostgreSQL is started whose data
 * survives restarts.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

  private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

  @Bean
  DatabaseServer databaseServer(DatabaseProperties properties, Environment environment) throws IOException {
    if (properties.external()) {
      if (properties.appPassword() == null || properties.appPassword().isBlank()) {
        throw new IllegalStateException(
            "portcullis.database.app-password (PORTCULLIS_DB_APP_PASSWORD) is required with an external database:"
                + " every replica must set the same password on the application role");
      }
      return new DatabaseServer(
          properties.url(), properties.username(), properties.password(), properties.appPassword(), null);
    }
    var embedded = properties.embedded();
    if (!embedded.enabled() && !environment.acceptsProfiles(Profiles.of("local"))) {
      throw new IllegalStateException(
          "No database is configured: set PORTCULLIS_DB_URL, PORTCULLIS_DB_USER, PORTCULLIS_DB_PASSWORD and"
              + " PORTCULLIS_DB_APP_PASSWORD (see docs/configuration.md). The embedded PostgreSQL runs only in local"
              + " mode or with portcullis.database.embedded.enabled=true.");
    }
    Files.createDirectories(embedded.dataDirectory());
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(embedded.dataDirectory())
            .setCleanDataDirectory(false)
            .setPort(embedded.port())
            // the embedded defaults trade durability for speed; data kept between runs should survive a crash
            .setServerConfig("synchronous_commit", "on")
            // stopped when the application context closes, after the connection pools (DatabaseServer#close); a
            // shutdown hook of its own would stop it while the application is still shutting down on it
            .setRegisterShutdownHook(false)
            .start();
    log.info(
        "Started embedded PostgreSQL on 127.0.0.1:{} with its data in {}", postgres.getPort(), embedded.dataDirectory());
    // Nothing but this process talks to the embedded server, so a fresh password each start is enough.
    String appPassword =
        properties.appPassword() != null && !properties.appPassword().isBlank()
            ? properties.appPassword()
            : randomPassword();
    // A URL without credentials: each of the two connections brings its own user.
    String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    return new DatabaseServer(url, "postgres", "postgres", appPassword, postgres);
  }

  @Bean
  @FlywayDataSource
  DataSource ownerDataSource(DatabaseServer server) throws SQLException {
    return new SimpleDriverDataSource(
        new org.postgresql.Driver(), server.url(), server.ownerUsername(), server.ownerPassword());
  }

  @Bean
  @Primary
  HikariDataSource dataSource(DatabaseServer server, DatabaseProperties properties) {
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setPoolName("portcullis");
    dataSource.setJdbcUrl(server.url());
    dataSource.setUsername(properties.appUsername());
    dataSource.setPassword(server.appPassword());
    dataSource.setMaximumPoolSize(properties.poolSize());
    // the driver sends a batch of single-row inserts as multi-row inserts: bulk imports (advisories) write several
    // times faster, and nothing else changes
    dataSource.addDataSourceProperty("reWriteBatchedInserts", "true");
    return dataSource;
  }

  @Bean
  PlatformTransactionManager transactionManager(DataSource dataSource) {
    return new TenantTransactionManager(dataSource);
  }

  @Bean
  FlywayConfigurationCustomizer applicationRole(DatabaseProperties properties, DatabaseServer server) {
    return configuration ->
        configuration
            .placeholders(Map.of("appRole", properties.appUsername()))
            .callbacks(new ApplicationRolePassword(properties.appUsername(), server.appPassword()));
  }

  private static String randomPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Lets the application role sign in, with the configured password, after every migration run. */
  private static final class ApplicationRolePassword implements Callback {

    private final String role;
    private final String password;

    ApplicationRolePassword(String role, String password) {
      this.role = role;
      this.password = password;
    }

    @Override
    public boolean supports(Event event, Context context) {
      return event == Event.AFTER_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
      return true;
    }

    @Override
    public void handle(Event event, Context context) {
      Connection connection = context.getConnection();
      try {
        // The driver sends a SCRAM verifier computed here, so the password itself never reaches a server log.
        connection.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), "scram-sha-256");
        try (var statement = connection.createStatement()) {
          statement.execute("alter role \"" + role + "\" login");
        }
      } catch (SQLException e) {
        throw new IllegalStateException("could not enable the application role " + role, e);
      }
    }

    @Override
    public String getCallbackName() {
      return "application-role-password";
    }
  }
}
