package io.portcullis.audit;

import io.portcullis.audit.AuditEvent.Outcome;
import io.portcullis.tenancy.Like;
import io.portcullis.tenancy.TenantScope;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** The audit log of the current tenant: recording, searching, and checking that the chain is intact. */
@Repository
public class AuditLog {

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  AuditLog(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
  }

  /**
   * Records an event for {@code tenant}, with the address and browser of the current request when there is one. Inside a
   * transaction of the same tenant it joins it, so the event commits (or not) with the change it describes.
   */
  public void record(UUID tenant, String actor, String action, String target, Outcome outcome, String detail) {
    Origin origin = Origin.current();
    TenantScope.runAs(
        tenant,
        () ->
            transactions.executeWithoutResult(
                status ->
                    jdbc.sql(
                            """
                            insert into audit_event
                              (tenant_id, actor, action, target, outcome, source_ip, user_agent, detail)
                            values (app_current_tenant(), :actor, :action, :target, :outcome, :ip, :agent, :detail)
                            """)
                        .param("actor", clip(actor == null ? "unknown" : actor, 320))
                        .param("action", clip(action, 64))
                        .param("target", clip(target, 500))
                        .param("outcome", outcome.name())
                        .param("ip", clip(origin.ip(), 64))
                        .param("agent", clip(origin.userAgent(), 500))
                        .param("detail", clip(detail, 2000))
                        .update()));
  }

  /** A page of events, newest first. */
  @Transactional(readOnly = true)
  public Page search(Filter filter, int page, int size) {
    StringBuilder where = new StringBuilder(" where true");
    Map<String, Object> params = new LinkedHashMap<>();
    if (filter.action() != null && !filter.action().isBlank()) {
      where.append(" and action = :action");
      params.put("action", filter.action());
    }
    if (filter.actor() != null && !filter.actor().isBlank()) {
      where.append(" and actor ilike :actor escape '\\'");
      params.put("actor", Like.containing(filter.actor()));
    }
    if (filter.outcome() != null) {
      where.append(" and outcome = :outcome");
      params.put("outcome", filter.outcome().name());
    }
    if (filter.from() != null) {
      where.append(" and occurred_at >= :from");
      params.put("from", java.sql.Timestamp.from(filter.from().atStartOfDay(ZoneOffset.UTC).toInstant()));
    }
    if (filter.to() != null) {
      where.append(" and occurred_at < :to");
      params.put("to", java.sql.Timestamp.from(filter.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
    }
    long total = jdbc.sql("select count(*) from audit_event" + where).params(params).query(Long.class).single();
    List<AuditEvent> events =
        jdbc.sql(
                "select seq, occurred_at, actor, action, target, outcome, source_ip, user_agent, detail"
                    + " from audit_event"
                    + where
                    + " order by seq desc limit :limit offset :offset")
            .params(params)
            .param("limit", size)
            .param("offset", (long) page * size)
            .query(AuditLog::map)
            .list();
    return new Page(events, page, size, total);
  }

  /** The actions that occur in this tenant's log, for the filter. */
  @Transactional(readOnly = true)
  public List<String> actions() {
    return jdbc.sql("select distinct action from audit_event order by action").query(String.class).list();
  }

  /** How many events were recorded since {@code since}. */
  @Transactional(readOnly = true)
  public long countSince(Instant since) {
    return jdbc.sql("select count(*) from audit_event where occurred_at >= ?")
        .param(java.sql.Timestamp.from(since))
        .query(Long.class)
        .single();
  }

  /**
   * Recomputes every event's hash and link. The first event whose stored hash differs from its content, whose link does
   * not name its predecessor's hash, or that follows a gap in the sequence, is where the chain was tampered with.
   */
  @Transactional(readOnly = true)
  public ChainCheck verify() {
    return jdbc.sql(
            """
            select count(*) as events,
                   min(seq) filter (where not intact) as first_broken
              from (select seq,
                           hash = audit_event_digest(e)
                           and previous_hash = coalesce(lag(hash) over w, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
                           and seq = coalesce(lag(seq) over w, 0) + 1 as intact
                      from audit_event e
                    window w as (order by seq)) chain
            """)
        .query(
            (rs, i) -> new ChainCheck(rs.getLong("events"), (Long) rs.getObject("first_broken")))
        .single();
  }

  private static AuditEvent map(ResultSet rs, int row) throws SQLException {
    return new AuditEvent(
        rs.getLong("seq"),
        rs.getTimestamp("occurred_at").toInstant(),
        rs.getString("actor"),
        rs.getString("action"),
        rs.getString("target"),
        Outcome.valueOf(rs.getString("outcome")),
        rs.getString("source_ip"),
        rs.getString("user_agent"),
        rs.getString("detail"));
  }

  private static String clip(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  /** What to look for; every part is optional. */
  public record Filter(String action, String actor, Outcome outcome, LocalDate from, LocalDate to) {}

  /** One page of events and where it stands. */
  public record Page(List<AuditEvent> events, int page, int size, long total) {

    public boolean hasPrevious() {
      return page > 0;
    }

    public boolean hasNext() {
      return (long) (page + 1) * size < total;
    }

    public int pages() {
      return (int) Math.max(1, (total + size - 1) / size);
    }
  }

  /** The result of a chain check: {@code firstBroken} is null when the chain is intact. */
  public record ChainCheck(long events, Long firstBroken) {

    public boolean intact() {
      return firstBroken == null;
    }
  }

  /** Where a request came from. */
  private record Origin(String ip, String userAgent) {

    static Origin current() {
      if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
        HttpServletRequest request = attributes.getRequest();
        return new Origin(request.getRemoteAddr(), request.getHeader("User-Agent"));
      }
      return new Origin(null, null);
    }
  }
}
