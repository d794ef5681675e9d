package io.portcullis;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Portcullis: one deployable that serves the web UI and API and runs the scanning workers. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class PortcullisApplication {

  public static void main(String[] args) {
    SpringApplication.run(PortcullisApplication.class, args);
  }
}
