package io.portcullis.scanner.severity;

/**
 * A CVSS vector that cannot be scored, with the reason in words a reader of the advisory can act on ("metric AV
 * appears twice"). The offending text is quoted at most in part and with control characters replaced, because it
 * comes from advisory data and may end up in logs.
 */
public class InvalidCvssVectorException extends IllegalArgumentException {

  private final String reason;

  InvalidCvssVectorException(String reason) {
    super("invalid CVSS vector: " + reason);
    this.reason = reason;
  }

  /** Why the vector was refused, without the "invalid CVSS vector" preamble. */
  public String reason() {
    return reason;
  }

  /** {@code text} made safe to quote in a message: printable ASCII only, at most 40 characters. */
  static String quote(String text) {
    StringBuilder quoted = new StringBuilder("'");
    for (int i = 0; i < text.length() && i < 40; i++) {
      char c = text.charAt(i);
      quoted.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return quoted.append(text.length() > 40 ? "…'" : "'").toString();
  }
}
