package io.portcullis.findings;

import io.portcullis.findings.FindingEvents.FindingTriaged;
import io.portcullis.tenancy.TenantScope;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Triage of the tenant in scope's findings: a decision about one finding, several at once, a vulnerability in a package
 * (every image, now and later), or a vulnerability across a repository (now and later). Every change keeps who, when
 * and why in the finding's history and is published for the audit log. Accepted risk expires and reopens.
 *
 * <p>The rules: a fixed finding is not triaged (matching closed it); accepted risk needs a justification and an expiry
 * within a year; a false positive needs a justification; "not affected" needs one of the VEX justifications.
 */
@Service
public class Triage {

  public static final Duration LONGEST_ACCEPTANCE = Duration.ofDays(366);
  static final int MAX_BULK = 1000;

  private final JdbcClient jdbc;
  private final ApplicationEventPublisher events;

  Triage(JdbcClient jdbc, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.events = events;
  }

  /** A decision as a person makes it. */
  public record Decision(TriageState state, String justification, String vexJustification, Instant expiresAt) {

    public Decision {
      justification = justification == null || justification.isBlank() ? null : justification.strip();
      vexJustification = vexJustification == null || vexJustification.isBlank() ? null : vexJustification.strip();
    }

    /** What is wrong with the decision, by field; empty when it may be applied. */
    public Map<String, String> problems(Instant now) {
      Map<String, String> problems = new LinkedHashMap<>();
      if (state == null) {
        problems.put("state", "Choose a state.");
        return problems;
      }
      if (justification != null && justification.length() > 2000) {
        problems.put("justification", "At most 2000 characters.");
      }
      if ((state == TriageState.ACCEPTED_RISK || state == TriageState.FALSE_POSITIVE) && justification == null) {
        problems.put("justification", "Say why: the next person to look at this finding will need it.");
      }
      if (state == TriageState.ACCEPTED_RISK) {
        if (expiresAt == null) {
          problems.put("expiresAt", "An accepted risk needs an expiry date.");
        } else if (!expiresAt.isAfter(now)) {
          problems.put("expiresAt", "The expiry must be in the future.");
        } else if (expiresAt.isAfter(now.plus(LONGEST_ACCEPTANCE))) {
          problems.put("expiresAt", "A risk is accepted for a year at most.");
        }
      } else if (expiresAt != null) {
        problems.put("expiresAt", "Only an accepted risk expires.");
      }
      if (state == TriageState.NOT_AFFECTED) {
        if (vexJustification == null) {
          problems.put("vexJustification", "Choose why the vulnerability does not affect this package.");
        } else if (!TriageState.VEX_JUSTIFICATIONS.contains(vexJustification)) {
          problems.put("vexJustification", "Not a VEX justification.");
        }
      } else if (vexJustification != null) {
        problems.put("vexJustification", "Only a \"not affected\" decision carries a VEX justification.");
      }
      return problems;
    }
  }

  /** A decision that cannot be applied, with the reason for each field. */
  public static final class InvalidDecisionException extends RuntimeException {
    private final Map<String, String> problems;

    public InvalidDecisionException(Map<String, String> problems) {
      super(String.join(" ", problems.values()));
      this.problems = Map.copyOf(problems);
    }

    public Map<String, String> problems() {
      return problems;
    }
  }

  /** What a change did: findings changed, and those left alone (fixed, unknown, or already in that state). */
  public record Outcome(int changed, int skipped) {}

  /** Applies {@code decision} to the given findings of the tenant in scope (at most 1000 at a time). */
  @Transactional
  public Outcome decide(List<UUID> findingIds, Decision decision, String actor) {
    require(decision);
    if (findingIds.size() > MAX_BULK) {
      throw new InvalidDecisionException(Map.of("findings", "At most " + MAX_BULK + " findings at a time."));
    }
    int changed = 0;
    for (UUID id : findingIds.stream().distinct().toList()) {
      if (apply(id, decision, actor, "FINDING", null)) {
        changed++;
      }
    }
    return new Outcome(changed, findingIds.size() - changed);
  }

  /**
   * Decides about {@code vulnerability} wherever it affects the package {@code packageName} (any version, any image) —
   * the findings there now and those matching opens later — until the decision is withdrawn or, for accepted risk,
   * expires.
   */
  @Transactional
  public Outcome decideForPackage(String vulnerability, String packageName, Decision decision, String actor) {
    require(decision);
    UUID decisionId = record("PACKAGE", vulnerability, packageName, null, decision, actor);
    List<UUID> ids = jdbc.sql("select id from finding where vulnerability = ? and package_name = ? and status = 'OPEN'")
        .params(vulnerability, packageName).query(UUID.class).list();
    return applyAll(ids, decision, actor, "PACKAGE", decisionId);
  }

  /** Decides about {@code vulnerability} in every image of a repository, now and later. */
  @Transactional
  public Outcome decideForRepository(String vulnerability, UUID repositoryId, Decision decision, String actor) {
    require(decision);
    UUID decisionId = record("REPOSITORY", vulnerability, null, repositoryId, decision, actor);
    List<UUID> ids = jdbc.sql(
            """
            select f.id from finding f join image i on i.id = f.image_id
             where f.vulnerability = ? and i.repository_id = ? and f.status = 'OPEN'
            """)
        .params(vulnerability, repositoryId).query(UUID.class).list();
    return applyAll(ids, decision, actor, "REPOSITORY", decisionId);
  }

  private Outcome applyAll(List<UUID> ids, Decision decision, String actor, String scope, UUID decisionId) {
    int changed = 0;
    for (UUID id : ids) {
      if (apply(id, decision, actor, scope, decisionId)) {
        changed++;
      }
    }
    return new Outcome(changed, ids.size() - changed);
  }

  private UUID record(String scope, String vulnerability, String packageName, UUID repositoryId, Decision decision,
      String actor) {
    if (vulnerability == null || vulnerability.isBlank() || vulnerability.length() > 256) {
      throw new InvalidDecisionException(Map.of("vulnerability", "Name the vulnerability."));
    }
    if (decision.state() == TriageState.OPEN) {
      throw new InvalidDecisionException(Map.of("state", "A decision for many findings must say what they are."));
    }
    if (repositoryId != null && jdbc.sql("select count(*) from container_repository where id = ?").param(repositoryId)
        .query(Long.class).single() == 0) {
      throw new InvalidDecisionException(Map.of("repository", "No such repository."));
    }
    return jdbc.sql(
            """
            insert into triage_decision (tenant_id, scope, vulnerability, package_name, repository_id, triage,
              justification, vex_justification, expires_at, decided_by)
            values (app_current_tenant(), ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id
            """)
        .params(scope, vulnerability, packageName, repositoryId, decision.state().name(), decision.justification(),
            decision.vexJustification(), timestamp(decision.expiresAt()), actor)
        .query(UUID.class).single();
  }

  private boolean apply(UUID findingId, Decision decision, String actor, String scope, UUID decisionId) {
    record Current(String vulnerability, String status, String triage, String justification, String vex,
        Timestamp expires) {}
    Current current = jdbc.sql(
            "select vulnerability, status, triage, triage_justification, vex_justification, triage_expires_at"
                + " from finding where id = ? for update")
        .param(findingId)
        .query((rs, i) -> new Current(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getTimestamp(6)))
        .optional().orElse(null);
    if (current == null || current.status().equals("FIXED")) {
      return false;
    }
    boolean same = current.triage().equals(decision.state().name())
        && Objects.equals(current.justification(), decision.justification())
        && Objects.equals(current.vex(), decision.vexJustification())
        && Objects.equals(current.expires() == null ? null : current.expires().toInstant(), decision.expiresAt());
    if (same) {
      return false;
    }
    jdbc.sql(
            """
            update finding set triage = ?, triage_justification = ?, vex_justification = ?, triage_expires_at = ?,
                   triaged_by = ?, triaged_at = now()
             where id = ?
            """)
        .params(decision.state().name(), decision.justification(), decision.vexJustification(),
            timestamp(decision.expiresAt()), actor, findingId)
        .update();
    history(findingId, actor, current.triage(), decision, scope, decisionId);
    events.publishEvent(new FindingTriaged(TenantScope.require(), findingId, current.vulnerability(), current.triage(),
        decision.state().name(), actor, scope, decision.justification()));
    return true;
  }

  private void history(UUID findingId, String actor, String from, Decision decision, String scope, UUID decisionId) {
    jdbc.sql(
            """
            insert into finding_history (tenant_id, finding_id, actor, from_triage, to_triage, justification,
              vex_justification, expires_at, scope, decision_id)
            values (app_current_tenant(), ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        .params(findingId, actor, from, decision.state().name(), decision.justification(), decision.vexJustification(),
            timestamp(decision.expiresAt()), scope, decisionId)
        .update();
  }

  /** One change in a finding's history. */
  public record Change(Instant at, String actor, String from, String to, String justification,
      String vexJustification, Instant expiresAt, String scope) {}

  /** The finding's triage history, newest first. */
  @Transactional(readOnly = true)
  public List<Change> history(UUID findingId) {
    return jdbc.sql(
            """
            select at, actor, from_triage, to_triage, justification, vex_justification, expires_at, scope
              from finding_history where finding_id = ? order by at desc, id desc
            """)
        .param(findingId)
        .query((rs, i) -> new Change(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getString(6),
            rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant(), rs.getString(8)))
        .list();
  }

  /**
   * Reopens the tenant in scope's findings whose accepted risk expired (and withdraws the expired decisions that
   * made them); returns how many reopened.
   */
  @Transactional
  public int expire(List<UUID> findingIds) {
    int reopened = 0;
    List<UUID> expired = new ArrayList<>();
    for (UUID id : findingIds) {
      Boolean due = jdbc.sql("select triage_expires_at <= now() and triage <> 'OPEN' from finding where id = ?")
          .param(id).query(Boolean.class).optional().orElse(false);
      if (Boolean.TRUE.equals(due)) {
        expired.add(id);
      }
    }
    Decision reopen = new Decision(TriageState.OPEN, "the accepted risk expired", null, null);
    for (UUID id : expired) {
      if (apply(id, reopen, "system", "EXPIRY", null)) {
        reopened++;
      }
    }
    jdbc.sql("update triage_decision set withdrawn_at = now() where withdrawn_at is null and expires_at <= now()")
        .update();
    return reopened;
  }

  /** Applies the tenant's standing decisions to an image's open, untriaged findings (after matching opened some). */
  @Transactional
  public int applyStandingDecisions(UUID imageId) {
    record Match(UUID finding, UUID decision, String decidedBy, Decision what) {}
    List<Match> matches = jdbc.sql(
            """
            select distinct on (f.id) f.id, d.id as decision, d.decided_by, d.triage, d.justification, d.vex_justification,
                   d.expires_at
              from finding f join image i on i.id = f.image_id
                   join triage_decision d on d.vulnerability = f.vulnerability and d.withdrawn_at is null
                        and (d.expires_at is null or d.expires_at > now())
                        and ((d.scope = 'PACKAGE' and d.package_name = f.package_name)
                             or (d.scope = 'REPOSITORY' and d.repository_id = i.repository_id))
             where f.image_id = ? and f.status = 'OPEN' and f.triage = 'OPEN'
             order by f.id, d.decided_at desc
            """)
        .param(imageId)
        .query((rs, i) -> new Match(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
            new Decision(TriageState.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6),
                rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant())))
        .list();
    int applied = 0;
    for (Match m : matches) {
      if (apply(m.finding(), m.what(), m.decidedBy(), "DECISION", m.decision())) {
        applied++;
      }
    }
    return applied;
  }

  private static void require(Decision decision) {
    Map<String, String> problems = decision.problems(Instant.now());
    if (!problems.isEmpty()) {
      throw new InvalidDecisionException(problems);
    }
  }

  private static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }
}
