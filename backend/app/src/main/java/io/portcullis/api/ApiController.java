package io.portcullis.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;
import org.springframework.web.bind.annotation.RestController;

/**
 * A REST controller of {@code /api/v1}: its errors are answered as problem details by the API's own handler, never as
 * an error page, and never with a stack trace.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@RestController
public @interface ApiController {

  @AliasFor(annotation = RestController.class)
  String value() default "";
}
