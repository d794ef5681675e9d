package io.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.PortcullisApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Local sign-in never switches itself on, and an installation without any sign-in refuses to start. */
class SignInConfigurationTests {

  @Test
  void theLocalProfileAloneIsRefused() {
    assertThatThrownBy(() -> start("local,test"))
        .rootCause()
        .hasMessageContaining("portcullis.local.enabled=true")
        .hasMessageContaining("PORTCULLIS_LOCAL_ENABLED=true");
  }

  @Test
  void enablingLocalSignInWithoutTheProfileIsRefused() {
    assertThatThrownBy(() -> start("test", "--portcullis.local.enabled=true"))
        .rootCause()
        .hasMessageContaining("the local profile is not active");
  }

  @Test
  void withoutEntraOrLocalModeThereIsNoWayToSignInAndStartIsRefused() {
    assertThatThrownBy(() -> start("test")).rootCause().hasMessageContaining("No sign-in is configured");
  }

  @Test
  void withoutADatabaseUrlOutsideLocalModeStartIsRefused() {
    assertThatThrownBy(
            () ->
                start(
                    "test",
                    "--portcullis.database.embedded.enabled=false",
                    "--portcullis.identity.entra.client-id=x",
                    "--portcullis.identity.entra.client-secret=y"))
        .rootCause()
        .hasMessageContaining("No database is configured: set PORTCULLIS_DB_URL");
  }

  @Test
  void anEntraClientIdWithoutItsSecretIsRefused() {
    assertThatThrownBy(() -> start("test", "--portcullis.identity.entra.client-id=x"))
        .rootCause()
        .hasMessageContaining("PORTCULLIS_ENTRA_CLIENT_SECRET");
  }

  @Test
  void theLocalProfileWithExplicitConsentStarts() {
    try (ConfigurableApplicationContext context = start("local,test", "--portcullis.local.enabled=true")) {
      assertThat(context.getBean(SignInMethods.class)).isEqualTo(new SignInMethods(false, true));
    }
  }

  private static ConfigurableApplicationContext start(String profiles, String... args) {
    return new SpringApplicationBuilder(PortcullisApplication.class)
        .profiles(profiles.split(","))
        .run(args);
  }
}
