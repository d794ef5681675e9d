package io.portcullis.scanner.analysis.lang;

import io.portcullis.scanner.analysis.os.PackageDatabaseException;
import io.portcullis.scanner.analysis.os.ReadLimits;
import io.portcullis.scanner.image.Untrusted;
import java.io.IOException;
import java.io.InputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one JSON object from an image layer within {@link ReadLimits}, as strictly as {@link
 * io.portcullis.scanner.image.StrictJson} reads registry documents: duplicate keys (two readers could pick different
 * versions), trailing content, deep nesting and absurd numbers are refused. That class is not reused because its
 * errors are registry errors and it cannot walk the maps keyed by package that these formats consist of.
 *
 * <p>{@link ReadLimits#maxLineLength()} bounds single JSON strings and names here, as JSON has no lines to bound.
 */
final class UntrustedJson {

  private final ReadLimits limits;
  private final JsonMapper mapper;

  UntrustedJson(ReadLimits limits, int maxNestingDepth) {
    this.limits = limits;
    this.mapper =
        JsonMapper.builder(
                JsonFactory.builder()
                    .streamReadConstraints(
                        StreamReadConstraints.builder()
                            .maxNestingDepth(maxNestingDepth)
                            .maxNumberLength(32)
                            .maxStringLength(limits.maxLineLength())
                            .maxNameLength(limits.maxLineLength())
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
  }

  /** The document's root object; anything else, or a document over the limits, fails as a whole. */
  JsonNode readObject(InputStream in, String path) throws IOException, PackageDatabaseException {
    // read the bytes first, so the byte limit holds before Jackson builds anything
    int max = (int) Math.min(limits.maxBytes(), Integer.MAX_VALUE - 16);
    byte[] bytes = in.readNBytes(max + 1);
    if (bytes.length > max) {
      throw new PackageDatabaseException(path + " is larger than the limit of " + limits.maxBytes() + " bytes");
    }
    JsonNode root;
    try {
      root = mapper.readTree(bytes);
    } catch (JacksonException e) {
      throw new PackageDatabaseException(path + " is not valid JSON: " + Untrusted.quote(e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new PackageDatabaseException(path + " is not a JSON object");
    }
    return root;
  }

  /** The string value of {@code field}, or null when it is absent, null or not a string. */
  static String string(JsonNode object, String field) {
    JsonNode value = object.get(field);
    return value != null && value.isString() ? value.stringValue() : null;
  }
}
