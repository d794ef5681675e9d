package io.portcullis.advisories.internal;

import io.portcullis.PortcullisApplication;
import io.portcullis.advisories.internal.ImportRuns.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A benchmark command, not a test: imports every export of the shared OSV corpus into a fresh embedded PostgreSQL
 * through the application's own importer (the test configuration: embedded database, no schedule), reads them all
 * again, then deletes them and imports them once more, and prints the throughput of each pass: the first and third
 * write every record (cold and warm), the second compares every record and writes nothing.
 *
 * <pre>./mvnw -q -o -pl backend/app -am test-compile dependency:build-classpath -DskipTests \
 *   -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
 * java -cp "backend/app/target/test-classes:backend/app/target/classes:$(cat backend/app/target/classpath.txt)" \
 *   io.portcullis.advisories.internal.OsvImportBenchmark ../shared/testdata/osv</pre>
 *
 * (The reactor build puts the scanner's own classes on the class path, never a stale copy from the local repository.)
 */
public final class OsvImportBenchmark {

  public static void main(String[] args) throws Exception {
    String directory = args.length > 0 ? args[0] : System.getProperty("portcullis.testdata", "") + "/osv";
    Path source = Path.of(directory).toAbsolutePath();
    List<String> ecosystems;
    try (Stream<Path> folders = Files.list(source)) {
      ecosystems = folders.filter(f -> Files.isRegularFile(f.resolve("all.zip")))
          .map(f -> f.getFileName().toString()).sorted().toList();
    }
    if (ecosystems.isEmpty()) {
      System.err.println("usage: OsvImportBenchmark OSV_DIRECTORY (with <ecosystem>/all.zip inside)");
      System.exit(2);
    }
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(PortcullisApplication.class)
            .profiles("local", "test")
            // command-line arguments, so that they win over application-local.yml
            .run(
                "--portcullis.local.enabled=true",
                "--portcullis.advisories.source=" + source,
                "--portcullis.advisories.ecosystems=" + String.join(",", ecosystems),
                "--logging.level.root=warn")) {
      OsvImport osv = context.getBean(OsvImport.class);
      JdbcClient jdbc = context.getBean(JdbcClient.class);
      List<String> passes =
          List.of(
              "first import (every record written, cold)",
              "second read (every record unchanged)",
              "third import after deleting everything (every record written, warm)");
      for (String pass : passes) {
        if (pass.startsWith("third")) {
          jdbc.sql("delete from advisory").update();
        }
        long totalRecords = 0;
        double totalSeconds = 0;
        System.out.println(pass);
        for (String ecosystem : ecosystems) {
          long start = System.nanoTime();
          long run = osv.run(ecosystem, Trigger.MANUAL, true).orElseThrow();
          double seconds = (System.nanoTime() - start) / 1e9;
          Map<String, Object> counts =
              jdbc.sql("select records_read, imported, unchanged, rejected from advisory_import where id = ?")
                  .param(run).query().singleRow();
          int read = (int) counts.get("records_read");
          totalRecords += read;
          totalSeconds += seconds;
          System.out.printf(
              "  %-16s %6d records  %6d imported  %6d unchanged  %3d rejected  %6.2f s  %7.0f records/s%n",
              ecosystem, read, counts.get("imported"), counts.get("unchanged"), counts.get("rejected"), seconds,
              read / seconds);
        }
        System.out.printf("  %-16s %6d records  %6.2f s  %7.0f records/s%n", "all", totalRecords, totalSeconds,
            totalRecords / totalSeconds);
      }
      System.out.printf("stored: %s advisories, %s affected entries%n",
          jdbc.sql("select count(*) from advisory").query(Long.class).single(),
          jdbc.sql("select count(*) from affected").query(Long.class).single());
    }
  }

  private OsvImportBenchmark() {}
}
