package io.portcullis.registry.internal.acr;

/**
 * How much of a registry Portcullis accepts before it stops with TOO_LARGE. A registry is outside our control: these
 * bound the memory, time and requests that one registry can make a scan spend, including one that pages forever.
 *
 * @param maxRepositories repository names in a catalog
 * @param maxTags tags in one repository
 * @param maxPages pages of any one listing (a registry can serve empty pages with a next link)
 * @param maxManifestBytes size of one manifest; the SDK itself refuses more than 4 MiB
 */
public record AcrLimits(int maxRepositories, int maxTags, int maxPages, int maxManifestBytes) {

  public AcrLimits {
    if (maxRepositories < 1 || maxTags < 1 || maxPages < 1 || maxManifestBytes < 1) {
      throw new IllegalArgumentException(
          "every limit must be at least 1: repositories %d, tags %d, pages %d, manifest bytes %d"
              .formatted(maxRepositories, maxTags, maxPages, maxManifestBytes));
    }
  }

  /** 10,000 repositories, 10,000 tags per repository, 1,000 pages per listing, 4 MiB per manifest. */
  public static AcrLimits defaults() {
    return new AcrLimits(10_000, 10_000, 1_000, 4 * 1024 * 1024);
  }
}
