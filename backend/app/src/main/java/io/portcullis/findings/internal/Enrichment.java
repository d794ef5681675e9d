package io.portcullis.findings.internal;

import io.portcullis.scanner.matching.Vulnerability;
import io.portcullis.scanner.severity.Cvss;
import io.portcullis.scanner.severity.CvssScore;
import io.portcullis.scanner.severity.CvssVersion;
import io.portcullis.scanner.severity.InvalidCvssVectorException;
import io.portcullis.scanner.severity.Severity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a finding says beyond the match: severity and CVSS, a summary, EPSS and KEV. Every advisory about the
 * vulnerability counts — the ones that matched and the ones that name any of its identifiers as an alias — because
 * distributions rarely score what GitHub or NVD-derived records do. The CVSS shown is a v3.1 (then v3.0) vector when
 * any advisory has one, the scale most tools and policies use, else v4.0, else v2; within a version the highest score.
 * Without any vector the worst word an advisory uses; without that, {@code UNKNOWN}.
 *
 * <p>Reference data only, so one instance serves a whole run and remembers what it read.
 */
final class Enrichment {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final List<CvssVersion> PREFERENCE =
      List.of(CvssVersion.V3_1, CvssVersion.V3_0, CvssVersion.V4_0, CvssVersion.V2_0);

  private final JdbcClient jdbc;
  private final Map<String, Advisory> advisories = new ConcurrentHashMap<>();
  private final Map<String, List<String>> aliasedBy = new ConcurrentHashMap<>();
  private final Map<String, Optional<Epss>> epss = new ConcurrentHashMap<>();
  private final Map<String, Boolean> kev = new ConcurrentHashMap<>();
  private final Map<String, Enriched> enriched = new ConcurrentHashMap<>();

  Enrichment(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** What the finding shows of a vulnerability. */
  record Enriched(Severity severity, BigDecimal cvssScore, String cvssVector, String summary, Float epss,
      Float epssPercentile, boolean kev) {}

  private record Advisory(String id, List<String> vectors, String word, String summary) {}

  private record Epss(float score, float percentile) {}

  Enriched of(Vulnerability vulnerability) {
    List<String> matched = vulnerability.matches().stream().map(m -> m.advisoryId()).toList();
    return enriched.computeIfAbsent(String.join(",", matched) + "|" + String.join(",", vulnerability.identifiers()),
        k -> compute(vulnerability));
  }

  private Enriched compute(Vulnerability vulnerability) {
    List<String> ids = new ArrayList<>();
    vulnerability.matches().forEach(m -> ids.add(m.advisoryId()));
    for (String identifier : vulnerability.identifiers()) {
      for (String id : aliasedBy.computeIfAbsent(identifier, this::recordsNaming)) {
        if (!ids.contains(id)) {
          ids.add(id);
        }
      }
    }
    CvssScore best = null;
    Severity worded = Severity.UNKNOWN;
    String summary = null;
    for (String id : ids) {
      Advisory advisory = advisories.computeIfAbsent(id, this::advisory);
      if (summary == null && advisory.summary() != null) {
        summary = advisory.summary();
      }
      for (String vector : advisory.vectors()) {
        try {
          CvssScore score = Cvss.parse(vector);
          if (best == null || better(score, best)) {
            best = score;
          }
        } catch (InvalidCvssVectorException e) {
          // an unreadable vector rates nothing; the other advisories still do
        }
      }
      // AlmaLinux and Rocky rate only in the title ("Important: openssl security update")
      Severity word = advisory.word() != null ? Severity.ofWord(advisory.word())
          : advisory.summary() != null ? Severity.ofAdvisoryTitle(advisory.summary()) : Severity.UNKNOWN;
      if (word != Severity.UNKNOWN && (worded == Severity.UNKNOWN || word.ordinal() < worded.ordinal())) {
        worded = word;
      }
    }
    Float score = null;
    Float percentile = null;
    boolean exploited = false;
    for (String identifier : vulnerability.identifiers()) {
      if (identifier.startsWith("CVE-")) {
        Optional<Epss> e = epss.computeIfAbsent(identifier, this::epss);
        if (e.isPresent() && (score == null || e.get().score() > score)) {
          score = e.get().score();
          percentile = e.get().percentile();
        }
        exploited |= kev.computeIfAbsent(identifier, this::kev);
      }
    }
    Severity severity = best != null ? best.rating() : worded;
    return new Enriched(severity, best == null ? null : best.score(), best == null ? null : best.vector().toString(),
        summary, score, percentile, exploited);
  }

  private static boolean better(CvssScore candidate, CvssScore current) {
    int byVersion = Integer.compare(PREFERENCE.indexOf(candidate.version()), PREFERENCE.indexOf(current.version()));
    if (byVersion != 0) {
      return byVersion < 0;
    }
    return candidate.score().compareTo(current.score()) > 0;
  }

  private List<String> recordsNaming(String identifier) {
    return jdbc.sql("select advisory_id from advisory_alias where alias = ? and relation = 'ALIAS' order by advisory_id")
        .param(identifier)
        .query(String.class)
        .list();
  }

  private Advisory advisory(String id) {
    return jdbc.sql(
            """
            select a.id, a.severity::text as severity, a.severity_word, a.summary,
                   coalesce((select jsonb_agg(s) from affected f, jsonb_array_elements(f.severity) s
                              where f.advisory_id = a.id), '[]')::text as package_severity
              from advisory a where a.id = ? and a.withdrawn is null
            """)
        .param(id)
        .query((rs, i) -> {
          List<String> vectors = new ArrayList<>();
          vectors(rs.getString("severity"), vectors);
          vectors(rs.getString("package_severity"), vectors);
          return new Advisory(id, vectors, rs.getString("severity_word"), rs.getString("summary"));
        })
        .optional()
        .orElse(new Advisory(id, List.of(), null, null));
  }

  private static void vectors(String json, List<String> into) {
    if (json == null) {
      return;
    }
    for (JsonNode severity : JSON.readTree(json)) {
      String type = severity.path("type").asString();
      if (type.startsWith("CVSS_") && severity.path("score").isString()) {
        into.add(severity.path("score").asString());
      }
    }
  }

  private Optional<Epss> epss(String cve) {
    return jdbc.sql("select epss, percentile from epss_score where cve = ?")
        .param(cve)
        .query((rs, i) -> new Epss(rs.getFloat("epss"), rs.getFloat("percentile")))
        .optional();
  }

  private boolean kev(String cve) {
    return jdbc.sql("select exists (select 1 from kev_entry where cve = ?)").param(cve).query(Boolean.class).single();
  }

}
