package io.portcullis.scanner.image;

/**
 * A reference to content by digest, with its media type and size; {@code platform} is set on the entries of an index.
 */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform) {}
