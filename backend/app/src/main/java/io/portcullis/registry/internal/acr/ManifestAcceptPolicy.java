package io.portcullis.registry.internal.acr;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.portcullis.scanner.image.Manifests;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * Asks for manifests in exactly the four types Portcullis reads ({@link Manifests#MEDIA_TYPES}), as the OCI
 * distribution client does.
 *
 * <p>The SDK's manifest request accepts {@code *}{@code /*} as well, and a registry is free to answer that with
 * anything it stores (a schema 1 manifest, an artifact manifest). Naming only the types we parse lets the registry pick
 * the right representation; the parser refuses whatever else still comes back.
 */
final class ManifestAcceptPolicy implements HttpPipelinePolicy {

  static final String ACCEPT = String.join(", ", Manifests.MEDIA_TYPES);
  private static final Pattern MANIFEST_PATH = Pattern.compile("/v2/.+/manifests/[^/]+");

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    narrow(context.getHttpRequest());
    return next.process();
  }

  @Override
  public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    narrow(context.getHttpRequest());
    return next.processSync();
  }

  private static void narrow(HttpRequest request) {
    // The same policy also sits in the SDK's token pipeline; only manifest reads are touched.
    if (request.getHttpMethod() == HttpMethod.GET && MANIFEST_PATH.matcher(request.getUrl().getPath()).matches()) {
      request.setHeader(HttpHeaderName.ACCEPT, ACCEPT);
    }
  }
}
