package io.portcullis.api.internal;

import io.portcullis.api.ApiController;
import io.portcullis.api.Paging.InvalidPagingException;
import io.portcullis.api.UnknownResourceException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The errors of API controllers that are not Spring MVC's own (those are {@link ProblemDetailsAdvice}'s, which comes
 * first): unknown ids, bad paging, and anything unexpected, which is logged and answered 500 without a trace.
 */
@RestControllerAdvice(annotations = ApiController.class)
@Order(1)
class ApiProblems {

  static final String UNEXPECTED =
      "Something went wrong on our side. The X-Request-Id header of this response identifies it in our logs.";

  private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

  @ExceptionHandler(UnknownResourceException.class)
  ResponseEntity<ProblemDetail> unknown(UnknownResourceException e, HttpServletRequest request) {
    return answer(HttpStatus.NOT_FOUND, e.getMessage(), request);
  }

  @ExceptionHandler(InvalidPagingException.class)
  ResponseEntity<ProblemDetail> paging(InvalidPagingException e, HttpServletRequest request) {
    return answer(HttpStatus.BAD_REQUEST, e.getMessage(), request);
  }

  /** Method security inside an API controller: the caller is known but may not do this. */
  @ExceptionHandler(AccessDeniedException.class)
  ResponseEntity<ProblemDetail> denied(HttpServletRequest request) {
    return answer(HttpStatus.FORBIDDEN, "You may not do this.", request);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    log.error("API request {} {} failed", request.getMethod(), request.getRequestURI(), e);
    return answer(HttpStatus.INTERNAL_SERVER_ERROR, UNEXPECTED, request);
  }

  static ResponseEntity<ProblemDetail> answer(HttpStatus status, String detail, HttpServletRequest request) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(ProblemResponses.problem(status, detail, request));
  }
}
