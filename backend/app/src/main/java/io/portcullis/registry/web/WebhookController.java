package io.portcullis.registry.web;

import io.portcullis.registry.internal.PushEvents;
import io.portcullis.registry.internal.PushEvents.Event;
import io.portcullis.registry.internal.PushEvents.Target;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.registry.Names;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Push events from registries. Each connection has its own endpoints and its own secret, which the caller presents in
 * the {@code X-Portcullis-Secret} header (an ACR webhook's custom header, an Event Grid delivery property). The secret is
 * checked before the body is read; the body is read within a size limit and checked field by field. Errors are RFC 9457
 * problem details and record nothing.
 */
@RestController
class WebhookController {

  static final String SECRET_HEADER = "X-Portcullis-Secret";
  static final int MAX_BODY = 64 * 1024;
  static final int MAX_EVENTS = 100;

  private final PushEvents pushEvents;
  private final JsonMapper json;

  WebhookController(PushEvents pushEvents, JsonMapper json) {
    this.pushEvents = pushEvents;
    this.json = json;
  }

  /** An Azure Container Registry webhook (actions push and delete; ping is answered and ignored). */
  @PostMapping("/hooks/registries/{connectionId}/acr")
  ResponseEntity<?> acr(
      @PathVariable String connectionId,
      @RequestHeader(name = SECRET_HEADER, required = false) String secret,
      HttpServletRequest request) {
    Optional<Target> target = authenticate(connectionId, secret);
    if (target.isEmpty()) {
      return unauthorized();
    }
    JsonNode body;
    try {
      body = read(request);
    } catch (BadPayload e) {
      return badRequest(e.getMessage());
    }
    String action = text(body, "action");
    if ("ping".equals(action)) {
      return ResponseEntity.ok(Map.of("status", "pong"));
    }
    try {
      if (!"push".equals(action) && !"delete".equals(action)) {
        throw new BadPayload("action must be push, delete or ping");
      }
      Event event = event(text(body, "id"), action, body.path("target"), text(body, "timestamp"));
      pushEvents.record(target.get(), "ACR_WEBHOOK", List.of(event));
      return ResponseEntity.accepted().body(Map.of("recorded", 1));
    } catch (BadPayload e) {
      return badRequest(e.getMessage());
    }
  }

  /**
   * Azure Event Grid, Event Grid schema: the subscription validation handshake, and
   * {@code Microsoft.ContainerRegistry.ImagePushed} / {@code ImageDeleted} events (others are acknowledged and ignored).
   */
  @PostMapping("/hooks/registries/{connectionId}/event-grid")
  ResponseEntity<?> eventGrid(
      @PathVariable String connectionId,
      @RequestHeader(name = SECRET_HEADER, required = false) String secret,
      HttpServletRequest request) {
    Optional<Target> target = authenticate(connectionId, secret);
    if (target.isEmpty()) {
      return unauthorized();
    }
    try {
      JsonNode body = read(request);
      if (!body.isArray() || body.isEmpty() || body.size() > MAX_EVENTS) {
        throw new BadPayload("the body must be an array of 1 to " + MAX_EVENTS + " Event Grid events");
      }
      List<Event> events = new ArrayList<>();
      for (JsonNode item : body) {
        String type = text(item, "eventType");
        if ("Microsoft.EventGrid.SubscriptionValidationEvent".equals(type)) {
          String code = text(item.path("data"), "validationCode");
          if (code == null || code.length() > 200) {
            throw new BadPayload("the validation event has no validationCode");
          }
          return ResponseEntity.ok(Map.of("validationResponse", code));
        }
        String action =
            "Microsoft.ContainerRegistry.ImagePushed".equals(type)
                ? "push"
                : "Microsoft.ContainerRegistry.ImageDeleted".equals(type) ? "delete" : null;
        if (action == null) {
          continue;
        }
        events.add(event(text(item, "id"), action, item.path("data").path("target"), text(item, "eventTime")));
      }
      if (!events.isEmpty()) {
        pushEvents.record(target.get(), "EVENT_GRID", events);
      }
      return ResponseEntity.accepted().body(Map.of("recorded", events.size()));
    } catch (BadPayload e) {
      return badRequest(e.getMessage());
    }
  }

  private Optional<Target> authenticate(String connectionId, String secret) {
    UUID id;
    try {
      id = UUID.fromString(connectionId);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return pushEvents.authenticate(id, secret);
  }

  private JsonNode read(HttpServletRequest request) throws BadPayload {
    if (request.getContentLengthLong() > MAX_BODY) {
      throw new BadPayload("the body is larger than " + MAX_BODY + " bytes");
    }
    byte[] bytes;
    try (InputStream in = request.getInputStream()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    } catch (IOException e) {
      throw new BadPayload("the body could not be read");
    }
    if (bytes.length > MAX_BODY) {
      throw new BadPayload("the body is larger than " + MAX_BODY + " bytes");
    }
    try {
      return json.readTree(bytes);
    } catch (JacksonException e) {
      throw new BadPayload("the body is not valid JSON");
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isString() ? value.asString() : null;
  }

  /** The part both payloads share: a target naming a repository, and optionally a tag and a digest. */
  private static Event event(String id, String action, JsonNode target, String time) throws BadPayload {
    return new Event(
        optional(id, 200),
        action,
        repository(text(target, "repository")),
        tag(text(target, "tag")),
        digest(text(target, "digest")),
        time(time));
  }

  private static String repository(String value) throws BadPayload {
    if (value == null || !Names.isRepository(value)) {
      throw new BadPayload("target.repository is missing or not a repository name");
    }
    return value;
  }

  private static String tag(String value) throws BadPayload {
    if (value != null && !Names.isTag(value)) {
      throw new BadPayload("target.tag is not a tag");
    }
    return value;
  }

  private static String digest(String value) throws BadPayload {
    if (value == null) {
      return null;
    }
    try {
      return Digest.parse(value).toString();
    } catch (IllegalArgumentException e) {
      throw new BadPayload("target.digest is not a digest");
    }
  }

  private static Instant time(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException again) {
        return null;
      }
    }
  }

  private static String optional(String value, int max) {
    return value == null ? null : value.substring(0, Math.min(value.length(), max));
  }

  private static ResponseEntity<ProblemDetail> unauthorized() {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.UNAUTHORIZED, "Missing or wrong " + SECRET_HEADER + " for this endpoint.");
    problem.setTitle("Not authenticated");
    return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(problem);
  }

  private static ResponseEntity<ProblemDetail> badRequest(String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    problem.setTitle("Malformed event");
    return ResponseEntity.badRequest().body(problem);
  }

  /** The payload is not an acceptable event; the message says why. */
  private static final class BadPayload extends Exception {
    BadPayload(String message) {
      super(message);
    }
  }
}
