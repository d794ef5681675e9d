package io.portcullis.scanner.analysis.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.portcullis.scanner.analysis.secret.ConfigSecrets;
import io.portcullis.scanner.image.RegistryException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How an image is meant to run, from its config: the user (and whether that is root), exposed ports, the names of its
 * environment variables, entrypoint and command, health check, labels (with the base image they may name) and the build
 * history. Environment values are never kept, and values set by {@code ENV} or {@code ARG} in the history are blanked:
 * both are where secrets are baked in. Environment values, labels, entrypoint, command, health check and history are
 * checked for secrets before anything is blanked or cut; what is found is in {@link #secrets()} (redacted, not part of
 * the JSON form: the inventory lists it with the files' secrets), and what is kept is kept redacted.
 */
public record ImageConfiguration(
    String user,
    boolean runsAsRoot,
    List<String> exposedPorts,
    List<String> environmentNames,
    List<String> entrypoint,
    List<String> command,
    List<String> healthcheck,
    Map<String, String> labels,
    String baseImageName,
    String baseImageDigest,
    List<HistoryEntry> history,
    @JsonIgnore ConfigSecrets secrets) {

  static final int MAX_ITEMS = 1_000;
  static final int MAX_TEXT = 2_000;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern BUILD_VARIABLE =
      Pattern.compile("\\b(ENV|ARG)(\\s+)([A-Za-z_][A-Za-z0-9_]*)(=|\\s+)(\"[^\"]*\"|'[^']*'|\\S+)");

  /** One step of the build, as the config records it. */
  public record HistoryEntry(Instant created, String createdBy, boolean emptyLayer) {}

  /** Reads a config (already size-limited by whoever fetched it). */
  public static ImageConfiguration parse(byte[] config) throws RegistryException {
    JsonNode root;
    try {
      root = JSON.readTree(config);
    } catch (JacksonException e) {
      throw new RegistryException(RegistryException.Kind.MALFORMED, "the image config is not valid JSON");
    }
    JsonNode run = root.path("config");
    String user = text(run.path("User"));
    ConfigSecrets.Collector secrets = new ConfigSecrets.Collector();
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode labelNode = run.path("Labels");
    if (labelNode.isObject()) {
      for (Map.Entry<String, JsonNode> label : labelNode.properties()) {
        if (labels.size() < MAX_ITEMS && label.getValue().isString()) {
          String name = clip(label.getKey());
          labels.put(name, clip(secrets.redact("config:label:" + name, label.getKey(), label.getValue().asString())));
        }
      }
    }
    List<String> ports = new ArrayList<>();
    if (run.path("ExposedPorts").isObject()) {
      run.path("ExposedPorts").propertyNames().stream().limit(MAX_ITEMS).map(ImageConfiguration::clip).forEach(ports::add);
    }
    List<String> environment = new ArrayList<>();
    for (JsonNode variable : run.path("Env")) {
      if (environment.size() >= MAX_ITEMS || !variable.isString()) {
        continue;
      }
      String entry = variable.asString();
      int equals = entry.indexOf('=');
      String name = clip(equals < 0 ? entry : entry.substring(0, equals));
      environment.add(name);
      if (equals > 0) {
        secrets.redact("config:env:" + name, entry); // the value is checked, never kept
      }
    }
    List<HistoryEntry> history = new ArrayList<>();
    for (JsonNode step : root.path("history")) {
      if (history.size() >= MAX_ITEMS) {
        break;
      }
      JsonNode createdBy = step.path("created_by");
      String redacted = createdBy.isString()
          ? blankBuildVariables(clip(secrets.redact("config:history:" + history.size(), createdBy.asString()))) : null;
      history.add(
          new HistoryEntry(time(text(step.path("created"))), redacted, step.path("empty_layer").asBoolean(false)));
    }
    JsonNode health = run.path("Healthcheck").path("Test");
    return new ImageConfiguration(
        user,
        runsAsRoot(user),
        ports,
        environment,
        strings(run.path("Entrypoint"), "config:entrypoint", secrets),
        strings(run.path("Cmd"), "config:cmd", secrets),
        health.isArray() ? strings(health, "config:healthcheck", secrets) : null,
        labels,
        labels.get("org.opencontainers.image.base.name"),
        labels.get("org.opencontainers.image.base.digest"),
        history,
        secrets.result());
  }

  /** No user, {@code root}, uid 0 — with or without a group — all run as root. */
  static boolean runsAsRoot(String user) {
    if (user == null || user.isBlank()) {
      return true;
    }
    String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
    return name.equals("root") || name.equals("0");
  }

  /** {@code ENV PASSWORD=hunter2} becomes {@code ENV PASSWORD=…}: the name stays, the value goes. */
  static String blankBuildVariables(String createdBy) {
    return clip(BUILD_VARIABLE.matcher(createdBy).replaceAll("$1$2$3=…"));
  }

  /** The strings of an array, each redacted before it is cut to length. */
  private static List<String> strings(JsonNode node, String where, ConfigSecrets.Collector secrets) {
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      for (JsonNode value : node) {
        if (values.size() < MAX_ITEMS && value.isString()) {
          values.add(clip(secrets.redact(where, value.asString())));
        }
      }
    }
    return values;
  }

  private static String text(JsonNode node) {
    return node.isString() ? clip(node.asString()) : null;
  }

  private static Instant time(String value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String clip(String value) {
    return value.length() <= MAX_TEXT ? value : value.substring(0, MAX_TEXT) + "…";
  }
}
