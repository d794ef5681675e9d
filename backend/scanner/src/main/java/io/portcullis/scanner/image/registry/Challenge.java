package io.portcullis.scanner.image.registry;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme and its parameters, as in {@code Bearer
 * realm="https://auth.example/token",service="registry.example",scope="repository:team/app:pull"}. Quoted values may
 * hold commas (scopes do), so the header is tokenised rather than split.
 */
record Challenge(String scheme, Map<String, String> parameters) {

  /** Beyond this a header is not a challenge any registry sends; it is ignored. */
  private static final int MAX_HEADER_LENGTH = 8 * 1024;

  boolean isBearer() {
    return scheme.equalsIgnoreCase("Bearer");
  }

  boolean isBasic() {
    return scheme.equalsIgnoreCase("Basic");
  }

  Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name));
  }

  /** The first challenge with a scheme this client can answer, Bearer preferred. */
  static Optional<Challenge> preferred(HttpHeaders headers) {
    List<Challenge> challenges = new ArrayList<>();
    for (String header : headers.allValues("WWW-Authenticate")) {
      challenges.addAll(parse(header));
    }
    return challenges.stream()
        .filter(Challenge::isBearer)
        .findFirst()
        .or(() -> challenges.stream().filter(Challenge::isBasic).findFirst());
  }

  static List<Challenge> parse(String header) {
    List<Challenge> challenges = new ArrayList<>();
    if (header == null || header.length() > MAX_HEADER_LENGTH) {
      return challenges;
    }
    Tokens tokens = new Tokens(header);
    while (tokens.skipSeparators()) {
      String scheme = tokens.token();
      if (scheme.isEmpty()) {
        return challenges; // not a challenge list this parser understands; keep what was read
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      while (true) {
        int mark = tokens.position;
        tokens.skipSeparators();
        String name = tokens.token();
        tokens.skipSpaces();
        if (name.isEmpty() || !tokens.consume('=')) {
          tokens.position = mark; // the next challenge's scheme (or a token68, which registries do not use)
          break;
        }
        tokens.skipSpaces();
        parameters.put(name.toLowerCase(Locale.ROOT), tokens.value());
      }
      challenges.add(new Challenge(scheme, Map.copyOf(parameters)));
    }
    return challenges;
  }

  /** A cursor over the header text. */
  private static final class Tokens {
    private final String text;
    private int position;

    Tokens(String text) {
      this.text = text;
    }

    /** Skips spaces and commas; false at the end. */
    boolean skipSeparators() {
      while (position < text.length() && (text.charAt(position) == ',' || isSpace(text.charAt(position)))) {
        position++;
      }
      return position < text.length();
    }

    void skipSpaces() {
      while (position < text.length() && isSpace(text.charAt(position))) {
        position++;
      }
    }

    boolean consume(char expected) {
      if (position < text.length() && text.charAt(position) == expected) {
        position++;
        return true;
      }
      return false;
    }

    /** An RFC 7230 token, possibly empty. */
    String token() {
      int start = position;
      while (position < text.length() && isTokenChar(text.charAt(position))) {
        position++;
      }
      return text.substring(start, position);
    }

    /** A quoted string (with backslash escapes) or a token. */
    String value() {
      if (!consume('"')) {
        return token();
      }
      StringBuilder value = new StringBuilder();
      while (position < text.length()) {
        char c = text.charAt(position++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\' && position < text.length()) {
          c = text.charAt(position++);
        }
        value.append(c);
      }
      return value.toString(); // unterminated: take what there is; the caller validates the values it uses
    }

    private static boolean isSpace(char c) {
      return c == ' ' || c == '\t';
    }

    private static boolean isTokenChar(char c) {
      return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
  }
}
