package io.portcullis.tenancy;

import java.util.UUID;

/** A signed-in principal that belongs to exactly one tenant. */
public interface TenantPrincipal {

  UUID tenantId();
}
