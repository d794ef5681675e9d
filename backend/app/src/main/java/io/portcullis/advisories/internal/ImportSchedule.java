package io.portcullis.advisories.internal;

import io.portcullis.advisories.internal.ImportRunner.Job;
import io.portcullis.advisories.internal.ImportRuns.Feed;
import io.portcullis.advisories.internal.ImportRuns.Trigger;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Every minute, on one instance of the cluster (a recurring job on the shared queue), starts the feeds whose interval
 * has passed since their source was last checked. The time of the last check is in the database, and one import per
 * feed runs at a time across every instance (a unique index), so a feed is never imported twice at once.
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

  @org.springframework.context.annotation.Bean
  static com.github.kagkarlsson.scheduler.task.helper.RecurringTask<Void> advisoryRefreshTask(
      org.springframework.beans.factory.ObjectProvider<ImportSchedule> schedule) {
    return com.github.kagkarlsson.scheduler.task.helper.Tasks.recurring("advisory-refresh",
            com.github.kagkarlsson.scheduler.task.schedule.FixedDelay.ofMinutes(1))
        .execute((instance, context) -> schedule.getObject().tick());
  }

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
