package io.portcullis.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Which page a list request asks for: at most {@code limit} items after the sort key {@code after} (null for the first
 * page). Keyset paging, not offsets: a page costs the same however deep it is, and items added meanwhile neither repeat
 * nor go missing.
 *
 * <p>A cursor is base64url of the last item's sort key, its parts separated by NUL (which PostgreSQL text cannot
 * contain, so no part can forge a separator). Callers treat it as opaque; a cursor that does not decode into the
 * expected number of parts is refused with 400.
 */
public record Paging(int limit, List<String> after) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  /** Longer than any cursor Portcullis makes; anything longer is not one of ours. */
  private static final int MAX_CURSOR_LENGTH = 2048;

  private static final String SEPARATOR = "\u0000";

  /**
   * The page a request asks for.
   *
   * @param cursor the {@code cursor} parameter, or null for the first page
   * @param limit the {@code limit} parameter, or null for {@value #DEFAULT_LIMIT}
   * @param keyParts how many parts the sort key of this list has
   * @throws InvalidPagingException when the limit is out of range or the cursor is not one of this list's
   */
  public static Paging of(String cursor, Integer limit, int keyParts) {
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > MAX_LIMIT) {
      throw new InvalidPagingException("limit must be between 1 and " + MAX_LIMIT + ".");
    }
    if (cursor == null || cursor.isEmpty()) {
      return new Paging(size, null);
    }
    if (cursor.length() > MAX_CURSOR_LENGTH) {
      throw new InvalidPagingException("The cursor is not valid for this list.");
    }
    String decoded;
    try {
      decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidPagingException("The cursor is not valid for this list.");
    }
    List<String> parts = List.of(decoded.split(SEPARATOR, -1));
    if (parts.size() != keyParts) {
      throw new InvalidPagingException("The cursor is not valid for this list.");
    }
    return new Paging(size, parts);
  }

  public boolean first() {
    return after == null;
  }

  /** Part {@code index} of the sort key to start after. */
  public String after(int index) {
    return after.get(index);
  }

  /** Part {@code index} of the sort key as an id. */
  public UUID afterId(int index) {
    try {
      return UUID.fromString(after(index));
    } catch (IllegalArgumentException e) {
      throw new InvalidPagingException("The cursor is not valid for this list.");
    }
  }

  /** Part {@code index} of the sort key as a time. */
  public Instant afterInstant(int index) {
    try {
      return Instant.parse(after(index));
    } catch (DateTimeParseException e) {
      throw new InvalidPagingException("The cursor is not valid for this list.");
    }
  }

  /** How many rows to fetch: one more than the page, to know whether another page follows. */
  public int fetch() {
    return limit + 1;
  }

  /**
   * The page made of {@code fetched} (at most {@link #fetch()} rows in sort order), with the cursor of the next page
   * when there is one.
   */
  public <T> CursorPage<T> page(List<T> fetched, Function<T, List<String>> sortKey) {
    if (fetched.size() <= limit) {
      return new CursorPage<>(List.copyOf(fetched), null);
    }
    List<T> items = List.copyOf(fetched.subList(0, limit));
    return new CursorPage<>(items, cursor(sortKey.apply(items.get(items.size() - 1))));
  }

  /** The cursor that asks for the items after {@code sortKey}. */
  public static String cursor(List<String> sortKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(String.join(SEPARATOR, sortKey).getBytes(StandardCharsets.UTF_8));
  }

  /** A limit out of range or a cursor that is not this list's: answered 400. */
  public static final class InvalidPagingException extends RuntimeException {
    public InvalidPagingException(String detail) {
      super(detail);
    }
  }
}
