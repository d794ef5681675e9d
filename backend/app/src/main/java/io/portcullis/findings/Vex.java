package io.portcullis.findings;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.vulnerability.Vulnerability;
import org.cyclonedx.model.vulnerability.Vulnerability.Analysis;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tenant's triage decisions as VEX: exported as CycloneDX (1.6, through the CycloneDX library) and as OpenVEX
 * (0.2.0, written here: no maintained Java library for it exists), and OpenVEX documents imported as decisions.
 *
 * <p>Each decided, open finding is one statement about one package (its purl) in one image (its OCI purl). Mapping:
 * not affected → not_affected with its justification; false positive → not_affected (OpenVEX has no such status; the
 * impact statement says so) / false_positive (CycloneDX); accepted risk → affected with an action statement naming the
 * expiry / exploitable with "will not fix" (CycloneDX); in triage → under_investigation / in_triage.
 */
@Service
public class Vex {

  public static final int MAX_IMPORT_BYTES = 1 << 20;
  static final int MAX_STATEMENTS = 10_000;
  static final String OPENVEX_CONTEXT = "https://openvex.dev/ns/v0.2.0";

  private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(100_000).build())
          .build())
      .build();

  private final JdbcClient jdbc;
  private final Triage triage;

  Vex(JdbcClient jdbc, Triage triage) {
    this.jdbc = jdbc;
    this.triage = triage;
  }

  /** A decided finding with what a VEX statement needs. */
  record Decided(UUID id, String vulnerability, List<String> identifiers, String packagePurl, String packageName,
      String packageVersion, String triage, String justification, String vexJustification, Instant expiresAt,
      Instant decidedAt, String repository, String digest, String endpoint) {

    String imagePurl() {
      String host = URI.create(endpoint).getHost();
      String name = repository.substring(repository.lastIndexOf('/') + 1);
      return "pkg:oci/" + name + "@" + digest.replace(":", "%3A") + "?repository_url=" + host + "/" + repository;
    }

    String component() {
      return packagePurl != null ? packagePurl : "pkg:generic/" + packageName + "@" + packageVersion;
    }
  }

  private List<Decided> decided() {
    return jdbc.sql(
            """
            select f.id, f.vulnerability, f.identifiers, f.package_purl, f.package_name, f.package_version, f.triage,
                   f.triage_justification, f.vex_justification, f.triage_expires_at, f.triaged_at, r.name, i.digest,
                   c.endpoint
              from finding f join image i on i.id = f.image_id
                   join container_repository r on r.id = i.repository_id
                   join registry_connection c on c.id = r.connection_id
             where f.status = 'OPEN' and f.triage <> 'OPEN' and i.gone_at is null
             order by f.vulnerability, r.name, i.digest, f.package_name
            """)
        .query((rs, i) -> new Decided(rs.getObject(1, UUID.class), rs.getString(2),
            List.of((String[]) rs.getArray(3).getArray()), rs.getString(4), rs.getString(5), rs.getString(6),
            rs.getString(7), rs.getString(8), rs.getString(9), instant(rs.getTimestamp(10)),
            instant(rs.getTimestamp(11)), rs.getString(12), rs.getString(13), rs.getString(14)))
        .list();
  }

  /** The tenant's decisions as an OpenVEX document. */
  @Transactional(readOnly = true)
  public String openVex(String author, String tenantName) {
    Instant now = Instant.now();
    ObjectNode document = JSON.createObjectNode();
    document.put("@context", OPENVEX_CONTEXT);
    document.put("@id", "https://portcullis.io/vex/" + UUID.randomUUID());
    document.put("author", author + " (" + tenantName + ")");
    document.put("role", "Document Creator");
    document.put("timestamp", now.toString());
    document.put("version", 1);
    document.put("tooling", "Portcullis");
    ArrayNode statements = document.putArray("statements");
    for (Decided d : decided()) {
      ObjectNode statement = statements.addObject();
      ObjectNode vulnerability = statement.putObject("vulnerability");
      vulnerability.put("name", d.vulnerability());
      ArrayNode aliases = vulnerability.putArray("aliases");
      d.identifiers().stream().filter(id -> !id.equals(d.vulnerability())).forEach(aliases::add);
      if (d.decidedAt() != null) {
        statement.put("timestamp", d.decidedAt().toString());
      }
      ObjectNode product = statement.putArray("products").addObject();
      product.put("@id", d.imagePurl());
      product.putArray("subcomponents").addObject().put("@id", d.component());
      switch (d.triage()) {
        case "NOT_AFFECTED" -> {
          statement.put("status", "not_affected");
          statement.put("justification", d.vexJustification());
          if (d.justification() != null) {
            statement.put("impact_statement", d.justification());
          }
        }
        case "FALSE_POSITIVE" -> {
          statement.put("status", "not_affected");
          statement.put("impact_statement", "False positive: " + d.justification());
        }
        case "ACCEPTED_RISK" -> {
          statement.put("status", "affected");
          statement.put("action_statement", "Risk accepted until " + d.expiresAt() + ": " + d.justification());
        }
        default -> statement.put("status", "under_investigation");
      }
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document);
  }

  /** The tenant's decisions as a CycloneDX 1.6 VEX document. */
  @Transactional(readOnly = true)
  public String cycloneDx(String tenantName) {
    Bom bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + UUID.randomUUID());
    Metadata metadata = new Metadata();
    metadata.setTimestamp(new Date());
    Component subject = new Component();
    subject.setType(Component.Type.APPLICATION);
    subject.setName(tenantName + " container images");
    subject.setBomRef("portcullis-tenant");
    metadata.setComponent(subject);
    bom.setMetadata(metadata);
    Map<String, Component> components = new LinkedHashMap<>();
    List<Vulnerability> vulnerabilities = new ArrayList<>();
    for (Decided d : decided()) {
      String ref = d.imagePurl() + "#" + d.component();
      components.computeIfAbsent(ref, r -> {
        Component c = new Component();
        c.setType(Component.Type.LIBRARY);
        c.setName(d.packageName());
        c.setVersion(d.packageVersion());
        c.setPurl(d.component());
        c.setBomRef(r);
        return c;
      });
      Vulnerability v = new Vulnerability();
      v.setBomRef(d.id().toString());
      v.setId(d.vulnerability());
      Analysis analysis = new Analysis();
      switch (d.triage()) {
        case "NOT_AFFECTED" -> {
          analysis.setState(Analysis.State.NOT_AFFECTED);
          analysis.setJustification(switch (d.vexJustification()) {
            case "vulnerable_code_not_in_execute_path" -> Analysis.Justification.CODE_NOT_REACHABLE;
            case "vulnerable_code_cannot_be_controlled_by_adversary" -> Analysis.Justification.REQUIRES_ENVIRONMENT;
            case "inline_mitigations_already_exist" -> Analysis.Justification.PROTECTED_BY_MITIGATING_CONTROL;
            default -> Analysis.Justification.CODE_NOT_PRESENT;
          });
        }
        case "FALSE_POSITIVE" -> analysis.setState(Analysis.State.FALSE_POSITIVE);
        case "ACCEPTED_RISK" -> {
          analysis.setState(Analysis.State.EXPLOITABLE);
          analysis.addResponse(Analysis.Response.WILL_NOT_FIX);
        }
        default -> analysis.setState(Analysis.State.IN_TRIAGE);
      }
      String detail = d.justification() == null ? "" : d.justification();
      if (d.expiresAt() != null) {
        detail = "Accepted until " + d.expiresAt() + ". " + detail;
      }
      if (!detail.isBlank()) {
        analysis.setDetail(detail.strip());
      }
      if (d.decidedAt() != null) {
        analysis.setLastUpdated(Date.from(d.decidedAt()));
      }
      v.setAnalysis(analysis);
      Vulnerability.Affect affect = new Vulnerability.Affect();
      affect.setRef(ref);
      v.setAffects(List.of(affect));
      vulnerabilities.add(v);
    }
    bom.setComponents(new ArrayList<>(components.values()));
    bom.setVulnerabilities(vulnerabilities);
    try {
      return BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString();
    } catch (GeneratorException e) {
      throw new IllegalStateException("the VEX document could not be written: " + e.getMessage(), e);
    }
  }

  /** What an import did: statements read, findings changed, and statements not applied with why. */
  public record ImportResult(int statements, int changed, List<String> skipped) {}

  /** A document that is not OpenVEX, or too large. */
  public static final class InvalidVexException extends RuntimeException {
    public InvalidVexException(String message) {
      super(message);
    }
  }

  /**
   * Applies an OpenVEX document's statements to the tenant in scope's findings: a statement names a vulnerability (or
   * one of its aliases) and products — image purls (with the image's digest) and/or package purls as subcomponents —
   * and changes the open findings it names. not_affected (with a justification) → not affected; under_investigation
   * → in triage; affected and fixed change nothing (matching decides those).
   */
  @Transactional
  public ImportResult importOpenVex(byte[] document, String actor) {
    if (document.length > MAX_IMPORT_BYTES) {
      throw new InvalidVexException("The document is larger than 1 MiB.");
    }
    JsonNode root;
    try {
      root = JSON.readTree(document);
    } catch (RuntimeException e) {
      throw new InvalidVexException("The document is not JSON: " + clip(e.getMessage()));
    }
    if (root == null || !root.isObject() || !root.path("@context").asString("").startsWith("https://openvex.dev/ns")) {
      throw new InvalidVexException("The document is not OpenVEX (no https://openvex.dev/ns @context).");
    }
    JsonNode statements = root.path("statements");
    if (!statements.isArray()) {
      throw new InvalidVexException("The document has no statements.");
    }
    if (statements.size() > MAX_STATEMENTS) {
      throw new InvalidVexException("The document has more than " + MAX_STATEMENTS + " statements.");
    }
    int changed = 0;
    List<String> skipped = new ArrayList<>();
    int index = 0;
    for (JsonNode statement : statements) {
      String where = "statement " + index++;
      String name = statement.path("vulnerability").path("name").asString(null);
      String status = statement.path("status").asString(null);
      if (name == null || name.isBlank() || name.length() > 256 || status == null) {
        skipped.add(where + ": no vulnerability name or status");
        continue;
      }
      List<String> names = new ArrayList<>(List.of(name));
      statement.path("vulnerability").path("aliases").forEach(a -> {
        if (a.isString() && a.asString().length() <= 256 && names.size() < 50) {
          names.add(a.asString());
        }
      });
      Triage.Decision decision;
      switch (status) {
        case "not_affected" -> {
          String justification = statement.path("justification").asString(null);
          if (justification == null || !TriageState.VEX_JUSTIFICATIONS.contains(justification)) {
            skipped.add(where + " (" + name + "): not_affected without one of the VEX justifications");
            continue;
          }
          decision = new Triage.Decision(TriageState.NOT_AFFECTED,
              clip(statement.path("impact_statement").asString("Imported from OpenVEX")), justification, null);
        }
        case "under_investigation" -> decision = new Triage.Decision(TriageState.IN_TRIAGE,
            "Imported from OpenVEX", null, null);
        case "affected", "fixed" -> {
          skipped.add(where + " (" + name + "): " + status + " is decided by matching, not imported");
          continue;
        }
        default -> {
          skipped.add(where + " (" + name + "): unknown status " + clip(status));
          continue;
        }
      }
      List<String> products = new ArrayList<>();
      List<String> packages = new ArrayList<>();
      for (JsonNode product : statement.path("products")) {
        String id = product.path("@id").asString(null);
        if (id != null && id.length() <= 2000) {
          (id.startsWith("pkg:oci/") ? products : packages).add(id);
        }
        for (JsonNode sub : product.path("subcomponents")) {
          String subId = sub.path("@id").asString(null);
          if (subId != null && subId.length() <= 2000) {
            packages.add(subId);
          }
        }
      }
      List<String> digests = products.stream().map(Vex::digestOf).filter(d -> d != null).toList();
      List<String> purls = packages.stream().map(Vex::withoutQualifiers).toList();
      if (digests.isEmpty() && purls.isEmpty()) {
        skipped.add(where + " (" + name + "): names no image or package this installation can identify");
        continue;
      }
      List<UUID> ids = jdbc.sql(
              """
              select f.id from finding f join image i on i.id = f.image_id
               where f.status = 'OPEN' and (f.vulnerability = any(?::text[]) or f.identifiers && ?::text[])
                 and (cardinality(?::text[]) = 0 or i.digest = any(?::text[]))
                 and (cardinality(?::text[]) = 0
                      or split_part(split_part(f.package_purl, '?', 1), '#', 1) = any(?::text[]))
              """)
          .params(names.toArray(String[]::new), names.toArray(String[]::new), digests.toArray(String[]::new),
              digests.toArray(String[]::new), purls.toArray(String[]::new), purls.toArray(String[]::new))
          .query(UUID.class).list();
      if (ids.isEmpty()) {
        skipped.add(where + " (" + name + "): matches no open finding");
        continue;
      }
      changed += triage.decide(ids.size() > Triage.MAX_BULK ? ids.subList(0, Triage.MAX_BULK) : ids, decision, actor)
          .changed();
    }
    return new ImportResult(statements.size(), changed, skipped.size() > 100 ? skipped.subList(0, 100) : skipped);
  }

  /** The digest an OCI purl names ({@code pkg:oci/app@sha256%3A...}), or null. */
  static String digestOf(String purl) {
    int at = purl.indexOf('@');
    if (at < 0) {
      return null;
    }
    String version = purl.substring(at + 1);
    int end = version.indexOf('?');
    version = (end < 0 ? version : version.substring(0, end)).replace("%3A", ":").replace("%3a", ":");
    return version.matches("sha256:[a-f0-9]{64}") ? version : null;
  }

  static String withoutQualifiers(String purl) {
    int cut = purl.length();
    for (char c : new char[] {'?', '#'}) {
      int i = purl.indexOf(c);
      if (i >= 0) {
        cut = Math.min(cut, i);
      }
    }
    return purl.substring(0, cut);
  }

  private static String clip(String text) {
    if (text == null) {
      return null;
    }
    return text.length() > 500 ? text.substring(0, 500) : text;
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
