package io.portcullis.tenancy;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The tenants. Finding a tenant by its Entra id and onboarding one are the only operations that cross the tenant boundary,
 * and they do so through two database functions that reveal nothing but the matching row.
 */
@Repository
public class Tenants {

  private final JdbcClient jdbc;

  Tenants(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  // These two run without a tenant: they are security-definer functions that need none.

  /** The tenant id for an Entra tenant id, if that organisation has been onboarded. */
  public Optional<UUID> findByEntraTenantId(String entraTenantId) {
    return jdbc.sql("select id from tenant_for_entra(?)").param(entraTenantId).query(UUID.class).optional();
  }

  /** Onboards an organisation; when it already exists (a concurrent first sign-in) that tenant is returned unchanged. */
  public Onboarding onboard(String entraTenantId, String displayName, String onboardedBy) {
    return jdbc.sql("select id, created from onboard_tenant(?, ?, ?)")
        .param(entraTenantId)
        .param(displayName)
        .param(onboardedBy)
        .query((rs, i) -> new Onboarding(rs.getObject("id", UUID.class), rs.getBoolean("created")))
        .single();
  }

  /** The current tenant. */
  @Transactional(readOnly = true)
  public Tenant current() {
    return jdbc.sql(
            "select id, entra_tenant_id, display_name, onboarded_at, onboarded_by from tenant"
                + " where id = app_current_tenant()")
        .query(
            (rs, i) ->
                new Tenant(
                    rs.getObject("id", UUID.class),
                    rs.getString("entra_tenant_id"),
                    rs.getString("display_name"),
                    rs.getTimestamp("onboarded_at").toInstant(),
                    rs.getString("onboarded_by")))
        .single();
  }

  /** The outcome of an onboarding: the tenant, and whether this call created it. */
  public record Onboarding(UUID tenantId, boolean created) {}
}
