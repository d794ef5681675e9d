/**
 * Tenancy: which organisation a unit of work belongs to, and the database connection that enforces it. The tenant comes
 * from the signed-in principal or from an explicit {@link io.portcullis.tenancy.TenantScope} (jobs, sign-in) and is set on
 * every transaction with {@code set_config('app.tenant_id', ?, true)}; PostgreSQL row-level security does the rest. A
 * transaction without a tenant fails.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tenancy")
package io.portcullis.tenancy;
