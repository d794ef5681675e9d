package io.portcullis.findings.internal;

import io.portcullis.findings.FindingEvents.FindingFixed;
import io.portcullis.findings.FindingEvents.FindingOpened;
import io.portcullis.findings.FindingEvents.ImageMatched;
import io.portcullis.scanner.matching.Match;
import io.portcullis.scanner.matching.Vulnerability;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.tenancy.TenantScope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Brings an image's findings in line with a fresh match, inside the caller's transaction and tenant: a vulnerability
 * seen for the first time (or again after it was fixed) opens, one that is no longer matched is marked fixed with the
 * time, and one that stays is written only when something about it changed — re-matching thousands of unchanged images
 * writes almost nothing.
 */
@Component
class FindingWriter {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final ApplicationEventPublisher events;

  FindingWriter(JdbcClient jdbc, JdbcTemplate template, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.template = template;
    this.events = events;
  }

  /** What a match changed. */
  record Outcome(int open, int opened, int fixed) {}

  private record Row(UUID id, String status, String state) {}

  private record Fresh(
      Vulnerability vulnerability, Enrichment.Enriched enriched, String key, String evidence, String state) {}

  /**
   * The evidence of a vulnerability as stored, remembered for a run: the same advisories match the same package
   * versions in image after image, and writing their evidence again for each is most of what an unchanged re-match costs.
   */
  static final class EvidenceMemo {
    private record Key(List<String> advisories, List<Match.Evidence> evidence) {}

    private final java.util.concurrent.ConcurrentHashMap<Key, String> json = new java.util.concurrent.ConcurrentHashMap<>();

    String of(Vulnerability v) {
      List<String> advisories = new ArrayList<>(v.matches().size());
      List<Match.Evidence> evidence = new ArrayList<>(v.matches().size());
      for (Match m : v.matches()) {
        advisories.add(m.advisoryId());
        evidence.add(m.evidence());
      }
      if (json.size() > 200_000) {
        json.clear(); // bounded: a run over a very varied fleet only loses the memo, never memory
      }
      return json.computeIfAbsent(new Key(advisories, evidence), k -> evidence(v));
    }
  }

  Outcome apply(UUID imageId, List<Vulnerability> vulnerabilities, Enrichment enrichment, int problems,
      List<String> foreign) {
    return apply(imageId, vulnerabilities, enrichment, new EvidenceMemo(), problems, foreign);
  }

  Outcome apply(UUID imageId, List<Vulnerability> vulnerabilities, Enrichment enrichment, EvidenceMemo memo,
      int problems, List<String> foreign) {
    UUID tenant = TenantScope.require();
    Map<String, Fresh> fresh = new HashMap<>();
    for (Vulnerability v : vulnerabilities) {
      Enrichment.Enriched enriched = enrichment.of(v);
      String key = v.id() + "\u0000" + packageKey(v.pkg());
      if (!fresh.containsKey(key)) {
        String evidence = memo.of(v);
        fresh.put(key, new Fresh(v, enriched, packageKey(v.pkg()), evidence, state(v, enriched, evidence)));
      }
    }

    String digest = digest(fresh);
    String stored = jdbc.sql("select findings_state from image where id = ?").param(imageId)
        .query(String.class).optional().orElse(null);
    if (digest.equals(stored)) {
      // the open findings are exactly what this match found, as it found them: nothing to read, nothing to write
      markMatched(imageId, problems, foreign, digest);
      Outcome outcome = new Outcome(fresh.size(), 0, 0);
      events.publishEvent(new ImageMatched(tenant, imageId, outcome.open(), 0, 0));
      return outcome;
    }
    Map<String, Row> existing = new HashMap<>();
    jdbc.sql("select id, vulnerability, package_key, status, state from finding where image_id = ?")
        .param(imageId)
        .query((rs, i) -> existing.put(rs.getString("vulnerability") + "\u0000" + rs.getString("package_key"),
            new Row(rs.getObject("id", UUID.class), rs.getString("status"), rs.getString("state"))))
        .list();

    List<Object[]> inserts = new ArrayList<>();
    List<Object[]> updates = new ArrayList<>();
    int opened = 0;
    for (Map.Entry<String, Fresh> entry : fresh.entrySet()) {
      Fresh f = entry.getValue();
      Row row = existing.get(entry.getKey());
      if (row == null) {
        UUID id = UUID.randomUUID();
        inserts.add(values(id, tenant, imageId, f));
        opened++;
        publishOpened(tenant, imageId, id, f);
      } else if (row.status().equals("FIXED")) {
        updates.add(reopen(row.id(), f));
        opened++;
        publishOpened(tenant, imageId, row.id(), f);
      } else if (!Objects.equals(row.state(), f.state())) {
        updates.add(refresh(row.id(), f));
      }
    }
    if (!inserts.isEmpty()) {
      template.batchUpdate(
          """
          insert into finding (id, tenant_id, image_id, vulnerability, identifiers, package_key, package_type,
            package_name, package_version, package_purl, package_path, layer, fixed_version, severity, cvss_score,
            cvss_vector, epss, epss_percentile, kev, summary, evidence, state, status)
          values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, 'OPEN')
          """,
          arrays(inserts));
    }
    if (!updates.isEmpty()) {
      template.batchUpdate(
          """
          update finding set identifiers = ?, layer = ?, fixed_version = ?, severity = ?, cvss_score = ?, cvss_vector = ?,
            epss = ?, epss_percentile = ?, kev = ?, summary = ?, evidence = ?::jsonb, state = ?, last_matched_at = now(),
            status = 'OPEN', fixed_at = null, opened_at = case when ? then now() else opened_at end
           where id = ?
          """,
          arrays(updates));
    }
    List<UUID> gone = new ArrayList<>();
    existing.forEach((key, row) -> {
      if (row.status().equals("OPEN") && !fresh.containsKey(key)) {
        gone.add(row.id());
      }
    });
    if (!gone.isEmpty()) {
      // one statement for all of them: an advisory correction can fix thousands of findings at once
      template.query(
          "update finding set status = 'FIXED', fixed_at = now() where id = any(?) returning id, vulnerability",
          ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", gone.toArray())),
          (rs, i) -> {
            events.publishEvent(
                new FindingFixed(tenant, imageId, rs.getObject("id", UUID.class), rs.getString("vulnerability")));
            return null;
          });
    }
    markMatched(imageId, problems, foreign, digest);
    Outcome outcome = new Outcome(fresh.size(), opened, gone.size());
    events.publishEvent(new ImageMatched(tenant, imageId, outcome.open(), outcome.opened(), outcome.fixed()));
    return outcome;
  }

  private void markMatched(UUID imageId, int problems, List<String> foreign, String digest) {
    List<String> flagged = foreign.size() > 200 ? foreign.subList(0, 200) : foreign;
    template.update(
        "update image set matched_at = now(), match_problems = ?, foreign_packages = ?, findings_state = ? where id = ?",
        ps -> {
          ps.setInt(1, problems);
          ps.setArray(2, ps.getConnection().createArrayOf("text", flagged.toArray()));
          ps.setString(3, digest);
          ps.setObject(4, imageId);
        });
  }

  /** One digest over every finding a match found, in a stable order: equal digests, equal open findings. */
  private static String digest(Map<String, Fresh> fresh) {
    List<String> keys = new ArrayList<>(fresh.keySet());
    java.util.Collections.sort(keys);
    MessageDigest sha = sha256();
    for (String key : keys) {
      sha.update(key.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 1);
      sha.update(fresh.get(key).state().getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 2);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** Which package of the image: the same jar at two paths is two packages, each with its own finding. */
  static String packageKey(InventoryPackage p) {
    return p.type() + "|" + p.name() + "|" + p.version() + "|" + p.path();
  }

  /**
   * A digest of everything a re-match may change, stored with the finding, so an unchanged finding is recognised
   * without comparing column by column.
   */
  private static String state(Vulnerability v, Enrichment.Enriched e, String evidence) {
    String text = String.join("\u0000", String.join(",", v.identifiers()), v.pkg().layer(), String.valueOf(v.fixed()),
        e.severity().name(), String.valueOf(e.cvssScore()), String.valueOf(e.cvssVector()), String.valueOf(e.epss()),
        String.valueOf(e.epssPercentile()), Boolean.toString(e.kev()), String.valueOf(e.summary()), evidence);
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String evidence(Vulnerability v) {
    ArrayNode array = JSON.createArrayNode();
    for (Match m : v.matches()) {
      ObjectNode o = array.addObject();
      o.put("advisory", m.advisoryId());
      o.put("matcher", m.evidence().matcher());
      o.put("ecosystem", m.evidence().ecosystem());
      o.put("name", m.evidence().name());
      o.put("version", m.evidence().version());
      o.put("scheme", m.evidence().scheme());
      o.put("range", m.evidence().range());
      if (m.evidence().fixed() != null) {
        o.put("fixed", m.evidence().fixed());
      }
    }
    return JSON.writeValueAsString(array);
  }

  private Object[] values(UUID id, UUID tenant, UUID imageId, Fresh f) {
    Vulnerability v = f.vulnerability();
    Enrichment.Enriched e = f.enriched();
    InventoryPackage p = v.pkg();
    return new Object[] {id, tenant, imageId, v.id(), textArray(v.identifiers()), f.key(), p.type(), p.name(),
        p.version(), p.purl(), p.path(), p.layer(), v.fixed(), e.severity().name(), e.cvssScore(), e.cvssVector(),
        e.epss(), e.epssPercentile(), e.kev(), e.summary(), f.evidence(), f.state()};
  }

  private Object[] refresh(UUID id, Fresh f) {
    return update(id, f, false);
  }

  private Object[] reopen(UUID id, Fresh f) {
    return update(id, f, true);
  }

  private Object[] update(UUID id, Fresh f, boolean reopened) {
    Vulnerability v = f.vulnerability();
    Enrichment.Enriched e = f.enriched();
    return new Object[] {textArray(v.identifiers()), v.pkg().layer(), v.fixed(), e.severity().name(), e.cvssScore(),
        e.cvssVector(), e.epss(), e.epssPercentile(), e.kev(), e.summary(), f.evidence(), f.state(), reopened, id};
  }

  private void publishOpened(UUID tenant, UUID imageId, UUID id, Fresh f) {
    events.publishEvent(new FindingOpened(tenant, imageId, id, f.vulnerability().id(), f.enriched().severity().name(),
        f.vulnerability().pkg().name(), f.vulnerability().pkg().version()));
  }

  private record TextArray(List<String> values) {}

  private static TextArray textArray(List<String> values) {
    return new TextArray(values);
  }

  private List<Object[]> arrays(List<Object[]> rows) {
    return template.execute((Connection c) -> {
      List<Object[]> converted = new ArrayList<>(rows.size());
      for (Object[] row : rows) {
        Object[] copy = row.clone();
        for (int i = 0; i < copy.length; i++) {
          if (copy[i] instanceof TextArray t) {
            copy[i] = c.createArrayOf("text", t.values().toArray());
          }
        }
        converted.add(copy);
      }
      return converted;
    });
  }

}
