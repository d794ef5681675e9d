package io.portcullis.api.internal;

import io.portcullis.api.ApiScope;
import io.portcullis.api.ApiTokens;
import io.portcullis.identity.EntraAccessTokens;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The security of {@code /api/v1/**}, a chain of its own ordered before the pages': stateless (no session is read or
 * made, so a signed-in browser's cookie opens nothing here and CSRF does not arise), authenticated by a bearer token
 * only. GET and HEAD need any caller; every other method needs a read-write one. The OpenAPI document and Swagger UI
 * are open, since they describe the API and hold no data.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurity {

  static final String API = "/api/v1/**";

  /** The OpenAPI document and Swagger UI (springdoc's paths, as configured in application.yml). */
  static final String[] DOCUMENTATION = {
    "/api/v1/openapi.json", "/api/v1/openapi.json/**", "/api/v1/openapi.json.yaml", "/api/v1/docs", "/api/v1/docs/**",
    "/api/v1/swagger-ui/**"
  };

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 10)
  SecurityFilterChain apiFilterChain(
      HttpSecurity http, ApiTokens tokens, EntraAccessTokens entra, ApiProperties properties, JsonMapper json)
      throws Exception {
    ProblemResponses problems = new ProblemResponses(json);
    CallerProblems callerProblems = new CallerProblems(problems);
    BearerAuthentication bearer = new BearerAuthentication(tokens, entra);

    http.securityMatcher(API)
        .authorizeHttpRequests(
            authorize ->
                authorize
                    .requestMatchers(HttpMethod.GET, DOCUMENTATION)
                    .permitAll()
                    .requestMatchers(HttpMethod.GET, API)
                    .hasAuthority(ApiScope.READ_AUTHORITY)
                    .requestMatchers(HttpMethod.HEAD, API)
                    .hasAuthority(ApiScope.READ_AUTHORITY)
                    .anyRequest()
                    .hasAuthority(ApiScope.WRITE_AUTHORITY))
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
        .csrf(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .oauth2ResourceServer(
            resourceServer ->
                resourceServer
                    .authenticationManagerResolver(request -> bearer)
                    .authenticationEntryPoint(callerProblems))
        .exceptionHandling(
            exceptions -> exceptions.authenticationEntryPoint(callerProblems).accessDeniedHandler(callerProblems))
        .addFilterBefore(new ErrorBarrier(problems), DisableEncodeUrlFilter.class)
        .addFilterAfter(
            new RequestRateLimit(new RateLimits(properties.rateLimit(), System::nanoTime), problems),
            BearerTokenAuthenticationFilter.class)
        .addFilterAfter(new BodySizeLimit(properties.maxBodySize().toBytes(), problems), AuthorizationFilter.class);
    return http.build();
  }
}
