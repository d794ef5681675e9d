package io.portcullis.advisories.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where advisories come from and how often they are refreshed.
 *
 * @param source the OSV export: an {@code https://} base URL under which {@code <ecosystem>/all.zip} lies (the public
 *     export by default), or a directory (a path or a {@code file:} URL) laid out the same way, for installations
 *     without internet access
 * @param ecosystems the OSV ecosystems to import, by their names in the export ({@code Debian}, {@code Debian:12},
 *     {@code Rocky Linux}, {@code crates.io})
 * @param schedule when OSV ecosystems are refreshed
 * @param epss FIRST's daily EPSS scores
 * @param kev CISA's Known Exploited Vulnerabilities catalogue
 * @param limits bounds on what a feed may make Portcullis download, read and keep
 */
@ConfigurationProperties("portcullis.advisories")
public record AdvisoryProperties(
    @DefaultValue("https://osv-vulnerabilities.storage.googleapis.com") String source,
    @DefaultValue({
          "Debian", "Ubuntu", "Alpine", "AlmaLinux", "Rocky Linux", "Red Hat", "SUSE", "openSUSE", "Azure Linux",
          "Maven", "npm", "PyPI", "Go", "NuGet", "RubyGems", "crates.io", "Packagist"
        })
        List<String> ecosystems,
    @DefaultValue Schedule schedule,
    @DefaultValue Epss epss,
    @DefaultValue Kev kev,
    @DefaultValue Limits limits) {

  /** An ecosystem becomes one path segment of a URL or a directory name: no separators, no dot-dot, no controls. */
  private static final Pattern ECOSYSTEM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 .:_+-]{0,99}");

  public AdvisoryProperties {
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("portcullis.advisories.source must name a URL or a directory");
    }
    ecosystems = List.copyOf(ecosystems);
    for (String ecosystem : ecosystems) {
      if (!ECOSYSTEM.matcher(ecosystem).matches() || ecosystem.contains("..")) {
        throw new IllegalArgumentException(
            "portcullis.advisories.ecosystems: '" + ecosystem + "' is not an OSV ecosystem name");
      }
    }
    if (ecosystems.stream().distinct().count() != ecosystems.size()) {
      throw new IllegalArgumentException("portcullis.advisories.ecosystems lists an ecosystem twice");
    }
    if (remote(source)) {
      URI.create(source);
    }
    checkUrl("portcullis.advisories.epss.url", epss.url());
    checkUrl("portcullis.advisories.kev.url", kev.url());
  }

  /** Whether the OSV source is a web server (otherwise a directory). */
  public boolean remoteSource() {
    return remote(source);
  }

  /** The OSV base URL, without a trailing slash. */
  public URI sourceUrl() {
    return URI.create(source.endsWith("/") ? source.substring(0, source.length() - 1) : source);
  }

  /** The OSV mirror directory. */
  public Path sourceDirectory() {
    return localPath(source);
  }

  /**
   * The file a {@code file:} URL or a plain path names: {@code file:///srv/osv}, {@code file:mirror/osv} (relative to
   * the working directory) or {@code /srv/osv}.
   */
  static Path localPath(String location) {
    if (location.startsWith("file://")) {
      return Path.of(URI.create(location));
    }
    return Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
  }

  private static boolean remote(String location) {
    return location.startsWith("https://") || location.startsWith("http://");
  }

  private static void checkUrl(String property, String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(property + " must be set");
    }
    if (!remote(url) && !url.startsWith("file:")) {
      throw new IllegalArgumentException(property + " must be an https://, http:// or file: URL");
    }
    URI.create(url);
  }

  /**
   * @param enabled whether feeds are refreshed on their own; off, imports run only when an administrator asks
   * @param interval how often each OSV ecosystem is checked; a check costs one conditional request when nothing changed
   * @param initialDelay how long after the start the first check waits
   */
  public record Schedule(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("6h") Duration interval,
      @DefaultValue("2m") Duration initialDelay) {}

  /**
   * @param enabled whether EPSS scores are imported
   * @param url the gzip-compressed CSV ({@code cve,epss,percentile} after a {@code #model_version} line)
   * @param interval how often it is checked
   * @param maxSize the file as downloaded; inflated, it may reach {@code limits.max-feed-file-size}
   * @param maxRows scores in one file
   */
  public record Epss(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("https://epss.empiricalsecurity.com/epss_scores-current.csv.gz") String url,
      @DefaultValue("24h") Duration interval,
      @DefaultValue("64MB") DataSize maxSize,
      @DefaultValue("2000000") int maxRows) {}

  /**
   * @param enabled whether the KEV catalogue is imported
   * @param url the catalogue as JSON
   * @param interval how often it is checked
   * @param maxSize the catalogue's JSON text
   * @param maxEntries vulnerabilities in the catalogue
   */
  public record Kev(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json") String url,
      @DefaultValue("24h") Duration interval,
      @DefaultValue("32MB") DataSize maxSize,
      @DefaultValue("200000") int maxEntries) {}

  /**
   * @param maxDownloadSize one downloaded {@code all.zip}
   * @param maxFeedFileSize the EPSS file inflated
   * @param maxEntries entries in one {@code all.zip}
   * @param maxRecordSize one OSV record; a larger one is rejected and the import goes on
   * @param maxTotalSize all records of one {@code all.zip} inflated; beyond it the import stops (what it stored stays)
   * @param connectTimeout to open a connection
   * @param readTimeout to wait for the next bytes of an answer
   * @param downloadTimeout for a whole download
   * @param maxReasons reasons for rejected records kept per run (all rejected records are counted)
   * @param batchSize records written per transaction
   */
  public record Limits(
      @DefaultValue("2GB") DataSize maxDownloadSize,
      @DefaultValue("256MB") DataSize maxFeedFileSize,
      @DefaultValue("2000000") int maxEntries,
      @DefaultValue("4MB") DataSize maxRecordSize,
      @DefaultValue("16GB") DataSize maxTotalSize,
      @DefaultValue("10s") Duration connectTimeout,
      @DefaultValue("60s") Duration readTimeout,
      @DefaultValue("30m") Duration downloadTimeout,
      @DefaultValue("50") int maxReasons,
      @DefaultValue("500") int batchSize) {

    public Limits {
      if (maxRecordSize.toBytes() > Integer.MAX_VALUE / 2 || maxRecordSize.toBytes() <= 0) {
        throw new IllegalArgumentException("portcullis.advisories.limits.max-record-size must be below 1 GB");
      }
      if (maxEntries <= 0 || maxReasons < 0 || batchSize <= 0 || batchSize > 10_000) {
        throw new IllegalArgumentException(
            "portcullis.advisories.limits: counts must be positive (batch-size at most 10000)");
      }
    }
  }
}
