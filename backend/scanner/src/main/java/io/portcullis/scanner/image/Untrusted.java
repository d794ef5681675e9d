package io.portcullis.scanner.image;

/**
 * Text that came from a registry or an image, made safe to put in a message: control and non-ASCII characters are
 * replaced and long values cut, so a hostile response cannot forge log lines or flood a page.
 */
public final class Untrusted {

  private static final int MAX_LENGTH = 100;

  private Untrusted() {}

  /** The value in single quotes, printable and at most about 100 characters. */
  public static String quote(String value) {
    if (value == null) {
      return "(none)";
    }
    String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
    return "'" + (printable.length() <= MAX_LENGTH ? printable : printable.substring(0, MAX_LENGTH) + "…") + "'";
  }
}
