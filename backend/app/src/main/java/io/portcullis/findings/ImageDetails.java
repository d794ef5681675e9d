package io.portcullis.findings;

import io.portcullis.scanner.analysis.config.ImageConfiguration;
import io.portcullis.scanner.sbom.CycloneDx;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.scanner.sbom.InventorySecret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an image's scan stored beyond its findings, for the image page and the SBOM download: its layers and what each
 * brought, its packages, its secrets (redacted), its configuration and the checks it fails, and its rolled-up risk.
 */
@Service
public class ImageDetails {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;
  private final ImageInventories inventories;

  ImageDetails(JdbcClient jdbc, ImageInventories inventories) {
    this.jdbc = jdbc;
    this.inventories = inventories;
  }

  /** A layer, base first, with how many packages it brought. */
  public record LayerRow(int index, String digest, long size, long entries, int packages, List<String> problems) {}

  /** The image's risk (docs/risk.md): the worst of its findings, secrets and configuration. */
  public record Risk(int total, int findings, int secrets, int configuration) {}

  /** Everything the page shows besides findings. */
  public record Details(List<LayerRow> layers, List<InventoryPackage> packages, List<InventorySecret> secrets,
      ImageConfiguration configuration, List<ImageChecks.Check> checks, Risk risk) {}

  @Transactional(readOnly = true)
  public Optional<Details> of(UUID imageId) {
    record Row(String configuration, String secrets, String layers, int secretsRisk, int configRisk, int findingsRisk) {}
    Optional<Row> row = jdbc.sql(
            """
            select i.configuration::text, i.secrets::text, i.layer_summary::text, i.secrets_risk, i.config_risk,
                   coalesce((select max(%s)
                               from finding f where f.image_id = i.id and f.status = 'OPEN'
                                and f.triage in ('OPEN', 'IN_TRIAGE')), 0)
              from image i where i.id = ? and i.analysed_at is not null
            """.formatted(RiskOverview.RISK))
        .param(imageId)
        .query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
            rs.getInt(6)))
        .optional();
    if (row.isEmpty()) {
      return Optional.empty();
    }
    Row r = row.get();
    ImageConfiguration configuration = r.configuration() == null ? null
        : JSON.readValue(r.configuration(), ImageConfiguration.class);
    List<InventorySecret> secrets = JSON.readValue(r.secrets(), new TypeReference<List<InventorySecret>>() {});
    List<Inventory.Layer> layers = JSON.readValue(r.layers(), new TypeReference<List<Inventory.Layer>>() {});
    List<InventoryPackage> packages = inventories.find(imageId).map(ImageInventories.Stored::packages).orElse(List.of());
    Map<String, Integer> byLayer = new LinkedHashMap<>();
    packages.forEach(p -> byLayer.merge(p.layer() == null ? "" : p.layer(), 1, Integer::sum));
    List<LayerRow> rows = new ArrayList<>();
    for (Inventory.Layer layer : layers) {
      rows.add(new LayerRow(layer.index(), layer.digest(), layer.size(), layer.entries(),
          byLayer.getOrDefault(layer.digest(), 0), layer.problems()));
    }
    int total = Math.max(r.findingsRisk(), Math.max(r.secretsRisk(), r.configRisk()));
    return Optional.of(new Details(rows, packages, secrets, configuration, ImageChecks.of(configuration),
        new Risk(total, r.findingsRisk(), r.secretsRisk(), r.configRisk())));
  }

  /** The image's stored inventory as CycloneDX 1.6 JSON, or empty when it was never scanned. */
  @Transactional(readOnly = true)
  public Optional<String> cycloneDx(UUID imageId, String reference) {
    return inventories.find(imageId).map(stored -> {
      Map<String, Object> head = jdbc.sql("select i.digest, i.platform, i.configuration::text as configuration,"
              + " r.name as repository from image i join container_repository r on r.id = i.repository_id"
              + " where i.id = ?").param(imageId).query().singleRow();
      String config = (String) head.get("configuration");
      ImageConfiguration configuration = config == null ? null : JSON.readValue(config, ImageConfiguration.class);
      String name = reference != null ? reference : head.get("repository") + "@" + head.get("digest");
      return CycloneDx.json(new Inventory(name, (String) head.get("digest"), (String) head.get("platform"),
          stored.os(), configuration, stored.packages(), List.of()));
    });
  }
}
