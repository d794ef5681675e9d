package io.portcullis.registry.internal.acr;

import io.portcullis.scanner.image.ManifestDocument;
import io.portcullis.scanner.image.RegistryException;

/**
 * Turns manifest bytes into a {@link ManifestDocument}: in production the scanner's {@code Manifests::parse}, the same
 * parser the OCI distribution client uses, so both kinds of registry read manifests alike. Tests may pass anything of
 * this shape.
 *
 * <p>The parser receives bytes whose digest has already been checked, and the {@code Content-Type} the registry served
 * them as (parameters included, possibly absent); it decides whether that is a manifest it reads. It may throw
 * {@link RegistryException} or any runtime exception for a document it cannot read; {@link AcrSource} reports a runtime
 * exception as MALFORMED.
 */
@FunctionalInterface
public interface ManifestParser {

  ManifestDocument parse(String servedType, byte[] bytes) throws RegistryException;
}
