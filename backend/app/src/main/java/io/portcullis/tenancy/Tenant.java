package io.portcullis.tenancy;

import java.time.Instant;
import java.util.UUID;

/** An organisation using Portcullis, known by its Entra tenant id. */
public record Tenant(UUID id, String entraTenantId, String displayName, Instant onboardedAt, String onboardedBy) {}
