/**
 * The REST API's shell: API tokens (made and revoked by Admins, hashed at rest, scoped, expiring), authentication of
 * {@code /api/v1/**} by a Portcullis token or an Entra access token, problem details for every error, cursor paging,
 * request size and rate limits, and the OpenAPI document. The endpoints themselves belong to the features whose data
 * they serve; they mark themselves with {@link io.portcullis.api.ApiController}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "API")
package io.portcullis.api;
