/**
 * Audit: an append-only, hash-chained record of who did what, when, from where and with what outcome. The database refuses
 * changes to recorded events; a check recomputes the chain to show that nothing was altered.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit")
package io.portcullis.audit;
