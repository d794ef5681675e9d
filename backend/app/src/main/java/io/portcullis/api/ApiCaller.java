package io.portcullis.api;

import io.portcullis.tenancy.TenantPrincipal;
import java.util.UUID;

/**
 * Who is calling the REST API: a Portcullis API token or the holder of an Entra access token. It names its tenant, so
 * {@link io.portcullis.tenancy.TenantScope} binds every transaction of the request to it as it does for a signed-in
 * user.
 *
 * @param tenantId the tenant the token belongs to
 * @param tokenId the Portcullis token's id; null for an Entra access token
 * @param actor how the caller appears in logs and the audit log
 * @param scope what the caller may do
 * @param rateKey the key of the caller's rate limit: one bucket per token, or per Entra identity
 */
public record ApiCaller(UUID tenantId, UUID tokenId, String actor, ApiScope scope, String rateKey)
    implements TenantPrincipal {}
