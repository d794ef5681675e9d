package io.portcullis;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** The whole application in local mode on its own embedded PostgreSQL, served on a free port. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"portcullis.local.enabled=true", "portcullis.local.users[0].username=admin",
                  "portcullis.local.users[0].password={noop}admin-secret", "portcullis.local.users[0].name=Ada Admin",
                  "portcullis.local.users[0].email=ada@example.org", "portcullis.local.users[0].role=ADMIN",
                  "portcullis.local.users[1].username=viewer", "portcullis.local.users[1].password={noop}viewer-secret",
                  "portcullis.local.users[1].name=Val Viewer", "portcullis.local.users[1].email=val@example.org",
                  "portcullis.local.users[1].role=VIEWER",
                  "portcullis.local.users[2].username=analyst", "portcullis.local.users[2].password={noop}analyst-secret",
                  "portcullis.local.users[2].name=Ann Analyst", "portcullis.local.users[2].email=ann@example.org",
                  "portcullis.local.users[2].role=ANALYST"})
@ActiveProfiles({"local", "test"})
public @interface LocalModeTest {}
