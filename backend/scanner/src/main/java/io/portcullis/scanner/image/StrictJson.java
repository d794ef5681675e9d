package io.portcullis.scanner.image;

import io.portcullis.scanner.image.RegistryException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the small JSON documents of registries and images (manifests, configs, listings, token responses) strictly:
 * duplicate keys, trailing content and deep nesting are refused, and a field of the wrong type is an error rather than
 * a coercion. Duplicate keys matter most: two parsers that pick different values of a repeated {@code digest} would
 * let one document mean two things. Fields the specifications do not name are ignored, as they require.
 *
 * <p>Every failure is a {@link RegistryException} of kind {@link Kind#MALFORMED} that names the document and the field.
 */
public final class StrictJson {

  private static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(32).build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final String document;
  private final JsonNode node;
  private final String path;

  private StrictJson(String document, JsonNode node, String path) {
    this.document = document;
    this.node = node;
    this.path = path;
  }

  /**
   * Parses {@code bytes} (already read within a size limit) as one JSON object; {@code document} names it in messages
   * ("manifest", "catalog page").
   */
  public static StrictJson parse(byte[] bytes, String document) throws RegistryException {
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      throw new RegistryException(
          Kind.MALFORMED, document + " is not valid JSON: " + Untrusted.quote(e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new RegistryException(Kind.MALFORMED, document + " is not a JSON object");
    }
    return new StrictJson(document, root, "");
  }

  /** Whether the field is present and not {@code null}. */
  public boolean has(String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  /** A required string field. */
  public String string(String field) throws RegistryException {
    return optionalString(field).orElseThrow(() -> missing(field));
  }

  /** A string field that may be absent or {@code null}. */
  public Optional<String> optionalString(String field) throws RegistryException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isString()) {
      throw invalid(field, "must be a string");
    }
    return Optional.of(value.stringValue());
  }

  /** A required integer field; JSON numbers with a fraction or beyond {@code long} are refused. */
  public long integer(String field) throws RegistryException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw missing(field);
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw invalid(field, "must be an integer");
    }
    return value.longValue();
  }

  /** A required object field. */
  public StrictJson object(String field) throws RegistryException {
    return optionalObject(field).orElseThrow(() -> missing(field));
  }

  /** An object field that may be absent or {@code null}. */
  public Optional<StrictJson> optionalObject(String field) throws RegistryException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isObject()) {
      throw invalid(field, "must be an object");
    }
    return Optional.of(new StrictJson(document, value, at(field)));
  }

  /**
   * The objects of an array field (absent or {@code null} is empty), refusing more than {@code max} entries before
   * looking at any of them.
   */
  public List<StrictJson> objects(String field, int max) throws RegistryException {
    JsonNode array = array(field, max);
    List<StrictJson> objects = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode value = array.get(i);
      if (!value.isObject()) {
        throw invalid(field + "[" + i + "]", "must be an object");
      }
      objects.add(new StrictJson(document, value, at(field) + "[" + i + "]"));
    }
    return objects;
  }

  /** The strings of an array field (absent or {@code null} is empty), within the same limit. */
  public List<String> strings(String field, int max) throws RegistryException {
    JsonNode array = array(field, max);
    List<String> strings = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode value = array.get(i);
      if (!value.isString()) {
        throw invalid(field + "[" + i + "]", "must be a string");
      }
      strings.add(value.stringValue());
    }
    return strings;
  }

  /** An error about {@code field} of this object, for checks the caller makes on a value it read. */
  public RegistryException invalid(String field, String problem) {
    return new RegistryException(Kind.MALFORMED, document + ": " + at(field) + " " + problem);
  }

  private JsonNode array(String field, int max) throws RegistryException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return MAPPER.createArrayNode();
    }
    if (!value.isArray()) {
      throw invalid(field, "must be an array");
    }
    if (value.size() > max) {
      throw new RegistryException(
          Kind.TOO_LARGE,
          document + ": " + at(field) + " has " + value.size() + " entries, more than the limit of " + max);
    }
    return value;
  }

  private RegistryException missing(String field) {
    return new RegistryException(Kind.MALFORMED, document + ": " + at(field) + " is missing");
  }

  private String at(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
