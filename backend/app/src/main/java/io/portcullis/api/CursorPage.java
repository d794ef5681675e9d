package io.portcullis.api;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: its items and, when there are more, the opaque cursor that asks for the next page (null on the
 * last page).
 */
public record CursorPage<T>(List<T> items, String next) {

  /** The same page with each item turned into another. */
  public <R> CursorPage<R> map(Function<T, R> mapping) {
    return new CursorPage<>(items.stream().map(mapping).toList(), next);
  }
}
