package io.portcullis.scanner.version;

/** A string that is not a version of the scheme named, with the reason its package manager would give. */
public final class InvalidVersionException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;
  private static final int SHOWN = 80;

  private final String scheme;
  private final String version;

  public InvalidVersionException(String scheme, String version, String reason) {
    super(scheme + ": invalid version " + shown(version) + ": " + reason);
    this.scheme = scheme;
    this.version = version;
  }

  public String scheme() {
    return scheme;
  }

  /** The rejected string as given (may be long or null). */
  public String version() {
    return version;
  }

  /** Quoted and cut short: the string may be hostile and huge, a message should stay one readable line. */
  private static String shown(String version) {
    if (version == null) {
      return "(none)";
    }
    String cut = version.length() > SHOWN ? version.substring(0, SHOWN) + "..." : version;
    StringBuilder quoted = new StringBuilder("\"");
    cut.codePoints().forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        quoted.append(String.format("\\x%02x", c));
      } else {
        quoted.appendCodePoint(c);
      }
    });
    return quoted.append('"').toString();
  }
}
