package io.portcullis.tenancy.internal;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the database is and how Portcullis connects to it.
 *
 * @param url JDBC URL of an existing PostgreSQL; empty to run an embedded PostgreSQL
 * @param username the owner role that runs migrations
 * @param password the owner role's password
 * @param appUsername the role the application connects as (created by the migrations; owns nothing, cannot bypass
 *     row-level security)
 * @param appPassword that role's password, set on it after every migration run
 * @param poolSize maximum connections of the application pool
 * @param embedded the embedded PostgreSQL, used when {@code url} is empty
 */
@ConfigurationProperties("portcullis.database")
record DatabaseProperties(
    String url,
    String username,
    String password,
    @DefaultValue("portcullis_app") String appUsername,
    String appPassword,
    @DefaultValue("20") int poolSize,
    @DefaultValue Embedded embedded) {

  DatabaseProperties {
    if (!appUsername.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("portcullis.database.app-username must be a plain lower-case role name");
    }
  }

  boolean external() {
    return url != null && !url.isBlank();
  }

  @Override
  public String toString() {
    return "DatabaseProperties[url=" + url + ", username=" + username + ", appUsername=" + appUsername + "]";
  }

  /**
   * @param enabled allows the embedded server outside local mode (tests, demonstrations); without it, and outside the
   *     {@code local} profile, a missing URL stops the start so that a production deployment never runs on it by mistake
   * @param dataDirectory where the embedded cluster keeps its data between runs ({@code ~/.portcullis/postgres})
   * @param port the port it listens on (loopback only); 0 picks a free one
   */
  record Embedded(boolean enabled, Path dataDirectory, @DefaultValue("54329") int port) {

    Embedded {
      if (dataDirectory == null) {
        dataDirectory = Path.of(System.getProperty("user.home"), ".portcullis", "postgres");
      }
    }
  }
}
