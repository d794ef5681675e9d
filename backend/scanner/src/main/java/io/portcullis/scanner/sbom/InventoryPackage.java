package io.portcullis.scanner.sbom;

/**
 * A package of an image: what it is ({@code purl}), and the evidence — the analyzer that found it, the file, and the
 * layer that brought that file.
 */
public record InventoryPackage(
    String type,
    String name,
    String version,
    String purl,
    String architecture,
    String sourceName,
    String sourceVersion,
    String license,
    String foundBy,
    String path,
    String layer,
    String checksum) {}
