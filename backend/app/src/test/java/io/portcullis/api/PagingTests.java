package io.portcullis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.api.Paging.InvalidPagingException;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cursors and limits as callers send them, good and bad. */
class PagingTests {

  @Test
  void aCursorCarriesTheSortKeyAndNothingElse() {
    List<String> key = List.of("Contoso, \"prod\" / ü", UUID.randomUUID().toString());
    String cursor = Paging.cursor(key);
    assertThat(cursor).matches("[A-Za-z0-9_-]+");
    Paging paging = Paging.of(cursor, 10, 2);
    assertThat(paging.after()).isEqualTo(key);
    assertThat(paging.afterId(1)).isEqualTo(UUID.fromString(key.get(1)));
    assertThat(paging.first()).isFalse();
    assertThat(paging.fetch()).isEqualTo(11);
  }

  @Test
  void withoutCursorOrLimitItIsTheFirstPageOfFifty() {
    Paging paging = Paging.of(null, null, 2);
    assertThat(paging.first()).isTrue();
    assertThat(paging.limit()).isEqualTo(Paging.DEFAULT_LIMIT);
    assertThat(Paging.of("", 500, 1).limit()).isEqualTo(500);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 501, Integer.MAX_VALUE})
  void aLimitOutOfRangeIsRefused(int limit) {
    assertThatThrownBy(() -> Paging.of(null, limit, 1)).isInstanceOf(InvalidPagingException.class)
        .hasMessageContaining("500");
  }

  @ParameterizedTest
  @ValueSource(strings = {"%%%", "not base64!", "YQ", "YQBiAGM"})
  void aCursorThatIsNotThisListsIsRefused(String cursor) {
    // "YQ" is one part, "YQBiAGM" three: the list wants two
    assertThatThrownBy(() -> Paging.of(cursor, 10, 2)).isInstanceOf(InvalidPagingException.class);
  }

  @Test
  void anOverlongCursorIsRefusedBeforeDecoding() {
    assertThatThrownBy(() -> Paging.of("A".repeat(3000), 10, 1)).isInstanceOf(InvalidPagingException.class);
  }

  @Test
  void keyPartsOfTheWrongTypeAreRefused() {
    Paging paging = Paging.of(Paging.cursor(List.of("yesterday", "nobody")), 10, 2);
    assertThatThrownBy(() -> paging.afterInstant(0)).isInstanceOf(InvalidPagingException.class);
    assertThatThrownBy(() -> paging.afterId(1)).isInstanceOf(InvalidPagingException.class);
  }

  @Test
  void aPageHasANextCursorOnlyWhenMoreRowsCame() {
    Paging paging = Paging.of(null, 3, 1);
    List<Integer> four = IntStream.rangeClosed(1, 4).boxed().toList();
    CursorPage<Integer> page = paging.page(four, i -> List.of(String.valueOf(i)));
    assertThat(page.items()).containsExactly(1, 2, 3);
    assertThat(Paging.of(page.next(), 3, 1).after(0)).isEqualTo("3");

    CursorPage<Integer> last = paging.page(four.subList(0, 3), i -> List.of(String.valueOf(i)));
    assertThat(last.items()).containsExactly(1, 2, 3);
    assertThat(last.next()).isNull();
  }
}
