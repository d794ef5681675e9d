package io.portcullis.registry.internal.acr;

import com.azure.containers.containerregistry.ContainerRegistryAsyncClient;
import com.azure.containers.containerregistry.ContainerRegistryContentAsyncClient;
import com.azure.containers.containerregistry.ContainerRegistryContentClient;
import com.azure.containers.containerregistry.models.ArtifactManifestOrder;
import com.azure.containers.containerregistry.models.ArtifactManifestProperties;
import com.azure.containers.containerregistry.models.GetManifestResult;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.ManifestDocument;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryException.Kind;
import io.portcullis.scanner.image.RegistrySource;
import io.portcullis.scanner.image.Untrusted;
import io.portcullis.scanner.image.registry.Names;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;

/**
 * One Azure Container Registry, read through the Azure SDK: the catalog and tags from ACR's own {@code /acr/v1} API,
 * manifests and blobs from the distribution API. Opened by {@link AcrSources#open}.
 *
 * <p>Listings are paged lazily (one page fetched ahead) and stop with TOO_LARGE at the first name past a limit, so a
 * registry with a million tags costs a page or two too many, not a million names. Every name the registry returns is
 * checked against the distribution grammar ({@link Names}, the one the OCI client uses) before anyone sees it, since it
 * will end up in URLs and file names, and every manifest against its digest.
 *
 * <p>Safe for use by several threads.
 */
public final class AcrSource implements RegistrySource {

  /** Repositories whose clients (and so whose ACR tokens) are kept; a scan works through one repository at a time. */
  private static final int CLIENTS_KEPT = 16;

  private final String host;
  private final ContainerRegistryAsyncClient registry;
  private final Function<String, RepositoryClients> connect;
  private final AcrLimits limits;
  private final ManifestParser parser;
  private final Map<String, RepositoryClients> clients =
      new LinkedHashMap<>(CLIENTS_KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RepositoryClients> eldest) {
          return size() > CLIENTS_KEPT;
        }
      };

  AcrSource(
      String host,
      ContainerRegistryAsyncClient registry,
      Function<String, RepositoryClients> connect,
      AcrLimits limits,
      ManifestParser parser) {
    this.host = host;
    this.registry = registry;
    this.connect = connect;
    this.limits = limits;
    this.parser = parser;
  }

  /**
   * The content clients of one repository. The SDK binds them to a repository; the synchronous one reads manifests, the
   * asynchronous one streams blobs (the synchronous download can only write the whole blob into a channel).
   */
  record RepositoryClients(ContainerRegistryContentClient manifests, ContainerRegistryContentAsyncClient blobs) {}

  /**
   * The catalog comes from the SDK's asynchronous client: the synchronous {@code listRepositoryNames} of this SDK
   * version follows a next link in the response body that ACR does not send, and so stops after the first page
   * (Azure/azure-sdk-for-java#39815); the asynchronous one follows the {@code Link} header.
   */
  @Override
  public void repositories(Consumer<String> each) throws RegistryException {
    String doing = "listing the repositories of " + host;
    NameGate gate = new NameGate(doing, "repositories", limits.maxRepositories(), Names::isRepository, each);
    eachPage(doing, () -> registry.listRepositoryNames().byPage(), names -> names.forEach(gate::pass));
  }

  /**
   * Tags come from ACR's manifest listing ({@code GET /acr/v1/{repository}/_manifests}), where each manifest carries
   * its tags: one paged walk of the repository. The SDK's tag listing is bound to one artifact and would need a request
   * per manifest. Untagged manifests contribute nothing.
   */
  @Override
  public void tags(String repository, Consumer<String> each) throws RegistryException {
    requireRepository(repository);
    String doing = "listing the tags of " + repository + " in " + host;
    NameGate gate = new NameGate(doing, "tags", limits.maxTags(), Names::isTag, each);
    eachPage(
        doing,
        () -> registry.getRepository(repository).listManifestProperties(ArtifactManifestOrder.NONE).byPage(),
        manifests -> {
          for (ArtifactManifestProperties manifest : manifests) {
            if (manifest.getTags() != null) {
              manifest.getTags().forEach(gate::pass);
            }
          }
        });
  }

  /**
   * Lets names from a listing through to the caller while they are valid and within the limit. Its refusals are
   * unchecked so it fits {@code forEach}; {@link #eachPage} turns them back into the RegistryException they carry.
   */
  private static final class NameGate {
    private final String doing;
    private final String plural;
    private final int limit;
    private final Predicate<String> valid;
    private final Consumer<String> each;
    private int passed;

    NameGate(String doing, String plural, int limit, Predicate<String> valid, Consumer<String> each) {
      this.doing = doing;
      this.plural = plural;
      this.limit = limit;
      this.valid = valid;
      this.each = each;
    }

    void pass(String name) {
      if (++passed > limit) {
        throw new Refused(tooLarge(doing, "more than " + limit + " " + plural));
      }
      if (name == null || !valid.test(name)) {
        throw new Refused(malformed(doing, "the registry listed an invalid name among its " + plural + ": "
            + Untrusted.quote(name)));
      }
      each.accept(name);
    }
  }

  /** Carries a RegistryException out of a lambda that may not throw it. */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(RegistryException reason) {
      super(reason.getMessage(), reason, false, false);
    }

    RegistryException reason() {
      return (RegistryException) getCause();
    }
  }

  @Override
  public FetchedManifest manifest(String repository, String reference) throws RegistryException {
    requireRepository(repository);
    Digest wanted = digestOrTag(reference);
    String doing =
        "reading the manifest " + repository + (wanted == null ? ":" : "@") + reference + " from " + host;

    // The SDK checks the digest itself and refuses a manifest without a Content-Length or over 4 MiB; the checks below
    // repeat the digest ones so they hold for sha512 too, whatever a later SDK version does.
    Response<GetManifestResult> response =
        azure(doing, () -> clients(repository).manifests().getManifestWithResponse(reference, Context.NONE));
    BinaryData body = response.getValue().getManifest();
    byte[] bytes = body == null ? new byte[0] : body.toBytes();
    if (bytes.length > limits.maxManifestBytes()) {
      throw tooLarge(doing, "the manifest has " + bytes.length + " bytes, more than " + limits.maxManifestBytes());
    }
    Digest stated;
    try {
      stated = Digest.parse(response.getValue().getDigest());
    } catch (IllegalArgumentException e) {
      throw malformed(doing, "the registry stated no valid Docker-Content-Digest");
    }
    if (!DigestAlgorithm.of(stated).digest(bytes).equals(stated)) {
      throw malformed(doing, "the manifest's bytes do not match the digest the registry stated");
    }
    if (wanted != null && !wanted.equals(stated)) {
      throw malformed(doing, "the registry answered with another manifest (" + stated + ")");
    }
    // As the OCI client does: the parser judges the served type, and the document's own type is what is reported.
    String servedType = response.getHeaders().getValue(HttpHeaderName.CONTENT_TYPE);
    ManifestDocument document = parse(doing, servedType, bytes);
    return new FetchedManifest(stated, document.mediaType(), bytes, document);
  }

  @Override
  public InputStream blob(String repository, Digest digest, long maxBytes) throws RegistryException {
    requireRepository(repository);
    Objects.requireNonNull(digest, "digest");
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    String doing = "downloading the blob " + digest + " of " + repository + " from " + host;
    // No request is made until the stream subscribes: the Mono only wraps the download that is to come.
    Flux<ByteBuffer> content =
        azure(doing, () -> clients(repository).blobs().downloadStream(digest.toString()).block().toFluxByteBuffer());
    return BlobStream.open(content, digest, maxBytes, doing);
  }

  @Override
  public String toString() {
    return "AcrSource[" + host + "]";
  }

  private ManifestDocument parse(String doing, String servedType, byte[] bytes) throws RegistryException {
    try {
      return parser.parse(servedType, bytes);
    } catch (RegistryException e) {
      throw new RegistryException(e.kind(), doing + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new RegistryException(
          Kind.MALFORMED, doing + " failed: the manifest cannot be read (" + e.getMessage() + ")", e);
    }
  }

  private synchronized RepositoryClients clients(String repository) {
    return clients.computeIfAbsent(repository, connect);
  }

  /**
   * Walks a listing page by page, with one page fetched ahead of the one being handled, and cancels the listing when it
   * stops early. At most {@link AcrLimits#maxPages()} pages are taken.
   */
  private <T> void eachPage(String doing, Supplier<Flux<PagedResponse<T>>> listing, Consumer<List<T>> each)
      throws RegistryException {
    try (Stream<PagedResponse<T>> pages = azure(doing, () -> listing.get().toStream(1))) {
      Iterator<PagedResponse<T>> next = pages.iterator();
      int count = 0;
      while (azure(doing, next::hasNext)) {
        List<T> entries = azure(doing, next::next).getValue();
        if (++count > limits.maxPages()) {
          throw tooLarge(doing, "more than " + limits.maxPages() + " pages");
        }
        each.accept(entries == null ? List.of() : entries);
      }
    } catch (Refused refused) {
      throw refused.reason();
    }
  }

  /** Runs one call into the SDK, whose failures are all unchecked, and says what they mean. */
  private static <T> T azure(String doing, Supplier<T> call) throws RegistryException {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw AcrFailure.of(doing, e);
    }
  }

  /** The digest {@code reference} names, or null when it is a tag; anything else cannot exist and is NOT_FOUND. */
  private static Digest digestOrTag(String reference) throws RegistryException {
    if (reference != null && reference.indexOf(':') > 0) {
      try {
        return Digest.parse(reference);
      } catch (IllegalArgumentException e) {
        throw new RegistryException(Kind.NOT_FOUND, "not a valid digest: " + Untrusted.quote(reference));
      }
    }
    if (!Names.isTag(reference)) {
      throw new RegistryException(Kind.NOT_FOUND, "not a valid tag: " + Untrusted.quote(reference));
    }
    return null;
  }

  /** As in the OCI client: a name outside the grammar cannot exist, so asking for it is NOT_FOUND. */
  private static void requireRepository(String repository) throws RegistryException {
    if (!Names.isRepository(repository)) {
      throw new RegistryException(Kind.NOT_FOUND, "not a valid repository name: " + Untrusted.quote(repository));
    }
  }

  private static RegistryException tooLarge(String doing, String what) {
    return new RegistryException(Kind.TOO_LARGE, doing + " stopped: " + what);
  }

  private static RegistryException malformed(String doing, String what) {
    return new RegistryException(Kind.MALFORMED, doing + " failed: " + what);
  }
}
