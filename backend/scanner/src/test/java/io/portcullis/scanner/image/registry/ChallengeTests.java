package io.portcullis.scanner.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengeTests {

  @Test
  void bearerChallengeWithCommasInsideQuotedValues() {
    List<Challenge> challenges =
        Challenge.parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:samalba/my-app:pull,push\"");

    assertThat(challenges)
        .containsExactly(
            new Challenge(
                "Bearer",
                Map.of(
                    "realm", "https://auth.docker.io/token",
                    "service", "registry.docker.io",
                    "scope", "repository:samalba/my-app:pull,push")));
  }

  @Test
  void severalChallengesInOneHeader() {
    List<Challenge> challenges =
        Challenge.parse("Basic realm=\"Registry Realm\", Bearer realm=\"https://a/token\", service=svc");

    assertThat(challenges)
        .containsExactly(
            new Challenge("Basic", Map.of("realm", "Registry Realm")),
            new Challenge("Bearer", Map.of("realm", "https://a/token", "service", "svc")));
  }

  @Test
  void escapesAndOddSpacing() {
    assertThat(Challenge.parse("  bearer   Realm = \"https://a/t\\\"x\" ,scope=\"\""))
        .containsExactly(new Challenge("bearer", Map.of("realm", "https://a/t\"x", "scope", "")));
  }

  @Test
  void schemeWithoutParametersAndGarbageDoNotLoop() {
    assertThat(Challenge.parse("Negotiate")).containsExactly(new Challenge("Negotiate", Map.of()));
    assertThat(Challenge.parse("\"unterminated")).isEmpty();
    assertThat(Challenge.parse("Bearer realm=\"https://a"))
        .containsExactly(new Challenge("Bearer", Map.of("realm", "https://a")));
    assertThat(Challenge.parse(",,, ,")).isEmpty();
    assertThat(Challenge.parse("Bearer " + "x".repeat(10_000))).isEmpty();
  }
}
