package io.portcullis.api;

import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A tenant with what discovery would have found: registries, repositories, images and tags, written as the application
 * role under the tenant's own row-level security, as discovery writes them.
 */
public final class TenantData {

  public final UUID tenant;
  /** The Entra tenant id ({@code tid}) the tenant was onboarded with. */
  public final String entraTenantId = UUID.randomUUID().toString();
  public final List<UUID> registries = new ArrayList<>();
  public final List<UUID> repositories = new ArrayList<>();
  public final List<UUID> images = new ArrayList<>();
  public final List<String> digests = new ArrayList<>();
  public final List<UUID> findings = new ArrayList<>();

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  public TenantData(Tenants tenants, JdbcClient jdbc, PlatformTransactionManager transactionManager, String name) {
    this.tenant = tenants.onboard(entraTenantId, name, "test").tenantId();
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
  }

  /** A token of this tenant, as an Admin would make it. */
  public String token(ApiTokens tokens, ApiScope scope) {
    return TenantScope.callAs(tenant, () -> tokens.create("test " + scope, scope, 30, "admin@test").secret());
  }

  public UUID registry(String name) {
    UUID id = inTenant(() -> jdbc.sql(
            "insert into registry_connection (tenant_id, name, kind, endpoint, auth, created_by)"
                + " values (app_current_tenant(), ?, 'OCI', ?, 'ANONYMOUS', 'test') returning id")
        .params(name, "https://" + name.toLowerCase().replaceAll("[^a-z0-9]", "") + ".registry.example")
        .query(UUID.class)
        .single());
    registries.add(id);
    return id;
  }

  public UUID repository(UUID registry, String name) {
    UUID id = inTenant(() -> jdbc.sql(
            "insert into container_repository (tenant_id, connection_id, name) values (app_current_tenant(), ?, ?)"
                + " returning id")
        .params(registry, name)
        .query(UUID.class)
        .single());
    repositories.add(id);
    return id;
  }

  /** An image of {@code repository} with a fresh digest, and {@code tags} pointing at it. */
  public UUID image(UUID repository, String platform, String... tags) {
    String digest = "sha256:" + sha(UUID.randomUUID().toString());
    UUID id = inTenant(() -> {
      UUID image = jdbc.sql(
              "insert into image (tenant_id, repository_id, digest, media_type, is_index, platform, size, layers)"
                  + " values (app_current_tenant(), ?, ?, 'application/vnd.oci.image.manifest.v1+json', false, ?, 1234,"
                  + " '[{\"digest\": \"sha256:" + "a".repeat(64) + "\", \"size\": 1000,"
                  + " \"mediaType\": \"application/vnd.oci.image.layer.v1.tar+gzip\"}]') returning id")
          .params(repository, digest, platform)
          .query(UUID.class)
          .single();
      for (String tag : tags) {
        jdbc.sql("insert into tag (tenant_id, repository_id, name, digest) values (app_current_tenant(), ?, ?, ?)")
            .params(repository, tag, digest)
            .update();
      }
      return image;
    });
    images.add(id);
    digests.add(digest);
    return id;
  }

  /** An open finding of {@code vulnerability} in a package of {@code image}. */
  public UUID finding(UUID image, String vulnerability) {
    UUID id = inTenant(() -> jdbc.sql(
            """
            insert into finding (tenant_id, image_id, vulnerability, identifiers, package_key, package_type,
              package_name, package_version, package_path, layer, fixed_version, severity, cvss_score, evidence, state,
              status)
            values (app_current_tenant(), ?, ?, ?, 'npm|left-pad|1.3.0|p', 'npm', 'left-pad', '1.3.0', 'p', 'l',
                    '1.3.1', 'HIGH', 7.5, '[]', ?, 'OPEN')
            returning id
            """)
        .params(image, vulnerability, new String[] {vulnerability}, "0".repeat(64))
        .query(UUID.class)
        .single());
    findings.add(id);
    return id;
  }

  /** Every id and digest of this tenant, as text: none may appear in another tenant's answers. */
  public List<String> identifiers() {
    List<String> all = new ArrayList<>();
    findings.forEach(id -> all.add(id.toString()));
    registries.forEach(id -> all.add(id.toString()));
    repositories.forEach(id -> all.add(id.toString()));
    images.forEach(id -> all.add(id.toString()));
    all.addAll(digests);
    return all;
  }

  private <T> T inTenant(java.util.function.Supplier<T> work) {
    return TenantScope.callAs(tenant, () -> transactions.execute(status -> work.get()));
  }

  private static String sha(String value) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes());
      return java.util.HexFormat.of().formatHex(hash);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
