package io.portcullis.scanner.analysis.secret;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secrets in text, line by line, and never lets one out whole: every {@link Detection} carries an excerpt in
 * which each secret of the line is cut to its first {@value #SHOWN} characters and {@value #MASK}.
 *
 * <p>Bounded work on hostile input: a line longer than {@value #WINDOW} characters is scanned in windows of that size
 * that overlap by {@value #OVERLAP} (a secret longer than the overlap that straddles two windows may be missed), each
 * rule's pattern runs only where its keywords appear, and the patterns' quantifiers are bounded. A private key's body
 * is looked for on its {@code BEGIN} line (keys embedded in JSON with {@code \n} escapes) and on the next {@value
 * #KEY_HEADER_LINES} lines, past PEM headers such as {@code Proc-Type}.
 */
public final class SecretDetector {

  static final int WINDOW = 8_192;
  static final int OVERLAP = 1_024;
  static final int WHOLE_LINE = 256;
  static final int CONTEXT = 80;
  static final int SHOWN = 4;
  static final String MASK = "*****";
  static final int KEY_HEADER_LINES = 4;
  static final int UNKNOWN_TOKEN = 16;
  /** How far past its {@code BEGIN} line a key's body and {@code END} are looked for on the same line. */
  static final int KEY_REACH = 16_384;

  private static final String BEGIN = "-----BEGIN ";
  private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/]{32,512}+");
  private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
  private static final SecretDetector STANDARD = new SecretDetector(SecretRules.lineRules());

  private final List<SecretRule> rules;

  public SecretDetector(List<SecretRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The detector with every rule of {@link SecretRules}. */
  public static SecretDetector standard() {
    return STANDARD;
  }

  /**
   * A secret found on a line (counted from 1), with its redacted excerpt. The excerpt is made when first asked for: a
   * file with thousands of secrets has all of them counted but only the few that are kept rendered.
   */
  public static final class Detection {
    private final SecretRule rule;
    private final int line;
    private Supplier<String> render;
    private String excerpt;

    Detection(SecretRule rule, int line, Supplier<String> render) {
      this.rule = rule;
      this.line = line;
      this.render = render;
    }

    public SecretRule rule() {
      return rule;
    }

    public int line() {
      return line;
    }

    public String excerpt() {
      if (excerpt == null) {
        excerpt = render.get();
        render = null;
      }
      return excerpt;
    }
  }

  /** A text with every secret found in it redacted, and what was found. */
  public record Redaction(String text, List<Detection> detections) {}

  /** Reads the first {@code length} bytes of a file as lines of UTF-8 (leniently) and reports each secret, in order. */
  public void scan(byte[] content, int length, Consumer<Detection> found) {
    Lines lines = new Lines(found, false, lowerCase(content, length));
    int start = 0;
    while (start < length) {
      int end = start;
      while (end < length && content[end] != '\n') {
        end++;
      }
      int stop = end > start && content[end - 1] == '\r' ? end - 1 : end;
      if (lines.worthReading(start, stop)) {
        lines.next(new String(content, start, stop - start, StandardCharsets.UTF_8), start, stop);
      } else {
        lines.skip();
      }
      start = end + 1;
    }
  }

  /**
   * Redacts a text (a config value, a build step): each secret cut as in excerpts, and the body of a private key, up to
   * its {@code END} line, replaced whole.
   */
  public Redaction redact(String text) {
    List<Detection> detections = new ArrayList<>();
    Lines lines = new Lines(detections::add, true, lowerCase(text));
    StringBuilder redacted = new StringBuilder(text.length());
    int start = 0;
    while (true) {
      int end = text.indexOf('\n', start);
      int stop = end < 0 ? text.length() : end;
      redacted.append(lines.next(text.substring(start, stop), start, stop));
      if (end < 0) {
        break;
      }
      redacted.append('\n');
      start = end + 1;
    }
    return new Redaction(redacted.toString(), List.copyOf(detections));
  }

  /**
   * The lines of one text, in order: a private key's BEGIN line may be confirmed by the lines after it. Which rules are
   * worth running on a line is decided on the whole text's lower-case copy, where each rule's keywords are looked up
   * once per occurrence rather than once per line.
   */
  private final class Lines {
    private final Consumer<Detection> found;
    private final boolean redacting;
    private final String lower;
    private final List<SecretRule> candidates = new ArrayList<>();
    private final String[][] keywords;
    /** For each candidate, for each of its keywords: where it next occurs in {@code lower} (MAX_VALUE: nowhere). */
    private final int[][] nextKeyword;
    private final Matcher[] matchers;
    private final List<SecretRule> mentioned = new ArrayList<>();
    /** Where a private key's BEGIN marker next occurs in {@code lower}, as {@link #nextKeyword}. */
    private int nextBegin = -1;
    private int number;
    private KeyBlock waiting;
    private boolean insideKey;

    Lines(Consumer<Detection> found, boolean redacting, String lower) {
      this.found = found;
      this.redacting = redacting;
      this.lower = lower;
      for (SecretRule rule : rules) {
        if (rule.mentionedIn(lower)) {
          candidates.add(rule);
        }
      }
      keywords = new String[candidates.size()][];
      nextKeyword = new int[candidates.size()][];
      matchers = new Matcher[candidates.size()];
      for (int i = 0; i < candidates.size(); i++) {
        keywords[i] = candidates.get(i).keywords().toArray(String[]::new);
        nextKeyword[i] = new int[keywords[i].length];
        Arrays.fill(nextKeyword[i], -1); // not looked for yet
      }
    }

    /** Whether the line from {@code start} to {@code end} (in the text) may hold anything: a keyword, a key. */
    boolean worthReading(int start, int end) {
      mentioned.clear();
      for (int i = 0; i < keywords.length; i++) {
        for (int k = 0; k < keywords[i].length; k++) {
          nextKeyword[i][k] = occurrence(keywords[i][k], nextKeyword[i][k], start);
          if (nextKeyword[i][k] < end) {
            mentioned.add(candidates.get(i));
            break;
          }
        }
      }
      nextBegin = occurrence("-----begin ", nextBegin, start);
      return !mentioned.isEmpty() || waiting != null || insideKey || nextBegin < end;
    }

    /** Where {@code keyword} occurs first from {@code start}, looked for again only once {@code start} passed it. */
    private int occurrence(String keyword, int last, int start) {
      if (last == Integer.MAX_VALUE || last >= start) {
        return last;
      }
      int at = lower.indexOf(keyword, start);
      return at < 0 ? Integer.MAX_VALUE : at;
    }

    /** A line with nothing in it. */
    void skip() {
      number++;
    }

    /** Reports the secrets of the next line; returns it redacted when redacting, else null. */
    String next(String line, int start, int end) {
      if (redacting) {
        worthReading(start, end);
      }
      number++;
      boolean confirmedHere = false;
      if (waiting != null) {
        switch (waiting.follow(line)) {
          case CONFIRMED -> {
            found.accept(waiting.detection());
            waiting = null;
            confirmedHere = true;
          }
          case NOT_A_KEY -> waiting = null;
          case WAITING -> { }
        }
      }
      if (redacting && (insideKey || confirmedHere)) {
        insideKey = line.indexOf("-----END") < 0; // a key's body is masked whole, up to its END line
        return MASK;
      }
      NavigableMap<Integer, Span> spans = find(line, mentioned, this::matcher);
      for (Span span : spans.values()) {
        if (span.marker() == null) {
          found.accept(new Detection(span.rule(), number, () -> excerpt(line, spans, span)));
        } else if (span.confirmed()) {
          found.accept(new Detection(span.rule(), number, () -> clean(span.marker())));
          insideKey = redacting && span.end() == line.length() && line.indexOf("-----END", span.start()) < 0;
        } else if (span == spans.lastEntry().getValue()) {
          waiting = new KeyBlock(number, span.marker());
        }
      }
      return redacting ? render(line, spans, 0, line.length(), false) : null;
    }

    /** One matcher per rule and text, reset for each line. */
    private Matcher matcher(SecretRule rule) {
      int i = candidates.indexOf(rule);
      if (matchers[i] == null) {
        matchers[i] = rule.pattern().matcher("").useTransparentBounds(true).useAnchoringBounds(false);
      }
      return matchers[i];
    }
  }

  private enum Verdict { CONFIRMED, WAITING, NOT_A_KEY }

  /** A private key's BEGIN line whose body has not been seen yet. */
  private static final class KeyBlock {
    private final int line;
    private final String marker;
    private boolean encrypted;
    private int headersLeft = KEY_HEADER_LINES;

    KeyBlock(int line, String marker) {
      this.line = line;
      this.marker = marker;
      this.encrypted = marker.contains("ENCRYPTED");
    }

    Verdict follow(String next) {
      int start = 0;
      while (start < next.length() && start < 64 && " \t\"'+".indexOf(next.charAt(start)) >= 0) {
        start++;
      }
      Matcher body = BASE64_RUN.matcher(next).region(start, Math.min(next.length(), start + 512));
      if (body.lookingAt()) {
        encrypted |= marker.contains("OPENSSH") && opensshEncrypted(body.group());
        return Verdict.CONFIRMED;
      }
      String header = next.substring(start, Math.min(next.length(), start + 64));
      if (--headersLeft >= 0 && (header.isBlank() || header.startsWith("Proc-Type:") || header.startsWith("DEK-Info:")
          || header.startsWith("Comment:"))) {
        encrypted |= header.contains("ENCRYPTED");
        return Verdict.WAITING;
      }
      return Verdict.NOT_A_KEY;
    }

    Detection detection() {
      String excerpt = clean(marker);
      SecretRule rule = encrypted ? SecretRules.ENCRYPTED_PRIVATE_KEY : SecretRules.PRIVATE_KEY;
      return new Detection(rule, line, () -> excerpt);
    }
  }

  /**
   * What a line holds: a rule's secret ({@code marker} null), or a private key from its BEGIN marker to the end of its
   * body on this line. Spans never overlap; the earlier rule keeps the characters.
   */
  private record Span(SecretRule rule, int start, int end, String marker, boolean confirmed) {

    String redacted(String line) {
      return marker != null ? marker + MASK : line.substring(start, Math.min(end, start + SHOWN)) + MASK;
    }
  }

  /**
   * The secrets of one line, for the rules its text mentions. A rule whose pattern starts with one of its keywords is
   * tried only where a keyword starts; the others search the line (or each window of a long line) from its start.
   */
  private static NavigableMap<Integer, Span> find(String line, List<SecretRule> rules,
      Function<SecretRule, Matcher> matchers) {
    TreeMap<Integer, Span> spans = new TreeMap<>();
    if (line.isEmpty()) {
      return spans;
    }
    if (line.indexOf(BEGIN) >= 0) {
      findKeys(line, spans);
    }
    if (rules.isEmpty()) {
      return spans;
    }
    String lower = lowerCase(line);
    for (int from = 0; ; from += WINDOW - OVERLAP) {
      int to = Math.min(line.length(), from + WINDOW);
      for (SecretRule rule : rules) {
        Matcher matcher = matchers.apply(rule).reset(line);
        if (rule.anchored()) {
          for (String keyword : rule.keywords()) {
            for (int at = lower.indexOf(keyword, from); at >= 0 && at < to; at = lower.indexOf(keyword, at + 1)) {
              if (matcher.region(at, to).lookingAt()) {
                consider(rule, matcher, line, spans);
              }
            }
          }
        } else if (mentions(lower, rule, from, to)) {
          matcher.region(from, to);
          while (matcher.find()) {
            consider(rule, matcher, line, spans);
          }
        }
      }
      if (to >= line.length()) {
        return spans;
      }
    }
  }

  private static boolean mentions(String lower, SecretRule rule, int from, int to) {
    for (String keyword : rule.keywords()) {
      int at = lower.indexOf(keyword, from);
      if (at >= 0 && at < to) {
        return true;
      }
    }
    return false;
  }

  private static void consider(SecretRule rule, Matcher matcher, String line, TreeMap<Integer, Span> spans) {
    int start = matcher.start("secret");
    int end = matcher.end("secret");
    if (!overlaps(spans, start, end) && rule.accepts().test(line.substring(start, end))) {
      spans.put(start, new Span(rule, start, end, null, true));
    }
  }

  /** ASCII letters in lower case, every other character as it is: the same length, so positions carry over. */
  static String lowerCase(String text) {
    char[] chars = text.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) lowerCase(chars[i]);
    }
    return new String(chars);
  }

  /** The same for a file's bytes, one character per byte. */
  static String lowerCase(byte[] content, int length) {
    byte[] lower = new byte[length];
    for (int i = 0; i < length; i++) {
      lower[i] = (byte) lowerCase(content[i]);
    }
    return new String(lower, StandardCharsets.ISO_8859_1);
  }

  /** Without a branch, which lets the compiler vectorise the loops above: every byte of every file goes through it. */
  private static int lowerCase(int c) {
    int upper = (((c - 'A') >>> 31) ^ 1) & ((('Z' - c) >>> 31) ^ 1); // 1 for A to Z
    return c | (upper << 5);
  }

  /** Private keys' BEGIN markers, each with the key's body that follows on the same line. Linear in the line. */
  private static void findKeys(String line, TreeMap<Integer, Span> spans) {
    int at = line.indexOf(BEGIN);
    int endMarker = -2; // not looked for yet; -1: none after the last place looked
    Matcher marker = SecretRules.KEY_MARKER.matcher(line);
    while (at >= 0) {
      marker.region(at, Math.min(line.length(), at + 100));
      if (!marker.lookingAt()) {
        at = line.indexOf(BEGIN, at + 1);
        continue;
      }
      int markerEnd = marker.end();
      int next = line.indexOf(BEGIN, markerEnd);
      if (endMarker != -1 && endMarker < markerEnd) {
        endMarker = line.indexOf("-----END", markerEnd);
      }
      int stop = endMarker < 0 ? line.length() : closing(line, endMarker);
      stop = Math.min(Math.min(stop, next < 0 ? line.length() : next), markerEnd + KEY_REACH);
      String rest = line.substring(markerEnd, Math.min(stop, markerEnd + 512))
          .replace("\\n", "\n").replace("\\r", "\r"); // a key in a JSON string
      Matcher body = BASE64_RUN.matcher(rest);
      boolean confirmed = body.find();
      String text = marker.group();
      boolean encrypted = text.contains("ENCRYPTED") || rest.contains("Proc-Type: 4,ENCRYPTED")
          || (confirmed && text.contains("OPENSSH") && opensshEncrypted(body.group()));
      SecretRule rule = encrypted ? SecretRules.ENCRYPTED_PRIVATE_KEY : SecretRules.PRIVATE_KEY;
      spans.put(at, new Span(rule, at, stop, text, confirmed));
      at = next;
    }
  }

  /** Where the {@code END ... -----} line that starts at {@code end} closes. */
  private static int closing(String line, int end) {
    int limit = Math.min(line.length() - 5, end + 100);
    for (int i = end + 8; i <= limit; i++) {
      if (line.startsWith("-----", i)) {
        return i + 5;
      }
    }
    return Math.min(line.length(), end + 8);
  }

  /**
   * Whether an OpenSSH private key is protected by a passphrase: its body starts with {@code openssh-key-v1\0} and the
   * cipher's name, which is {@code none} for a plain key (the format of OpenSSH's PROTOCOL.key).
   */
  static boolean opensshEncrypted(String base64) {
    int usable = Math.min(base64.length(), 64) & ~3;
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.substring(0, usable));
    } catch (IllegalArgumentException e) {
      return false;
    }
    int magic = OPENSSH_MAGIC.length;
    if (bytes.length < magic + 4 || !Arrays.equals(bytes, 0, magic, OPENSSH_MAGIC, 0, magic)) {
      return false;
    }
    int length = ((bytes[magic] & 0xff) << 24) | ((bytes[magic + 1] & 0xff) << 16) | ((bytes[magic + 2] & 0xff) << 8)
        | (bytes[magic + 3] & 0xff);
    if (length <= 0 || magic + 4 + length > bytes.length) {
      return false;
    }
    return !new String(bytes, magic + 4, length, StandardCharsets.US_ASCII).equals("none");
  }

  private static boolean overlaps(TreeMap<Integer, Span> spans, int start, int end) {
    Map.Entry<Integer, Span> before = spans.floorEntry(start);
    if (before != null && before.getValue().end() > start) {
      return true;
    }
    Map.Entry<Integer, Span> after = spans.ceilingEntry(start);
    return after != null && after.getKey() < end;
  }

  /**
   * The excerpt of one secret: its line, or when the line is longer than {@value #WHOLE_LINE} characters, from {@value
   * #CONTEXT} characters before the secret to as many after. Words of the context that look like tokens — {@value
   * #UNKNOWN_TOKEN} or more letters, digits and {@code +/_-}, with letters and digits among them — are cut too: a
   * secret no rule knows (the second column of a credentials file) must not be shown beside one that a rule found.
   */
  private static String excerpt(String line, NavigableMap<Integer, Span> spans, Span focus) {
    boolean whole = line.length() <= WHOLE_LINE;
    int from = whole ? 0 : Math.max(0, focus.start() - CONTEXT);
    int to = whole ? line.length() : Math.min(line.length(), focus.end() + CONTEXT);
    for (int reach = 0; from > 0 && reach < UNKNOWN_TOKEN && tokenCharacter(line.charAt(from - 1)); reach++) {
      from--;
    }
    for (int reach = 0; to < line.length() && reach < UNKNOWN_TOKEN && tokenCharacter(line.charAt(to)); reach++) {
      to++;
    }
    return render(line, spans, from, to, true);
  }

  /**
   * The line from {@code from} to {@code to}, each secret in it redacted. An edge that would cut through a secret is
   * moved to that secret's edge, so no cut ever shows more of a secret than its first characters.
   */
  private static String render(String line, NavigableMap<Integer, Span> spans, int from, int to, boolean excerpt) {
    Map.Entry<Integer, Span> left = spans.floorEntry(from);
    if (left != null && left.getValue().end() > from) {
      from = left.getKey();
    }
    Map.Entry<Integer, Span> right = spans.lowerEntry(to);
    if (right != null && right.getValue().end() > to) {
      to = right.getValue().end();
    }
    StringBuilder out = new StringBuilder();
    if (from > 0) {
      out.append('…');
    }
    int at = from;
    for (Span span : spans.subMap(from, true, to, false).values()) {
      context(out, line.substring(at, span.start()), excerpt);
      out.append(clean(span.redacted(line)));
      at = span.end();
    }
    context(out, line.substring(at, to), excerpt);
    if (to < line.length()) {
      out.append('…');
    }
    return out.toString();
  }

  private static void context(StringBuilder out, String text, boolean maskTokens) {
    String cleaned = clean(text);
    if (!maskTokens) {
      out.append(cleaned);
      return;
    }
    int i = 0;
    while (i < cleaned.length()) {
      int end = i;
      boolean letter = false;
      boolean digit = false;
      while (end < cleaned.length() && tokenCharacter(cleaned.charAt(end))) {
        char c = cleaned.charAt(end++);
        letter |= Character.isLetter(c);
        digit |= Character.isDigit(c);
      }
      if (end == i) {
        out.append(cleaned.charAt(i++));
      } else {
        out.append(end - i >= UNKNOWN_TOKEN && letter && digit ? cleaned.substring(i, i + SHOWN) + MASK
            : cleaned.substring(i, end));
        i = end;
      }
    }
  }

  private static boolean tokenCharacter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "+/_-".indexOf(c) >= 0;
  }

  /** Control and formatting characters (a terminal escape, a right-to-left override) shown as {@code ?}. */
  private static String clean(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean bad = c != '\t' && (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
      if (bad && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (out != null) {
        out.append(bad ? '?' : c);
      }
    }
    return out == null ? text : out.toString();
  }
}
