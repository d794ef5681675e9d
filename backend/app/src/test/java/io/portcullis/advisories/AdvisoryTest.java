package io.portcullis.advisories;

import io.portcullis.LocalModeTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole application in local mode with its OSV source set to a mirror directory the tests fill: the shared OSV
 * exports (linked in place) beside archives the tests build. One context, and one embedded PostgreSQL, for every
 * advisory test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@LocalModeTest
@AutoConfigureMockMvc
@TestPropertySource(
    properties = {
      "portcullis.advisories.source=target/advisory-mirror",
      "portcullis.advisories.ecosystems="
          + "AlmaLinux:8,AlmaLinux:9,AlmaLinux:10,Bitnami,GHSA-sample,Go,PyPI,osv-dev-served",
    })
public @interface AdvisoryTest {}
