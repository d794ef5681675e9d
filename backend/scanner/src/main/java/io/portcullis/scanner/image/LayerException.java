package io.portcullis.scanner.image;

import java.io.Serial;

/** A layer could not be analysed: it is not a tar archive, or it breaks a limit. The message says which. */
public class LayerException extends Exception {

  @Serial private static final long serialVersionUID = 1L;

  public LayerException(String message) {
    super(message);
  }

  public LayerException(String message, Throwable cause) {
    super(message, cause);
  }
}
