package io.portcullis.jobs;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.boot.autoconfigure.Jackson3Serializer;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An instance that serves pages only still queues jobs (a "scan now", a push event): it gets a client of the queue
 * without a scheduler that would run them. An instance with workers gets both from db-scheduler's starter.
 */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

  /** Job data is stored as JSON (records), readable in the table and free of Java serialization. */
  @Bean
  DbSchedulerCustomizer jobsAsJson() {
    return new DbSchedulerCustomizer() {
      @Override
      public Optional<Serializer> serializer() {
        return Optional.of(new Jackson3Serializer());
      }
    };
  }

  @Bean
  @ConditionalOnProperty(name = "portcullis.worker.enabled", havingValue = "false")
  SchedulerClient queueClient(DataSource dataSource, List<Task<?>> tasks) {
    return SchedulerClient.Builder.create(dataSource, tasks)
        .serializer(new Jackson3Serializer())
        .tableName("scheduled_tasks")
        .enablePriority()
        .build();
  }
}
