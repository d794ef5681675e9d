package io.portcullis.scanner.image;

import java.io.InputStream;
import java.util.function.Consumer;

/**
 * One registry that Portcullis can read, whatever speaks to it underneath (the OCI distribution API with its token flow,
 * or the Azure SDK for an Azure Container Registry). Everything it returns came from outside and is parsed within limits;
 * every failure is a {@link RegistryException} whose message can be shown to a person as it is.
 */
public interface RegistrySource {

  /**
   * Calls {@code each} with every repository name of the catalog, page after page. Stops with a {@link RegistryException}
   * when the registry exceeds the configured limits (names, pages) rather than paging forever.
   */
  void repositories(Consumer<String> each) throws RegistryException;

  /** Calls {@code each} with every tag of {@code repository}, within the same limits. */
  void tags(String repository, Consumer<String> each) throws RegistryException;

  /**
   * The manifest that {@code reference} (a tag or a digest) names, with the digest the registry stated (or that was
   * computed from the bytes). When {@code reference} is a digest the bytes are verified against it.
   */
  FetchedManifest manifest(String repository, String reference) throws RegistryException;

  /**
   * A blob, as a stream of at most {@code maxBytes}, verified against {@code digest} when fully read. The caller closes
   * it.
   */
  InputStream blob(String repository, Digest digest, long maxBytes) throws RegistryException;

  /** A manifest and what the registry said about it. */
  record FetchedManifest(Digest digest, String mediaType, byte[] bytes, ManifestDocument document) {}
}
