package io.portcullis.findings;

import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.tenancy.TenantScope;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The current tenant's stored inventories: what the scanner found in each image, kept so that matching can run again
 * whenever the advisories change, without pulling the image.
 */
@Repository
public class ImageInventories {

  /** Rows written per batch: large enough to amortise round trips, small enough to keep the statement's memory low. */
  private static final int BATCH = 1000;

  private final JdbcClient jdbc;
  private final JdbcTemplate template;

  ImageInventories(JdbcClient jdbc, JdbcTemplate template) {
    this.jdbc = jdbc;
    this.template = template;
  }

  static final int MAX_SECRETS = 500;
  private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
      .build();

  private static List<io.portcullis.scanner.sbom.InventorySecret> secrets(Inventory inventory) {
    return inventory.secrets() == null ? List.of() : inventory.secrets();
  }

  /** An image's stored inventory: its distribution and its packages. */
  public record Stored(UUID imageId, OsRelease os, List<InventoryPackage> packages) {}

  /** Replaces the image's inventory with {@code inventory} and records when it was analysed. */
  @Transactional
  public void store(UUID imageId, Inventory inventory) {
    UUID tenant = TenantScope.require();
    int updated = jdbc.sql(
            """
            update image set os_id = :osId, os_version = :osVersion, os_name = :osName, analysed_at = now(),
                   configuration = cast(:configuration as jsonb), secrets = cast(:secrets as jsonb),
                   layer_summary = cast(:layers as jsonb), secrets_risk = :secretsRisk, config_risk = :configRisk
             where id = :id
            """)
        .param("configuration", inventory.configuration() == null ? null : JSON.writeValueAsString(inventory.configuration()))
        .param("secrets", JSON.writeValueAsString(secrets(inventory).size() > MAX_SECRETS
            ? secrets(inventory).subList(0, MAX_SECRETS) : secrets(inventory)))
        .param("layers", JSON.writeValueAsString(inventory.layers() == null ? List.of() : inventory.layers()))
        .param("secretsRisk", ImageChecks.secretsRisk(secrets(inventory)))
        .param("configRisk", ImageChecks.configRisk(inventory.configuration()))
        .param("osId", inventory.os() == null ? null : inventory.os().id())
        .param("osVersion", inventory.os() == null ? null : inventory.os().versionId())
        .param("osName", inventory.os() == null ? null : inventory.os().prettyName())
        .param("id", imageId)
        .update();
    if (updated == 0) {
      throw new IllegalArgumentException("no image " + imageId + " in this tenant");
    }
    jdbc.sql("delete from image_package where image_id = ?").param(imageId).update();
    List<InventoryPackage> packages = inventory.packages();
    template.batchUpdate(
        """
        insert into image_package (tenant_id, image_id, ordinal, type, name, version, purl, architecture, source_name,
          source_version, license, found_by, path, layer, checksum, vendor)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        indexed(packages),
        BATCH,
        (PreparedStatement ps, Indexed item) -> {
          InventoryPackage p = item.pkg();
          ps.setObject(1, tenant);
          ps.setObject(2, imageId);
          ps.setInt(3, item.ordinal());
          ps.setString(4, p.type());
          ps.setString(5, p.name());
          ps.setString(6, p.version() == null ? "" : p.version());
          ps.setString(7, p.purl());
          ps.setString(8, p.architecture());
          ps.setString(9, p.sourceName());
          ps.setString(10, p.sourceVersion());
          ps.setString(11, p.license());
          ps.setString(12, p.foundBy());
          ps.setString(13, p.path());
          ps.setString(14, p.layer());
          ps.setString(15, p.checksum());
          ps.setString(16, p.vendor());
        });
  }

  /** The image's stored inventory, if it has one. */
  @Transactional(readOnly = true)
  public Optional<Stored> find(UUID imageId) {
    record Head(boolean analysed, OsRelease os) {}
    Optional<Head> head = jdbc.sql("select analysed_at is not null as analysed, os_id, os_version, os_name from image where id = ?")
        .param(imageId)
        .query((rs, i) -> new Head(rs.getBoolean("analysed"), os(rs)))
        .optional();
    if (head.isEmpty() || !head.get().analysed()) {
      return Optional.empty();
    }
    List<InventoryPackage> packages = jdbc.sql(
            """
            select type, name, version, purl, architecture, source_name, source_version, license, found_by, path, layer,
                   checksum, vendor
              from image_package where image_id = ? order by ordinal
            """)
        .param(imageId)
        .query(ImageInventories::pkg)
        .list();
    return Optional.of(new Stored(imageId, head.get().os(), packages));
  }

  private static OsRelease os(ResultSet rs) throws SQLException {
    String id = rs.getString("os_id");
    return id == null ? null : new OsRelease(id, rs.getString("os_version"), null, rs.getString("os_name"));
  }

  static InventoryPackage pkg(ResultSet rs, int row) throws SQLException {
    return new InventoryPackage(
        rs.getString("type"), rs.getString("name"), rs.getString("version"), rs.getString("purl"),
        rs.getString("architecture"), rs.getString("source_name"), rs.getString("source_version"),
        rs.getString("license"), rs.getString("found_by"), rs.getString("path"), rs.getString("layer"),
        rs.getString("checksum"), rs.getString("vendor"));
  }

  private record Indexed(int ordinal, InventoryPackage pkg) {}

  private static List<Indexed> indexed(List<InventoryPackage> packages) {
    return java.util.stream.IntStream.range(0, packages.size()).mapToObj(i -> new Indexed(i, packages.get(i))).toList();
  }
}
