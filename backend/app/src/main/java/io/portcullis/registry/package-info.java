/**
 * Registries: the connections a tenant makes to its Azure Container Registries and other OCI registries, and discovery
 * of everything in them (repositories, images by digest, tags and their moves), on demand, on a schedule and on push
 * events. Credentials are sealed at rest and never leave this module in clear.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Registries")
package io.portcullis.registry;
