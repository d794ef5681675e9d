package io.portcullis.api.internal;

import java.io.IOException;
import java.io.Serial;

/** A request body without a length grew past the limit while it was read; answered 413. */
final class BodyTooLargeException extends IOException {

  @Serial private static final long serialVersionUID = 1L;

  BodyTooLargeException(long limit) {
    super("The request body is larger than " + limit + " bytes.");
  }
}
