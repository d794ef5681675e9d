package io.portcullis.scanner.analysis.os;

import java.io.Serial;

/**
 * A package database (or os-release file) cannot be used as a whole: it exceeds a {@link ReadLimits} bound or is not
 * text. Single records that make no sense do not raise this; they are skipped and counted in {@link PackageListing}.
 */
public class PackageDatabaseException extends Exception {

  @Serial private static final long serialVersionUID = 1L;

  public PackageDatabaseException(String message) {
    super(message);
  }

  public PackageDatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
