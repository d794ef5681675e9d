package io.portcullis.tenancy;

/**
 * Patterns for SQL {@code like}/{@code ilike} with {@code escape '\'}: what a person typed, matched as written — their
 * {@code %}, {@code _} and {@code \} are characters, not wildcards.
 */
public final class Like {

  private Like() {}

  /** A pattern for any text that contains {@code text}. */
  public static String containing(String text) {
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }
}
