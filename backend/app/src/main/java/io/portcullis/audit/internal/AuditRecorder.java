package io.portcullis.audit.internal;

import io.portcullis.advisories.AdvisoryEvents.ImportRequested;
import io.portcullis.api.ApiEvents.TokenCreated;
import io.portcullis.api.ApiEvents.TokenRevoked;
import io.portcullis.audit.AuditEvent.Outcome;
import io.portcullis.audit.AuditLog;
import io.portcullis.findings.FindingEvents.FindingTriaged;
import io.portcullis.identity.IdentityEvents.RoleChanged;
import io.portcullis.identity.IdentityEvents.SignInFailed;
import io.portcullis.identity.IdentityEvents.TenantOnboarded;
import io.portcullis.identity.IdentityEvents.UserSignedIn;
import io.portcullis.identity.IdentityEvents.UserSignedOut;
import io.portcullis.identity.Role;
import io.portcullis.registry.RegistryEvents.ConnectionChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes identity, registry, advisory and API token events to the audit log as they happen, on the thread that caused
 * them, so the source address is known and a role change commits together with its audit event.
 */
@Component
class AuditRecorder {

  private final AuditLog log;

  AuditRecorder(AuditLog log) {
    this.log = log;
  }

  @EventListener
  void on(UserSignedIn event) {
    log.record(
        event.tenantId(),
        event.actor(),
        "user.signed-in",
        "user:" + event.userId(),
        Outcome.SUCCESS,
        "via " + event.method() + " as " + event.role().appRole());
  }

  @EventListener
  void on(SignInFailed event) {
    log.record(event.tenantId(), event.actor(), "user.sign-in-failed", null, Outcome.FAILURE, event.reason());
  }

  @EventListener
  void on(UserSignedOut event) {
    log.record(event.tenantId(), event.actor(), "user.signed-out", "user:" + event.userId(), Outcome.SUCCESS, null);
  }

  @EventListener
  void on(TenantOnboarded event) {
    log.record(
        event.tenantId(),
        event.actor(),
        "tenant.onboarded",
        "tenant:" + event.entraTenantId(),
        Outcome.SUCCESS,
        "onboarded as \"" + event.displayName() + "\"");
  }

  @EventListener
  void on(RoleChanged event) {
    log.record(
        event.tenantId(),
        event.actor(),
        "user.role-changed",
        "user:" + event.userId() + " (" + event.userName() + ")",
        Outcome.SUCCESS,
        name(event.from()) + " → " + name(event.to()));
  }

  @EventListener
  void on(ConnectionChanged event) {
    log.record(
        event.tenantId(),
        event.actor(),
        "registry.connection-" + event.change(),
        "registry:" + event.connectionId() + " (" + event.name() + ")",
        Outcome.SUCCESS,
        event.detail());
  }

  @EventListener
  void on(ImportRequested event) {
    log.record(
        event.tenantId(), event.actor(), "advisories.import-requested", "advisories", Outcome.SUCCESS, event.feeds());
  }

  @EventListener
  void on(FindingTriaged event) {
    String detail = event.from() + " → " + event.to() + " (" + event.scope().toLowerCase() + ")"
        + (event.justification() == null ? "" : ": " + event.justification());
    log.record(event.tenantId(), event.actor(), "finding.triaged", "finding:" + event.findingId() + " "
        + event.vulnerability(), Outcome.SUCCESS, detail.length() > 2000 ? detail.substring(0, 2000) : detail);
  }

  @EventListener
  void on(TokenCreated event) {
    log.record(
        event.tenantId(),
        event.actor(),
        "api.token-created",
        "api-token:" + event.tokenId() + " (" + event.name() + ")",
        Outcome.SUCCESS,
        event.scope().label() + ", pcl_" + event.prefix() + "_…, expires " + event.expiresAt());
  }

  @EventListener
  void on(TokenRevoked event) {
    log.record(
        event.tenantId(),
        event.actor(),
        "api.token-revoked",
        "api-token:" + event.tokenId() + " (" + event.name() + ")",
        Outcome.SUCCESS,
        "pcl_" + event.prefix() + "_…");
  }

  private static String name(Role role) {
    return role == null ? "no role" : role.appRole();
  }
}
