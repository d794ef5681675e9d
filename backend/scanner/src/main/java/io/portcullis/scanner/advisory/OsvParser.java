package io.portcullis.scanner.advisory;

import io.portcullis.scanner.advisory.OsvRecord.Affected;
import io.portcullis.scanner.advisory.OsvRecord.AffectedPackage;
import io.portcullis.scanner.advisory.OsvRecord.Event;
import io.portcullis.scanner.advisory.OsvRecord.EventKind;
import io.portcullis.scanner.advisory.OsvRecord.Range;
import io.portcullis.scanner.advisory.OsvRecord.RangeType;
import io.portcullis.scanner.advisory.OsvRecord.Reference;
import io.portcullis.scanner.advisory.OsvRecord.Severity;
import io.portcullis.scanner.image.Untrusted;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one OSV record and checks it against the OSV schema (ossf/osv-schema {@code validation/schema.json} and the
 * rules of {@code docs/schema.md}) within {@link OsvLimits}. A record that fails is {@link Rejected} with one reason
 * that names the field ({@code affected[2].ranges[0]: SEMVER range without an introduced event}); nothing here throws
 * for bad input.
 *
 * <p>Strict where a mistake would change what a record means: required fields, field types, RFC 3339 UTC timestamps
 * that are real instants, range types, events that are exactly one of {@code introduced}, {@code fixed},
 * {@code last_affected} or {@code limit}, an {@code introduced} event in every range, {@code fixed} and
 * {@code last_affected} never together, full commit hashes and a repository in {@code GIT} ranges, the CVSS vector
 * shapes, and no package severity beside a record severity. Beyond the schema, duplicate keys (which two parsers may
 * read differently), NUL characters and unpaired surrogates (which PostgreSQL cannot store) are refused.
 *
 * <p>Open where the schema grows with every release, as its own text asks of readers ("ignoring any unexpected
 * fields"): unknown fields are ignored, and id prefixes, ecosystem names, severity types, reference types and credit
 * types outside the lists of schema 1.7.5 are accepted as long as they have the right shape. A record from a database
 * added next month is imported, not rejected.
 */
public final class OsvParser {

  /** What became of one record. */
  public sealed interface Result permits Accepted, Rejected {}

  /** The record passed every check. */
  public record Accepted(OsvRecord record) implements Result {}

  /**
   * The record failed a check.
   *
   * @param id the record's id when it could be read, or null
   * @param reason which field failed and why, safe to show (hostile values are quoted and cut)
   */
  public record Rejected(String id, String reason) implements Result {}

  private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
  // The schema names the prefixes of known databases; the shape is what every one of them (and x_ local ids) shares.
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._:+~-]*");
  private static final Pattern ECOSYSTEM = Pattern.compile("[^:\\p{Cntrl}]+(:[^\\p{Cntrl}]+)?");
  private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
  private static final Pattern GIT_COMMIT = Pattern.compile("0|[a-f0-9]{40}|[a-f0-9]{64}");

  // The score shapes of the schema's severity types (validation/schema.json, $defs.severity).
  private static final String CVSS2_METRIC =
      "(AV:[NAL]|AC:[LMH]|Au:[MSN]|[CIA]:[NPC]|E:(U|POC|F|H|ND)|RL:(OF|TF|W|U|ND)|RC:(UC|UR|C|ND)"
          + "|CDP:(N|L|LM|MH|H|ND)|TD:(N|L|M|H|ND)|[CIA]R:(L|M|H|ND))";
  private static final String CVSS3_METRIC =
      "(AV:[NALP]|AC:[LH]|PR:[NLH]|UI:[NR]|S:[UC]|[CIA]:[NLH]|E:[XUPFH]|RL:[XOTWU]|RC:[XURC]|[CIA]R:[XLMH]"
          + "|MAV:[XNALP]|MAC:[XLH]|MPR:[XNLH]|MUI:[XNR]|MS:[XUC]|M[CIA]:[XNLH])";
  private static final Map<String, Pattern> SCORES =
      Map.of(
          "CVSS_V2", Pattern.compile("(" + CVSS2_METRIC + "/)*" + CVSS2_METRIC),
          "CVSS_V3", Pattern.compile("CVSS:3[.][01]/(" + CVSS3_METRIC + "/)*" + CVSS3_METRIC),
          "CVSS_V4",
          Pattern.compile(
              "CVSS:4[.]0/AV:[NALP]/AC:[LH]/AT:[NP]/PR:[NLH]/UI:[NPA]/VC:[HLN]/VI:[HLN]/VA:[HLN]/SC:[HLN]/SI:[HLN]"
                  + "/SA:[HLN](/E:[XAPU])?(/CR:[XHML])?(/IR:[XHML])?(/AR:[XHML])?(/MAV:[XNALP])?(/MAC:[XLH])?"
                  + "(/MAT:[XNP])?(/MPR:[XNLH])?(/MUI:[XNPA])?(/MVC:[XNLH])?(/MVI:[XNLH])?(/MVA:[XNLH])?"
                  + "(/MSC:[XNLH])?(/MSI:[XNLHS])?(/MSA:[XNLHS])?(/S:[XNP])?(/AU:[XNY])?(/R:[XAUI])?(/V:[XDC])?"
                  + "(/RE:[XLMH])?(/U:(X|Clear|Green|Amber|Red))?"),
          "Ubuntu", Pattern.compile("negligible|low|medium|high|critical"));
  private static final Set<String> EVENT_FIELDS = Set.of("introduced", "fixed", "last_affected", "limit");
  private static final int MAX_SEVERITY_WORD = 32;

  private final OsvLimits limits;
  private final JsonMapper mapper;

  public OsvParser(OsvLimits limits) {
    this.limits = limits;
    this.mapper =
        JsonMapper.builder(
                JsonFactory.builder()
                    .streamReadConstraints(
                        StreamReadConstraints.builder()
                            .maxNestingDepth(limits.maxNestingDepth())
                            .maxNumberLength(100)
                            .maxNameLength(1_024)
                            .maxStringLength(limits.maxRecordBytes())
                            .maxDocumentLength(limits.maxRecordBytes())
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // numbers in the free-form objects are kept exactly as written when they are stored again
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
  }

  public static OsvParser withDefaults() {
    return new OsvParser(OsvLimits.DEFAULT);
  }

  public OsvLimits limits() {
    return limits;
  }

  /** Reads and checks the JSON text of one record. */
  public Result parse(byte[] json) {
    if (json.length > limits.maxRecordBytes()) {
      return new Rejected(null, "larger than " + limits.maxRecordBytes() + " bytes");
    }
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (JacksonException e) {
      return new Rejected(null, "not valid JSON: " + Untrusted.quote(e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      return new Rejected(null, "not a JSON object");
    }
    String id = readableId(root);
    try {
      String unstorable = unstorable(root);
      if (unstorable != null) {
        throw new Invalid(
            unstorable.substring(1) + ": contains a NUL character or an unpaired surrogate, which cannot be stored");
      }
      return new Accepted(new Reader(root).record());
    } catch (Invalid e) {
      return new Rejected(id, e.getMessage());
    }
  }

  private String readableId(JsonNode root) {
    JsonNode id = root.get("id");
    if (id != null && id.isString() && id.stringValue().length() <= limits.maxIdLength()
        && ID.matcher(id.stringValue()).matches()) {
      return id.stringValue();
    }
    return null;
  }

  /**
   * Where the first string or field name that PostgreSQL could not store is ({@code .details},
   * {@code .affected[0].versions[3]}; empty for {@code node} itself), or null when there is none. Text and jsonb
   * columns refuse U+0000, and a lone surrogate would be silently replaced on the way in.
   */
  private static String unstorable(JsonNode node) {
    if (node.isString()) {
      return storable(node.stringValue()) ? null : "";
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String at = unstorable(node.get(i));
        if (at != null) {
          return "[" + i + "]" + at;
        }
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> entry : node.properties()) {
        if (!storable(entry.getKey())) {
          return "." + shown(entry.getKey());
        }
        String at = unstorable(entry.getValue());
        if (at != null) {
          return "." + shown(entry.getKey()) + at;
        }
      }
    }
    return null;
  }

  /** A field name as a reason shows it: plain names as they are, anything else quoted and cut. */
  private static String shown(String name) {
    return SIMPLE_NAME.matcher(name).matches() ? name : Untrusted.quote(name);
  }

  private static boolean storable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0 || Character.isLowSurrogate(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
          return false;
        }
        i++;
      }
    }
    return true;
  }

  /** A failed check; carries its reason, no stack trace (rejecting a record is routine, not exceptional). */
  private static final class Invalid extends RuntimeException {
    Invalid(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * One JSON object of the record and where it is, for reasons that name the field. The path is put together only
   * when a reason needs it: records have hundreds of thousands of objects and almost all of them are fine.
   */
  private record Node(JsonNode json, Node parent, String field, int index) {

    static Node root(JsonNode json) {
      return new Node(json, null, null, -1);
    }

    Node child(JsonNode value, String field, int index) {
      return new Node(value, this, field, index);
    }

    String path() {
      if (parent == null) {
        return "";
      }
      String prefix = parent.path();
      String here = index < 0 ? field : field + "[" + index + "]";
      return prefix.isEmpty() ? here : prefix + "." + here;
    }

    String at(String field) {
      String path = path();
      return path.isEmpty() ? field : path + "." + field;
    }

    Invalid invalid(String field, String problem) {
      return new Invalid(at(field) + ": " + problem);
    }

    Invalid invalid(String problem) {
      String path = path();
      return new Invalid((path.isEmpty() ? "record" : path) + ": " + problem);
    }

    JsonNode get(String field) {
      return json.get(field);
    }

    boolean has(String field) {
      return json.has(field);
    }
  }

  /** Reads one record; a method per part of the schema. */
  private final class Reader {

    private final Node root;

    Reader(JsonNode json) {
      this.root = Node.root(json);
    }

    OsvRecord record() {
      String id = requiredString(root, "id", limits.maxIdLength());
      if (!ID.matcher(id).matches()) {
        throw root.invalid("id", Untrusted.quote(id) + " is not an OSV id");
      }
      Instant modified = timestamp(root, "modified", true);
      Instant published = timestamp(root, "published", false);
      Instant withdrawn = timestamp(root, "withdrawn", false);
      String schemaVersion = optionalString(root, "schema_version", 64);
      List<String> aliases = ids(root, "aliases", true);
      List<String> related = ids(root, "related", false);
      List<String> upstream = ids(root, "upstream", false);
      String summary = optionalString(root, "summary", limits.maxSummaryLength());
      String details = optionalString(root, "details", limits.maxRecordBytes());
      List<Severity> severity = severities(root, "severity");
      boolean recordSeverity = root.has("severity");
      List<Affected> affected = new ArrayList<>();
      List<Node> entries = objects(root, "affected", true, limits.maxAffected());
      for (Node entry : entries) {
        affected.add(affected(entry, recordSeverity));
      }
      List<Reference> references = new ArrayList<>();
      for (Node reference : objects(root, "references", true, limits.maxReferences())) {
        references.add(
            new Reference(
                requiredString(reference, "type", 64), requiredString(reference, "url", limits.maxUrlLength())));
      }
      for (Node credit : objects(root, "credits", false, limits.maxCredits())) {
        requiredString(credit, "name", limits.maxSummaryLength());
        strings(credit, "contact", false, limits.maxIds(), limits.maxUrlLength());
        optionalString(credit, "type", 64);
      }
      JsonNode databaseSpecific = object(root, "database_specific");
      return new OsvRecord(
          id,
          modified,
          published,
          withdrawn,
          schemaVersion,
          aliases,
          related,
          upstream,
          summary,
          details,
          severity,
          affected,
          references,
          json(databaseSpecific),
          severityWord(databaseSpecific, severity, entries));
    }

    private Affected affected(Node entry, boolean recordSeverity) {
      AffectedPackage pkg = null;
      JsonNode pkgJson = object(entry, "package");
      if (pkgJson != null) {
        Node node = entry.child(pkgJson, "package", -1);
        String ecosystem = requiredString(node, "ecosystem", limits.maxNameLength());
        if (!ECOSYSTEM.matcher(ecosystem).matches()) {
          throw node.invalid("ecosystem", Untrusted.quote(ecosystem) + " is not an ecosystem name");
        }
        pkg =
            new AffectedPackage(
                ecosystem,
                requiredString(node, "name", limits.maxNameLength()),
                optionalString(node, "purl", limits.maxUrlLength()));
      }
      if (recordSeverity && entry.has("severity") && !entry.get("severity").isNull()) {
        throw entry.invalid("severity", "not allowed when the record has a top-level severity");
      }
      List<Severity> severity = severities(entry, "severity");
      List<Range> ranges = new ArrayList<>();
      for (Node range : objects(entry, "ranges", false, limits.maxRanges())) {
        ranges.add(range(range));
      }
      List<String> versions = strings(entry, "versions", false, limits.maxVersions(), limits.maxVersionLength());
      return new Affected(
          pkg,
          severity,
          ranges,
          versions,
          json(object(entry, "ecosystem_specific")),
          json(object(entry, "database_specific")));
    }

    private Range range(Node range) {
      String typeName = requiredString(range, "type", 64);
      RangeType type;
      try {
        type = RangeType.valueOf(typeName);
      } catch (IllegalArgumentException e) {
        throw range.invalid("type", Untrusted.quote(typeName) + " is not GIT, SEMVER or ECOSYSTEM");
      }
      String repo = optionalString(range, "repo", limits.maxUrlLength());
      if (type == RangeType.GIT && repo == null) {
        throw range.invalid("GIT range without a repo");
      }
      JsonNode eventsJson = range.get("events");
      if (eventsJson == null) {
        throw range.invalid("events", "missing");
      }
      List<Node> eventNodes = objects(range, "events", false, limits.maxEvents());
      if (eventNodes.isEmpty()) {
        throw range.invalid("events", "empty");
      }
      List<Event> events = new ArrayList<>(eventNodes.size());
      boolean introduced = false;
      boolean fixed = false;
      boolean lastAffected = false;
      for (Node node : eventNodes) {
        Event event = event(node, type);
        events.add(event);
        introduced |= event.kind() == EventKind.INTRODUCED;
        fixed |= event.kind() == EventKind.FIXED;
        lastAffected |= event.kind() == EventKind.LAST_AFFECTED;
      }
      if (!introduced) {
        throw range.invalid(type + " range without an introduced event");
      }
      if (fixed && lastAffected) {
        throw range.invalid(type + " range with both fixed and last_affected events");
      }
      return new Range(type, repo, events, json(object(range, "database_specific")));
    }

    private Event event(Node node, RangeType type) {
      String field = null;
      for (String name : node.json().propertyNames()) {
        if (EVENT_FIELDS.contains(name)) {
          if (field != null) {
            throw node.invalid("has both " + field + " and " + name + "; an event is exactly one of them");
          }
          field = name;
        }
      }
      if (field == null) {
        throw node.invalid("none of introduced, fixed, last_affected or limit");
      }
      String version = requiredString(node, field, limits.maxVersionLength());
      if (type == RangeType.GIT && !GIT_COMMIT.matcher(version).matches()) {
        throw node.invalid(field, Untrusted.quote(version) + " is not a full-length commit hash");
      }
      return new Event(EventKind.valueOf(field.toUpperCase(java.util.Locale.ROOT)), version);
    }

    private List<Severity> severities(Node node, String field) {
      List<Severity> severities = new ArrayList<>();
      for (Node entry : objects(node, field, true, limits.maxSeverities())) {
        String type = requiredString(entry, "type", 64);
        String score = requiredString(entry, "score", 1_024);
        Pattern shape = SCORES.get(type);
        if (shape != null && !shape.matcher(score).matches()) {
          throw entry.invalid("score", Untrusted.quote(score) + " is not a " + type + " score");
        }
        severities.add(new Severity(type, score));
      }
      return severities;
    }

    private Instant timestamp(Node node, String field, boolean required) {
      String value = required ? requiredString(node, field, 64) : optionalString(node, field, 64);
      if (value == null) {
        return null;
      }
      if (!TIMESTAMP.matcher(value).matches()) {
        throw node.invalid(field, Untrusted.quote(value) + " is not an RFC 3339 timestamp in UTC");
      }
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw node.invalid(field, Untrusted.quote(value) + " is not a real instant");
      }
    }

    private List<String> ids(Node node, String field, boolean nullable) {
      return strings(node, field, nullable, limits.maxIds(), limits.maxIdLength());
    }

    private String requiredString(Node node, String field, int maxLength) {
      JsonNode value = node.get(field);
      if (value == null) {
        throw node.invalid(field, "missing");
      }
      return string(node, field, value, maxLength);
    }

    /** An optional string; JSON null is as wrong as a number here (the schema types these fields as string only). */
    private String optionalString(Node node, String field, int maxLength) {
      JsonNode value = node.get(field);
      return value == null ? null : string(node, field, value, maxLength);
    }

    private String string(Node node, String field, JsonNode value, int maxLength) {
      if (!value.isString()) {
        throw node.invalid(field, "must be a string");
      }
      String text = value.stringValue();
      if (text.length() > maxLength) {
        throw node.invalid(field, "longer than " + maxLength + " characters");
      }
      return text;
    }

    private List<String> strings(Node node, String field, boolean nullable, int max, int maxLength) {
      JsonNode array = array(node, field, nullable, max);
      List<String> strings = new ArrayList<>(array == null ? 0 : array.size());
      if (array != null) {
        for (int i = 0; i < array.size(); i++) {
          JsonNode value = array.get(i);
          if (!value.isString() || value.stringValue().length() > maxLength) {
            string(node, field + "[" + i + "]", value, maxLength);
          }
          strings.add(value.stringValue());
        }
      }
      return strings;
    }

    private List<Node> objects(Node node, String field, boolean nullable, int max) {
      JsonNode array = array(node, field, nullable, max);
      List<Node> objects = new ArrayList<>(array == null ? 0 : array.size());
      if (array != null) {
        for (int i = 0; i < array.size(); i++) {
          JsonNode value = array.get(i);
          if (!value.isObject()) {
            throw node.invalid(field + "[" + i + "]", "must be an object");
          }
          objects.add(node.child(value, field, i));
        }
      }
      return objects;
    }

    private JsonNode array(Node node, String field, boolean nullable, int max) {
      JsonNode value = node.get(field);
      if (value == null || (nullable && value.isNull())) {
        return null;
      }
      if (!value.isArray()) {
        throw node.invalid(field, nullable ? "must be an array or null" : "must be an array");
      }
      if (value.size() > max) {
        throw node.invalid(field, value.size() + " entries, more than the limit of " + max);
      }
      return value;
    }

    private JsonNode object(Node node, String field) {
      JsonNode value = node.get(field);
      if (value == null) {
        return null;
      }
      if (!value.isObject()) {
        throw node.invalid(field, "must be an object");
      }
      return value;
    }

    private String json(JsonNode object) {
      return object == null ? null : mapper.writeValueAsString(object);
    }

    /** The database's own word for the severity, from the places databases put it, first found wins. */
    private String severityWord(JsonNode databaseSpecific, List<Severity> severity, List<Node> affected) {
      String word = stringField(databaseSpecific, "severity");
      for (int i = 0; word == null && i < severity.size(); i++) {
        if ("Ubuntu".equals(severity.get(i).type())) {
          word = severity.get(i).score();
        }
      }
      for (String place : new String[] {"ecosystem_specific", "database_specific"}) {
        for (int i = 0; word == null && i < affected.size(); i++) {
          word = stringField(affected.get(i).get(place), "severity");
        }
      }
      for (int i = 0; word == null && i < affected.size(); i++) {
        word = stringField(affected.get(i).get("ecosystem_specific"), "urgency");
      }
      if (word == null) {
        return null;
      }
      word = word.strip();
      return word.isEmpty() ? null : word.substring(0, Math.min(word.length(), MAX_SEVERITY_WORD));
    }

    private String stringField(JsonNode object, String field) {
      if (object == null || !object.isObject()) {
        return null;
      }
      JsonNode value = object.get(field);
      return value != null && value.isString() ? value.stringValue() : null;
    }
  }
}
