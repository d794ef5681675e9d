package io.portcullis.api.internal;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Spring MVC's own errors (400, 404 of an unknown path, 405, 406, 413, 415, ...) as complete problem details: it takes
 * the place of Spring Boot's default handler, which it extends only by always naming the type ({@code about:blank}),
 * the title and the instance, by listing which fields failed validation, and by answering an API body that grew past
 * its limit with 413. It applies to every request, as Boot's did, and comes before {@link ApiProblems}.
 */
@RestControllerAdvice
@Order(0)
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

  private static final URI BLANK = URI.create("about:blank");

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof BodyTooLargeException tooLarge) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage());
        return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
      }
    }
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST, "The request body is not valid JSON of the expected shape.");
    return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ProblemDetail problem = ex.getBody();
    problem.setDetail("The request has invalid fields.");
    List<Map<String, String>> errors =
        ex.getBindingResult().getFieldErrors().stream()
            .limit(100)
            .map(
                error ->
                    Map.of(
                        "field", error.getField(),
                        "message", error.getDefaultMessage() == null ? "is not valid" : error.getDefaultMessage()))
            .toList();
    problem.setProperty("errors", errors);
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
    if (response != null && response.getBody() instanceof ProblemDetail problem) {
      if (problem.getType() == null) {
        problem.setType(BLANK);
      }
      if (problem.getTitle() == null) {
        HttpStatus known = HttpStatus.resolve(problem.getStatus());
        problem.setTitle(known != null ? known.getReasonPhrase() : "Error");
      }
      if (problem.getInstance() == null
          && request instanceof NativeWebRequest nativeRequest
          && nativeRequest.getNativeRequest() instanceof HttpServletRequest servlet) {
        problem.setInstance(URI.create(servlet.getRequestURI()));
      }
    }
    return response;
  }
}
