package io.portcullis.scanner.sbom;

/**
 * A secret in an image, redacted, with where it lives. A file's secret is reported in every layer that holds a copy
 * of the file, even when a later layer deleted or replaced it: the layer's bytes, and the secret in them, stay in the
 * image for anyone who pulls it. {@code deletedInLaterLayer} tells such a copy from the one a container sees.
 *
 * @param rule the rule's stable id ({@code private-key}, {@code azure-storage-account-key}, …)
 * @param severity {@code critical}, {@code high} or {@code medium}
 * @param path the file, relative to the image root; {@code config:env:NAME}, {@code config:label:NAME},
 *     {@code config:entrypoint}, {@code config:cmd}, {@code config:healthcheck} or {@code config:history:N} for the
 *     image config
 * @param line the line in the file, from 1; null for the config
 * @param layer the digest of the layer the file is in; null for the config
 * @param deletedInLaterLayer whether a later layer deleted the file (a whiteout, an opaque directory) or wrote another
 *     copy over it, so that a running container no longer sees this one
 * @param excerpt the line with each secret cut to its first four characters and {@code *****}; a private key shows its
 *     {@code BEGIN} line only
 */
public record InventorySecret(
    String rule,
    String title,
    String severity,
    String path,
    Integer line,
    String layer,
    boolean deletedInLaterLayer,
    String excerpt) {}
