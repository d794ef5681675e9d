package io.portcullis.identity.internal;

import io.portcullis.identity.EntraAccessTokens;
import io.portcullis.identity.SignInMethods;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.Tenants;
import java.util.Set;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may reach the pages. Sign-in is Entra ID (when configured) and/or the local form (local mode only). Viewers read;
 * only Admins and Analysts may send anything but GET, HEAD or OPTIONS; Admin pages ({@code /users}, {@code /settings})
 * are for Admins. Everything needs a signed-in user except the sign-in pages, static assets and the health endpoints.
 * The REST API under {@code /api/v1} has a chain of its own, ordered before this one (see the api module).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

  static final String REGISTRATION_ID = "entra";
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  @Bean
  SignInMethods signInMethods(EntraProperties entra, LocalProperties local, Environment environment) {
    boolean localProfile = environment.acceptsProfiles(Profiles.of("local"));
    if (localProfile && !local.enabled()) {
      throw new IllegalStateException(
          "The local profile signs people in without Entra ID. Set portcullis.local.enabled=true"
              + " (PORTCULLIS_LOCAL_ENABLED=true) to confirm that this is wanted.");
    }
    if (local.enabled() && !localProfile) {
      throw new IllegalStateException("portcullis.local.enabled is set but the local profile is not active");
    }
    if (entra.enabled() && (entra.clientSecret() == null || entra.clientSecret().isBlank())) {
      throw new IllegalStateException(
          "portcullis.identity.entra.client-secret (PORTCULLIS_ENTRA_CLIENT_SECRET) is required with a client id");
    }
    if (!local.enabled() && !entra.enabled()) {
      throw new IllegalStateException(
          "No sign-in is configured: set portcullis.identity.entra.client-id and client-secret (see docs/entra.md),"
              + " or run in local mode.");
    }
    return new SignInMethods(entra.enabled(), local.enabled());
  }

  @Bean
  SecurityFilterChain securityFilterChain(
      HttpSecurity http,
      SignInMethods methods,
      SignInEvents signInEvents,
      EntraProperties entra,
      LocalProperties local,
      Tenants tenants,
      Users users,
      ApplicationEventPublisher events,
      @Value("${server.servlet.session.cookie.name:JSESSIONID}") String sessionCookie)
      throws Exception {
    RequestMatcher changes = request -> !SAFE_METHODS.contains(request.getMethod());
    http.authorizeHttpRequests(
        authorize ->
            authorize
                .requestMatchers("/login", "/sign-in/**", "/error", "/assets/**", "/webjars/**", "/favicon.ico")
                .permitAll()
                .requestMatchers(EndpointRequest.toAnyEndpoint())
                .permitAll()
                // push events authenticate with their connection's own secret, not a session
                .requestMatchers("/hooks/**")
                .permitAll()
                .requestMatchers("/users/**", "/settings/**")
                .hasRole("ADMIN")
                .requestMatchers("/audit/**")
                .hasAnyRole("ADMIN", "ANALYST")
                .requestMatchers(changes)
                .hasAnyRole("ADMIN", "ANALYST")
                .anyRequest()
                .authenticated());

    http.csrf(csrf -> csrf.ignoringRequestMatchers("/hooks/**"));
    http.addFilterBefore(new CurrentRole(users, new HttpSessionSecurityContextRepository()), AuthorizationFilter.class);

    HtmxAwareEntryPoint entryPoint = new HtmxAwareEntryPoint("/login");
    http.exceptionHandling(
        exceptions ->
            exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(entryPoint.accessDeniedHandler()));

    if (methods.local()) {
      http.authenticationProvider(new LocalSignIn(local, tenants, users, events));
      http.formLogin(
          form ->
              form.loginPage("/login")
                  .loginProcessingUrl("/login")
                  .successHandler(signInEvents.success("local"))
                  .failureHandler(signInEvents.failure()));
    }
    if (methods.entra()) {
      http.oauth2Login(
          oauth ->
              oauth
                  .loginPage("/login")
                  .clientRegistrationRepository(entraRegistration(entra))
                  .userInfoEndpoint(userInfo -> userInfo.oidcUserService(new EntraSignIn(tenants, users, events)))
                  .successHandler(signInEvents.success("entra"))
                  .failureHandler(signInEvents.failure()));
    }
    http.logout(
        logout ->
            logout
                .logoutUrl("/logout")
                .logoutSuccessHandler(signInEvents.signedOut())
                .deleteCookies(sessionCookie));
    return http.build();
  }

  /** Entra access tokens for the REST API; they refuse every token when Entra sign-in is not configured. */
  @Bean
  EntraAccessTokens entraAccessTokens(EntraProperties entra, Tenants tenants, Users users) {
    return new EntraBearerTokens(entra, tenants, users);
  }

  /** ID tokens must pass the standard checks and carry the issuer of the tenant they claim. */
  @Bean
  JwtDecoderFactory<ClientRegistration> idTokenDecoderFactory(EntraProperties entra) {
    OidcIdTokenDecoderFactory factory = new OidcIdTokenDecoderFactory();
    factory.setJwtValidatorFactory(
        registration ->
            new DelegatingOAuth2TokenValidator<>(
                new JwtTimestampValidator(),
                new OidcIdTokenValidator(registration),
                new EntraSignIn.IssuerValidator(entra.issuerTemplate())));
    return factory;
  }

  private static ClientRegistrationRepository entraRegistration(EntraProperties entra) {
    return new InMemoryClientRegistrationRepository(
        ClientRegistration.withRegistrationId(REGISTRATION_ID)
            .clientName("Microsoft")
            .clientId(entra.clientId())
            .clientSecret(entra.clientSecret())
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
            .scope("openid", "profile", "email")
            .authorizationUri(entra.authorizationUri().toString())
            .tokenUri(entra.tokenUri().toString())
            .jwkSetUri(entra.jwkSetUri().toString())
            .userNameAttributeName("oid")
            .build());
  }
}
