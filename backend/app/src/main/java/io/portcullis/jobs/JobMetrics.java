package io.portcullis.jobs;

import com.github.kagkarlsson.scheduler.event.ExecutionChain;
import com.github.kagkarlsson.scheduler.event.ExecutionInterceptor;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Prometheus figures of the queue: jobs waiting and running by type ({@code portcullis_jobs_queued},
 * {@code portcullis_jobs_running}, read from the queue table at most every five seconds whoever asks) and how long each
 * type of job takes by outcome ({@code portcullis_jobs_duration_seconds}).
 */
@Component
class JobMetrics implements ExecutionInterceptor {

  private static final long REFRESH_NANOS = 5_000_000_000L;

  private final JdbcClient jdbc;
  private final MeterRegistry meters;
  private final Map<String, AtomicLong> queued = new HashMap<>();
  private final Map<String, AtomicLong> running = new HashMap<>();
  private volatile long readAt;

  JobMetrics(JdbcClient jdbc, MeterRegistry meters, List<Task<?>> tasks) {
    this.jdbc = jdbc;
    this.meters = meters;
    for (Task<?> task : tasks) {
      String name = task.getName();
      queued.put(name, new AtomicLong());
      running.put(name, new AtomicLong());
      Gauge.builder("portcullis.jobs.queued", this, m -> m.read(m.queued, name))
          .description("Jobs waiting in the queue (due or scheduled later)").tag("task", name).register(meters);
      Gauge.builder("portcullis.jobs.running", this, m -> m.read(m.running, name))
          .description("Jobs a worker is running").tag("task", name).register(meters);
    }
  }

  private double read(Map<String, AtomicLong> which, String task) {
    long now = System.nanoTime();
    if (now - readAt > REFRESH_NANOS) {
      synchronized (this) {
        if (now - readAt > REFRESH_NANOS) {
          try {
            queued.values().forEach(v -> v.set(0));
            running.values().forEach(v -> v.set(0));
            jdbc.sql("select task_name, picked, count(*) as jobs from scheduled_tasks group by task_name, picked")
                .query((rs, i) -> {
                  AtomicLong counter = (rs.getBoolean("picked") ? running : queued).get(rs.getString("task_name"));
                  if (counter != null) {
                    counter.set(rs.getLong("jobs"));
                  }
                  return null;
                })
                .list();
          } catch (RuntimeException e) {
            // a database that is away shows the last figures; the scrape must not fail because of it
          }
          readAt = System.nanoTime();
        }
      }
    }
    return which.get(task).get();
  }

  @Override
  public CompletionHandler<?> execute(TaskInstance<?> instance, ExecutionContext context, ExecutionChain chain) {
    Timer.Sample sample = Timer.start(meters);
    String outcome = "succeeded";
    try {
      return chain.proceed(instance, context);
    } catch (RuntimeException | Error e) {
      outcome = "failed";
      throw e;
    } finally {
      sample.stop(Timer.builder("portcullis.jobs.duration").description("How long jobs take")
          .tag("task", instance.getTaskName()).tag("outcome", outcome).register(meters));
    }
  }
}
