package io.portcullis.api;

/**
 * What a request names does not exist for the caller's tenant: answered 404, whether the id is unknown or another
 * tenant's, so the answer never hints that it exists elsewhere.
 */
public class UnknownResourceException extends RuntimeException {

  public UnknownResourceException(String detail) {
    super(detail);
  }
}
