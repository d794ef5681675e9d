/**
 * Reading an Azure Container Registry through the Azure SDK, signed in with a Microsoft Entra identity.
 *
 * <p>The registry never sees the Entra token on its data calls: the SDK trades it once at {@code /oauth2/exchange} for
 * an ACR refresh token, then at {@code /oauth2/token} for short-lived access tokens scoped to one repository and
 * action. {@link io.portcullis.registry.internal.acr.AcrCredentials} makes the Entra side for the three identity modes,
 * {@link io.portcullis.registry.internal.acr.AcrSources} opens a registry with one of them.
 *
 * <p>The fourth way into an ACR, a repository-scoped ACR token (user name and password bound to a scope map), is not
 * here: ACR accepts it with the standard Docker token flow, so it goes through the OCI distribution client like any
 * other registry with basic credentials.
 */
package io.portcullis.registry.internal.acr;
