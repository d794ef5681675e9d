package io.portcullis.scanner.image.registry;

import java.net.http.HttpHeaders;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code rel="next"} target of RFC 8288 (formerly 5988) {@code Link} headers, which the distribution API uses for
 * pagination: {@code Link: </v2/_catalog?last=team%2Fapp&n=100>; rel="next"}. URI references may hold commas and
 * semicolons, so the header is read link by link rather than split.
 */
final class LinkHeader {

  private static final int MAX_HEADER_LENGTH = 8 * 1024;

  private LinkHeader() {}

  /** The raw (unresolved) target of the first {@code next} link, if any. */
  static Optional<String> next(HttpHeaders headers) {
    for (String header : headers.allValues("Link")) {
      Optional<String> next = next(header);
      if (next.isPresent()) {
        return next;
      }
    }
    return Optional.empty();
  }

  static Optional<String> next(String header) {
    if (header == null || header.length() > MAX_HEADER_LENGTH) {
      return Optional.empty();
    }
    int position = 0;
    while (true) {
      int open = header.indexOf('<', position);
      if (open < 0) {
        return Optional.empty();
      }
      int close = header.indexOf('>', open + 1);
      if (close < 0) {
        return Optional.empty();
      }
      String target = header.substring(open + 1, close).trim();
      // The parameters run to the next link, which starts with '<' (the only place '<' may appear unquoted).
      int end = nextLink(header, close + 1);
      if (isNext(header.substring(close + 1, end))) {
        return Optional.of(target);
      }
      position = end;
    }
  }

  private static int nextLink(String header, int from) {
    boolean quoted = false;
    for (int i = from; i < header.length(); i++) {
      char c = header.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '<' && !quoted) {
        return i;
      }
    }
    return header.length();
  }

  private static boolean isNext(String parameters) {
    for (String parameter : parameters.split(";")) {
      int equals = parameter.indexOf('=');
      if (equals < 0) {
        continue;
      }
      String name = parameter.substring(0, equals).trim().toLowerCase(Locale.ROOT);
      String value = parameter.substring(equals + 1).replace("\"", "").replace(",", "").trim();
      // rel may list several relation types separated by spaces.
      if (name.equals("rel") && Arrays.asList(value.toLowerCase(Locale.ROOT).split("\\s+")).contains("next")) {
        return true;
      }
    }
    return false;
  }
}
