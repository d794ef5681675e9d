package io.portcullis.jobs;

/** How soon a job runs when workers are busy: someone waiting for it, then a registry's push event, then the schedule. */
public enum Priority {
  SCHEDULE(10),
  PUSH_EVENT(20),
  MANUAL(30);

  private final int value;

  Priority(int value) {
    this.value = value;
  }

  /** The value db-scheduler orders by (higher first). */
  public int value() {
    return value;
  }

  /** The priority of a trigger named {@code MANUAL}, {@code PUSH_EVENT} or {@code SCHEDULE}. */
  public static Priority of(String trigger) {
    return valueOf(trigger);
  }
}
