package io.portcullis.findings.internal;

import io.portcullis.advisories.AdvisoryEvents.AdvisoriesChanged;
import io.portcullis.findings.Rematching;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Re-matches every stored inventory once the advisories changed, after the import's transaction committed, on a thread
 * of its own. Changes that arrive while a re-match is waiting join it; one that arrives while a re-match runs causes one
 * more after it, so the last change is always seen and a burst of imports costs at most two runs.
 */
@Component
class AdvisoryChanges implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(AdvisoryChanges.class);

  private final Rematching rematching;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "rematch");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicBoolean queued = new AtomicBoolean();

  AdvisoryChanges(Rematching rematching) {
    this.rematching = rematching;
  }

  @TransactionalEventListener(fallbackExecution = true)
  void on(AdvisoriesChanged changed) {
    if (!queued.compareAndSet(false, true)) {
      return;
    }
    executor.submit(() -> {
      queued.set(false);
      try {
        Rematching.RunResult result = rematching.matchAll();
        log.info("re-matched {} images of {} tenants after {} {} changed: {} findings opened, {} fixed, in {} ms",
            result.images(), result.tenants(), changed.feed(), changed.ecosystem(), result.opened(), result.fixed(),
            result.millis());
      } catch (RuntimeException e) {
        log.error("re-matching after an advisory change failed", e);
      }
    });
  }

  @Override
  public void destroy() {
    executor.shutdownNow();
  }
}
