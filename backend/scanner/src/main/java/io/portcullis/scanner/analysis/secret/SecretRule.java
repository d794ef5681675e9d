package io.portcullis.scanner.analysis.secret;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One kind of secret. The pattern finds it on a line, its group {@code secret} (or the whole match) is the part that is
 * redacted, and {@code accepts} weeds out what has the shape but is no secret (a placeholder, a documentation example).
 * The pattern runs only on lines that mention one of the {@code keywords} (lower case), which keeps most lines of
 * most files to a few {@code indexOf} calls; an {@code anchored} rule's pattern starts with one of its keywords, and
 * is tried only where one starts, rather than from every position of the line.
 *
 * <p>Patterns use bounded or possessive quantifiers only and never nest them, so a hostile line costs time in
 * proportion to its length.
 *
 * @param id stable: part of findings, cache entries and every report that filters by rule
 */
public record SecretRule(
    String id,
    String title,
    Severity severity,
    List<String> keywords,
    boolean anchored,
    Pattern pattern,
    Predicate<String> accepts) {

  public SecretRule {
    keywords = List.copyOf(keywords);
  }

  /** Whether the (lower-cased) text mentions a keyword, so that the pattern is worth running. */
  boolean mentionedIn(String lowerCaseText) {
    for (String keyword : keywords) {
      if (lowerCaseText.contains(keyword)) {
        return true;
      }
    }
    return false;
  }
}
