package io.portcullis.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a person types into a name or search filter is matched as written. */
class LikeTests {

  @Test
  void wildcardsAndTheEscapeCharacterAreEscaped() {
    assertThat(Like.containing("team-a/")).isEqualTo("%team-a/%");
    assertThat(Like.containing("a_b%c\\d")).isEqualTo("%a\\_b\\%c\\\\d%");
    assertThat(Like.containing("")).isEqualTo("%%");
  }
}
