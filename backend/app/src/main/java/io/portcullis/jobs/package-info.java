/**
 * Jobs: the queue every background job runs on — db-scheduler on PostgreSQL, shared by every instance, with
 * heartbeats (a job whose worker died is picked up again), priorities (manual before push events before the schedule)
 * and retries that back off. Whether this instance serves pages, runs jobs or both is configuration
 * ({@code portcullis.web.enabled}, {@code portcullis.worker.enabled}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Jobs")
package io.portcullis.jobs;
