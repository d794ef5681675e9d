package io.portcullis.registry.internal.acr;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Entra ID's token endpoint on loopback ({@code POST /{tenant}/oauth2/v2.0/token}, client credentials grant), handing
 * out {@link FakeAcr#ENTRA_TOKEN} so a credential can be followed all the way to the registry's exchange. It checks the
 * shape of the request, not the proof: tests inspect the recorded form for that.
 */
final class FakeEntra extends Dispatcher {

  /** A token request as received: the tenant from the path, and the form. */
  record TokenRequest(String tenant, Map<String, String> form) {}

  final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
  final List<String> otherPaths = new CopyOnWriteArrayList<>();
  volatile boolean refuseClients;

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    List<String> path = request.getUrl().pathSegments();
    if ("POST".equals(request.getMethod())
        && path.size() == 4
        && path.subList(1, 4).equals(List.of("oauth2", "v2.0", "token"))) {
      Map<String, String> form = form(request.getBody() == null ? "" : request.getBody().utf8());
      tokenRequests.add(new TokenRequest(path.get(0), form));
      if (refuseClients || !"client_credentials".equals(form.get("grant_type"))) {
        return json(
            401,
            "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\","
                + "\"error_codes\":[7000215]}");
      }
      return json(
          200,
          "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\""
              + FakeAcr.ENTRA_TOKEN + "\"}");
    }
    otherPaths.add(request.getMethod() + " " + request.getUrl().encodedPath());
    return json(404, "{\"error\":\"not_found\"}");
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }
}
