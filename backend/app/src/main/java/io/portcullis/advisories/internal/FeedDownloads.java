package io.portcullis.advisories.internal;

import io.portcullis.scanner.image.Untrusted;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Fetches the files of the advisory feeds, and only when they changed: a conditional GET with the ETag and
 * Last-Modified of the previous answer, or for a local mirror the size and time of the file. A download goes to a
 * private temporary file within a size limit and a time limit (each read waits at most the read timeout; the whole
 * download at most the download timeout), so a slow or endless answer cannot hold the importer or fill the disk.
 */
@Component
class FeedDownloads {

  /** What a server may send back as a validator: printable, bounded, so it can be stored and sent again. */
  private static final Pattern VALIDATOR = Pattern.compile("[\\x20-\\x7e]{1,200}");

  /** The validators of the previous answer, either of them null. */
  record Validators(String etag, String lastModified) {
    static final Validators NONE = new Validators(null, null);
  }

  /** The outcome of a fetch. */
  sealed interface Fetch permits NotModified, Fetched {}

  /** The file is as it was when the validators were taken. */
  record NotModified() implements Fetch {}

  /**
   * The file, changed or fetched for the first time; {@code temporary} files are deleted on close, a mirror's file is
   * read in place.
   */
  record Fetched(Path file, boolean temporary, Validators validators) implements Fetch, AutoCloseable {
    @Override
    public void close() throws IOException {
      if (temporary) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** A feed could not be fetched; the message says why and is safe to show. */
  static final class FeedException extends Exception {
    FeedException(String message) {
      super(message);
    }
  }

  private final RestClient http;
  private final Duration downloadTimeout;

  FeedDownloads(AdvisoryProperties properties) {
    SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
    requests.setConnectTimeout(properties.limits().connectTimeout());
    requests.setReadTimeout(properties.limits().readTimeout());
    this.http = RestClient.builder().requestFactory(requests).defaultHeader("User-Agent", "Portcullis").build();
    this.downloadTimeout = properties.limits().downloadTimeout();
  }

  /**
   * Fetches {@code url} ({@code https:}, {@code http:} or {@code file:}) unless it is unchanged since
   * {@code previous}.
   */
  Fetch fetch(URI url, Validators previous, long maxBytes) throws FeedException {
    if ("file".equals(url.getScheme())) {
      return local(AdvisoryProperties.localPath(url.toString()), previous, maxBytes);
    }
    long deadline = System.nanoTime() + downloadTimeout.toNanos();
    try {
      return http.get()
          .uri(url)
          .headers(
              headers -> {
                if (previous.etag() != null) {
                  headers.set(HttpHeaders.IF_NONE_MATCH, previous.etag());
                }
                if (previous.lastModified() != null) {
                  headers.set(HttpHeaders.IF_MODIFIED_SINCE, previous.lastModified());
                }
              })
          .exchange(
              (request, response) -> {
                HttpStatusCode status = response.getStatusCode();
                if (status.value() == 304) {
                  return new NotModified();
                }
                if (!status.is2xxSuccessful()) {
                  throw new DownloadFailure("the server answered " + status.value());
                }
                long declared = response.getHeaders().getContentLength();
                if (declared > maxBytes) {
                  throw new DownloadFailure("the file is " + declared + " bytes, more than the limit of " + maxBytes);
                }
                Path file = Files.createTempFile("portcullis-feed-", ".download");
                try (InputStream in = response.getBody(); OutputStream out = Files.newOutputStream(file)) {
                  copy(in, out, maxBytes, deadline);
                } catch (IOException | RuntimeException e) {
                  Files.deleteIfExists(file);
                  throw e;
                }
                return new Fetched(
                    file,
                    true,
                    new Validators(
                        validator(response.getHeaders().getETag()),
                        validator(response.getHeaders().getFirst(HttpHeaders.LAST_MODIFIED))));
              },
              true);
    } catch (RestClientException e) {
      Throwable cause = e.getMostSpecificCause();
      if (cause instanceof DownloadFailure failure) {
        throw new FeedException(failure.getMessage() + " (" + url + ")");
      }
      throw new FeedException(
          "could not download " + url + ": " + cause.getClass().getSimpleName() + " "
              + Untrusted.quote(cause.getMessage()));
    }
  }

  /** A mirror's file, unchanged when its size and modification time are what they were. */
  Fetch local(Path file, Validators previous, long maxBytes) throws FeedException {
    if (!Files.isRegularFile(file)) {
      throw new FeedException("no file " + file);
    }
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new FeedException(file + " is " + size + " bytes, more than the limit of " + maxBytes);
      }
      String stamp = "file:" + size + ":" + Files.getLastModifiedTime(file).toMillis();
      if (stamp.equals(previous.etag())) {
        return new NotModified();
      }
      return new Fetched(file, false, new Validators(stamp, null));
    } catch (IOException e) {
      throw new FeedException("could not read " + file + ": " + Untrusted.quote(e.getMessage()));
    }
  }

  private static void copy(InputStream in, OutputStream out, long maxBytes, long deadline) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
      if (total > maxBytes) {
        throw new DownloadFailure("the file is larger than the limit of " + maxBytes + " bytes");
      }
      if (System.nanoTime() > deadline) {
        throw new DownloadFailure("the download took longer than the limit");
      }
      out.write(buffer, 0, n);
    }
  }

  private static String validator(String value) {
    return value != null && VALIDATOR.matcher(value).matches() ? value : null;
  }

  /** Raised inside the exchange, unwrapped above: a reason, not a fault. */
  private static final class DownloadFailure extends IOException {
    DownloadFailure(String message) {
      super(message);
    }
  }
}
