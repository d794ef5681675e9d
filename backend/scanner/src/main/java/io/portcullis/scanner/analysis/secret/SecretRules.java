package io.portcullis.scanner.analysis.secret;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules, most specific first: where two rules match the same characters of a line, the earlier one reports them.
 * Formats are those the issuers document (Azure Storage connection strings and shared access signatures, AWS access
 * keys, GitHub, GitLab and Slack token prefixes, Teams and Logic Apps webhook URLs); the patterns are ours.
 */
public final class SecretRules {

  /**
   * The first line of a PEM private key of any kind: PKCS#1 ({@code RSA}, {@code DSA}, {@code EC}), PKCS#8 (plain and
   * {@code ENCRYPTED}), {@code OPENSSH}, and OpenPGP's {@code PRIVATE KEY BLOCK} (RFC 7468, RFC 4880).
   */
  static final Pattern KEY_MARKER = Pattern.compile("-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----");

  /** A PEM private key, unencrypted: its {@code BEGIN} line followed by a body. */
  public static final SecretRule PRIVATE_KEY = new SecretRule(
      "private-key", "Private key", Severity.CRITICAL, List.of("-----begin"), true, KEY_MARKER, value -> true);

  /** A PEM private key protected by a passphrase, which may still be guessed offline. */
  public static final SecretRule ENCRYPTED_PRIVATE_KEY = new SecretRule(
      "encrypted-private-key", "Private key (encrypted)", Severity.HIGH, List.of("-----begin"), true, KEY_MARKER,
      value -> true);

  /**
   * The least Shannon entropy, in bits per character, of a value the generic rule reports, and the least length. A
   * random 12-character alphanumeric value has 3.0 or more 99 times in 100; words, repeated and sequential characters
   * have less. Values shorter than 12 characters are not reported by the generic rule at all.
   */
  public static final double GENERIC_MIN_ENTROPY = 3.0;

  public static final int GENERIC_MIN_LENGTH = 12;

  /** Below this, a token-shaped value is a filler ({@code ghp_aaaa…}) rather than a token. */
  static final double TOKEN_MIN_ENTROPY = 2.5;

  private static final List<String> PLACEHOLDER_WORDS = List.of(
      "example", "changeme", "change_me", "change-me", "placeholder", "dummy", "sample", "redacted", "your", "xxxx",
      "****", "password", "passwd", "secret", "replace", "${", "{{", "}}", "#{", "%(", "$(", "://", "qwer", "asdf",
      "zxcv");
  private static final String REFERENCE_STARTS = "$%{<@/~!&*.=[";
  private static final Pattern WORD = Pattern.compile("[A-Z]?[a-z]{3,}|[A-Z]{3,}(?![a-z])");

  private SecretRules() {}

  /** The rules that look at one line at a time, in order of precedence. Private keys span lines and come first. */
  public static List<SecretRule> lineRules() {
    return LINE_RULES;
  }

  private static final List<SecretRule> LINE_RULES = List.of(
      rule("teams-webhook-url", "Microsoft Teams incoming webhook URL", Severity.HIGH,
          List.of("webhook.office.com", "outlook.office"), false,
          "(?i)(?:\\b[a-z0-9-]{1,63}\\.webhook\\.office\\.com/webhookb2|\\boutlook\\.office(?:365)?\\.com/webhook)/"
              + "(?<secret>[0-9a-f-]{36}@[0-9a-f-]{36}/IncomingWebhook/[0-9a-z]{32}/[0-9a-f-]{36}"
              + "(?:/[A-Za-z0-9_-]{1,100}+)?)",
          SecretRules::notPlaceholder),
      rule("teams-workflow-url", "Microsoft Teams workflow URL (a signed Logic Apps or Power Automate trigger)",
          Severity.HIGH, List.of("logic.azure.com", "powerplatform.com"), false,
          "(?i)\\bhttps://[a-z0-9.-]{1,120}\\.(?:logic\\.azure\\.com|powerplatform\\.com)(?::\\d{1,5})?/"
              + "(?<secret>[^\\s\"'<>?]{1,300}\\?[^\\s\"'<>]{0,500}?\\bsig=[A-Za-z0-9_%-]{20,100}+)",
          SecretRules::notPlaceholder),
      rule("slack-webhook-url", "Slack incoming webhook URL", Severity.HIGH, List.of("hooks.slack.com"), true,
          "(?i)\\bhooks\\.slack\\.com/(?<secret>(?:services|workflows|triggers)/[A-Za-z0-9_/-]{20,150}+)",
          value -> notPlaceholder(value) && value.chars().filter(c -> c == '/').count() >= 3),
      rule("azure-storage-connection-string", "Azure Storage account key in a connection string", Severity.CRITICAL,
          List.of("accountkey="), true,
          "(?i)\\bAccountKey=(?<secret>[A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])",
          SecretRules::notPlaceholder),
      rule("azure-storage-account-key", "Azure Storage account key", Severity.CRITICAL,
          List.of("account", "storage"), true,
          "(?i)(?:account|storage)[a-z0-9_.-]{0,30}?key[\"']?\\s{0,5}+(?::|=>|=)\\s{0,5}+[\"']?"
              + "(?<secret>[A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])",
          SecretRules::notPlaceholder),
      rule("azure-sas-token", "Azure shared access signature (SAS) token", Severity.HIGH, List.of("sv="), true,
          "\\bsv=\\d{4}-\\d{2}-\\d{2}[^\\s\"'<>]{0,400}?[?&;]sig=(?<secret>[A-Za-z0-9%+/=]{40,150}+)",
          SecretRules::notPlaceholder),
      rule("github-token", "GitHub token", Severity.CRITICAL,
          List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), true,
          "\\b(?<secret>gh[pousr]_[A-Za-z0-9]{36,251}+|github_pat_[A-Za-z0-9_]{80,250}+)\\b",
          SecretRules::notPlaceholder),
      rule("gitlab-token", "GitLab token", Severity.CRITICAL, List.of("glpat-", "glrt-", "gldt-", "glptt-"), true,
          "\\b(?<secret>(?:glpat|glrt|gldt|glptt)-[A-Za-z0-9_-]{20,80}+(?:\\.[A-Za-z0-9_-]{1,40}+){0,2}+)",
          SecretRules::notPlaceholder),
      rule("slack-token", "Slack token", Severity.CRITICAL, List.of("xox"), true,
          "\\b(?<secret>xox[baprs]-(?:[0-9]{1,20}+-){1,3}+[A-Za-z0-9-]{8,200}+)",
          SecretRules::notPlaceholder),
      rule("aws-access-key-id", "AWS access key id", Severity.HIGH, List.of("akia", "asia"), true,
          "\\b(?<secret>(?:AKIA|ASIA)[A-Z0-9]{16})\\b",
          SecretRules::notPlaceholder),
      rule("aws-secret-access-key", "AWS secret access key", Severity.CRITICAL, List.of("aws", "secret"), true,
          "(?i)(?:aws[_.-]?secret[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key)[\"']?\\s{0,5}+"
              + "(?::|=>|=)\\s{0,5}+[\"']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
          value -> notPlaceholder(value) && Entropy.bitsPerChar(value) >= GENERIC_MIN_ENTROPY),
      rule("docker-registry-auth", "Registry credentials in a Docker config (auth)", Severity.CRITICAL,
          List.of("\"auth\""), true,
          "\"auth\"\\s{0,5}+:\\s{0,5}+\"(?<secret>[A-Za-z0-9+/]{8,2000}+={0,2})\"",
          SecretRules::userAndPassword),
      rule("url-credentials", "Password in a URL", Severity.HIGH, List.of("://"), false,
          "\\b[A-Za-z][A-Za-z0-9+.-]{1,20}+://[^\\s:/@\"'<>]{1,100}+:(?<secret>[^\\s:/@\"'<>]{1,200}+)@"
              + "[A-Za-z0-9.-]{1,253}+",
          SecretRules::urlPassword),
      rule("generic-secret", "Password, secret or token assigned a random-looking value", Severity.MEDIUM,
          List.of("password", "passwd", "pwd", "secret", "token", "api", "access", "auth", "private", "credential"),
          true,
          "(?i)(?:password|passwd|pwd|secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?key|private[_.-]?key"
              + "|credentials?)[a-z0-9_.-]{0,40}+[\"']?+\\s{0,5}+(?::=|=>|:(?!:)|=(?!=))\\s{0,5}+[\"']?+"
              + "(?<secret>[^\\s\"'`\\\\,;&]{1,200}+)",
          SecretRules::randomLookingValue));

  private static SecretRule rule(String id, String title, Severity severity, List<String> keywords, boolean anchored,
      String regex, Predicate<String> accepts) {
    return new SecretRule(id, title, severity, keywords, anchored, Pattern.compile(regex), accepts);
  }

  /**
   * Whether a token-shaped value is a real one rather than a filler or a documentation example. AWS documents the key
   * id {@code AKIAIOSFODNN7EXAMPLE} and the secret {@code wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY}; both, and anything
   * else that says {@code EXAMPLE}, are not reported.
   */
  static boolean notPlaceholder(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    return !lower.contains("example") && !lower.contains("xxxxx") && !lower.contains("*****") && !lower.contains("<")
        && !lower.contains("${") && !lower.contains("{{") && Entropy.bitsPerChar(value) >= TOKEN_MIN_ENTROPY;
  }

  /**
   * Whether the value of {@code password=…} and its kin is worth reporting: long enough, letters and digits, random
   * enough, and not a placeholder ({@code changeme}, {@code <password>}, {@code xxxx}), a reference ({@code ${VAR}},
   * {@code $(cat file)}, {@code process.env.TOKEN}, {@code get_secret(name)}), a path or a URL.
   */
  static boolean randomLookingValue(String value) {
    if (value.length() < GENERIC_MIN_LENGTH || REFERENCE_STARTS.indexOf(value.charAt(0)) >= 0
        || value.indexOf('(') >= 0 || value.indexOf('[') >= 0) {
      return false;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    for (String word : PLACEHOLDER_WORDS) {
      if (lower.contains(word)) {
        return false;
      }
    }
    boolean letter = false;
    boolean digit = false;
    boolean name = true; // an identifier or a dotted path of them, as code refers to a value: settings.api_token2
    int repeated = 1;
    int ascending = 1;
    for (int i = 0; i < value.length(); i++) {
      char c = Character.toLowerCase(value.charAt(i));
      letter |= Character.isLetter(c);
      digit |= Character.isDigit(c);
      name &= c == '.' ? i > 0 && value.charAt(i - 1) != '.' : Character.isLetterOrDigit(c) || c == '_' || c == '$';
      if (i > 0) {
        char previous = Character.toLowerCase(value.charAt(i - 1));
        repeated = c == previous ? repeated + 1 : 1; // aaaa
        ascending = c == previous + 1 && Character.isLetterOrDigit(c) ? ascending + 1 : 1; // 1234, abcd
        if (repeated >= 4 || ascending >= 4) {
          return false;
        }
      }
    }
    boolean dotted = name && value.indexOf('.') > 0 && !Character.isDigit(value.charAt(0));
    if (!letter || !digit || dotted || Entropy.bitsPerChar(value) < GENERIC_MIN_ENTROPY) {
      return false;
    }
    // names in code and configuration: enable_k8s_tokens, V1LocalObjectReference, scram-sha-256, TEST_DATA_BASE64
    double words = wordShare(value);
    boolean separated = value.indexOf('-') >= 0 || value.indexOf('_') >= 0 || value.indexOf(':') >= 0;
    return words < 0.8 && !(separated && words >= 0.6);
  }

  /**
   * The share of a value's characters that are in words: runs of three or more lower-case letters (with a capital
   * before them) or capitals. Names are mostly words; in a random 20-character value, words hold a fifth of the
   * characters typically and more than seven tenths once in a hundred.
   */
  static double wordShare(String value) {
    Matcher words = WORD.matcher(value);
    int covered = 0;
    while (words.find()) {
      covered += words.end() - words.start();
    }
    return (double) covered / value.length();
  }

  /**
   * Whether a Docker config's {@code auth} is what {@code docker login} writes: {@code user:password} in base64, with a
   * password.
   */
  static boolean userAndPassword(String value) {
    try {
      String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon > 0 && colon < decoded.length() - 1;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Whether the password of {@code scheme://user:password@host} is one: eight characters or more, letters and digits,
   * not a placeholder or a variable ({@code postgres://app:${DB_PASSWORD}@db}).
   */
  static boolean urlPassword(String value) {
    if (value.length() < 8 || REFERENCE_STARTS.indexOf(value.charAt(0)) >= 0) {
      return false;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    for (String word : PLACEHOLDER_WORDS) {
      if (lower.contains(word)) {
        return false;
      }
    }
    boolean letter = value.chars().anyMatch(Character::isLetter);
    boolean digit = value.chars().anyMatch(Character::isDigit);
    return letter && digit && Entropy.bitsPerChar(value) >= TOKEN_MIN_ENTROPY;
  }

  /** Every rule, private keys first: for listing in documentation and tests. */
  public static List<SecretRule> all() {
    List<SecretRule> all = new ArrayList<>(List.of(PRIVATE_KEY, ENCRYPTED_PRIVATE_KEY));
    all.addAll(LINE_RULES);
    return List.copyOf(all);
  }

  /** Shannon entropy of the characters of a value. */
  static final class Entropy {
    private Entropy() {}

    static double bitsPerChar(CharSequence value) {
      int length = value.length();
      if (length == 0) {
        return 0;
      }
      char[] chars = value.toString().toCharArray();
      Arrays.sort(chars);
      double bits = 0;
      int run = 1;
      for (int i = 1; i <= length; i++) {
        if (i < length && chars[i] == chars[i - 1]) {
          run++;
        } else {
          double p = (double) run / length;
          bits -= p * (Math.log(p) / Math.log(2));
          run = 1;
        }
      }
      return bits;
    }
  }
}
