/**
 * Reading registries that speak the OCI distribution API: {@link io.portcullis.scanner.image.registry.OciRegistry},
 * configured with {@link io.portcullis.scanner.image.registry.OciRegistry.Settings} and
 * {@link io.portcullis.scanner.image.registry.Credentials}. Everything else here is the machinery behind it (HTTP
 * exchanges within limits, the token flow, pagination headers) and stays package-private.
 */
package io.portcullis.scanner.image.registry;
