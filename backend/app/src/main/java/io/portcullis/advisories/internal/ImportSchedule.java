package io.portcullis.advisories.internal;

import io.portcullis.advisories.internal.ImportRunner.Job;
import io.portcullis.advisories.internal.ImportRuns.Feed;
import io.portcullis.advisories.internal.ImportRuns.Trigger;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every minute, queues the feeds whose interval has passed since their source was last checked. The time of the last
 * check is in the database, so replicas share it: after one replica checked a feed, the others find it not yet due. A
 * stand-in until imports move to the job scheduler on PostgreSQL.
 */
@Component
@ConditionalOnProperty(name = "portcullis.advisories.schedule.enabled", havingValue = "true", matchIfMissing = true)
class ImportSchedule {

  private final AdvisoryProperties properties;
  private final ImportRunner runner;
  private final ImportRuns runs;
  private final Instant firstCheck;

  ImportSchedule(AdvisoryProperties properties, ImportRunner runner, ImportRuns runs) {
    this.properties = properties;
    this.runner = runner;
    this.runs = runs;
    this.firstCheck = Instant.now().plus(properties.schedule().initialDelay());
  }

  @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
  void tick() {
    Instant now = Instant.now();
    if (now.isBefore(firstCheck)) {
      return;
    }
    for (Job job : runner.allJobs()) {
      Duration interval = interval(job.feed());
      boolean due =
          runs.lastChecked(job.feed(), job.ecosystem()).map(last -> !now.isBefore(last.plus(interval))).orElse(true);
      if (due) {
        runner.submit(job, Trigger.SCHEDULE);
      }
    }
  }

  private Duration interval(Feed feed) {
    return switch (feed) {
      case OSV -> properties.schedule().interval();
      case EPSS -> properties.epss().interval();
      case KEV -> properties.kev().interval();
    };
  }
}
