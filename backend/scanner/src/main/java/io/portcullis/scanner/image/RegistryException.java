package io.portcullis.scanner.image;

import java.io.Serial;

/** A registry could not be read; {@link #kind()} says why in a way that code can act on, the message says it to people. */
public class RegistryException extends Exception {

  @Serial private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** Credentials missing, wrong or insufficient (401/403, token refused). */
    UNAUTHORIZED,
    /** The repository, tag, manifest or blob does not exist. */
    NOT_FOUND,
    /** The registry asked us to slow down (429) longer than we were willing to wait. */
    THROTTLED,
    /** The response was not what the specification allows (wrong content type, bad JSON, digest mismatch). */
    MALFORMED,
    /** A response or a listing exceeded a limit (size, count, pages). */
    TOO_LARGE,
    /** No response in time. */
    TIMEOUT,
    /** TLS failed: untrusted certificate, wrong host name. */
    TLS,
    /** The registry could not be reached or answered with a server error. */
    UNAVAILABLE
  }

  private final Kind kind;

  public RegistryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public RegistryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
