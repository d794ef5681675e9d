package io.portcullis.registry.internal;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * Which repositories of a registry to discover. Repository names are slash-separated paths, so the file system's glob
 * matcher gives the usual meaning: {@code *} stays within one path segment, {@code **} crosses segments. No include
 * filter means every repository; an exclude filter always wins.
 */
record RepositoryFilter(List<PathMatcher> include, List<PathMatcher> exclude) {

  static RepositoryFilter of(List<String> include, List<String> exclude) {
    return new RepositoryFilter(matchers(include), matchers(exclude));
  }

  boolean accepts(String repository) {
    Path path = Path.of(repository);
    boolean included = include.isEmpty() || include.stream().anyMatch(m -> m.matches(path));
    return included && exclude.stream().noneMatch(m -> m.matches(path));
  }

  private static List<PathMatcher> matchers(List<String> globs) {
    return globs.stream().map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
  }
}
