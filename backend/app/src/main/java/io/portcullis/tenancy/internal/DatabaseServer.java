package io.portcullis.tenancy.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/** The database Portcullis runs on, and the embedded server behind it when there is one (closed with the context). */
record DatabaseServer(
    String url, String ownerUsername, String ownerPassword, String appPassword, EmbeddedPostgres embedded)
    implements AutoCloseable {

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }

  @Override
  public String toString() {
    return "DatabaseServer[" + url + "]";
  }
}
