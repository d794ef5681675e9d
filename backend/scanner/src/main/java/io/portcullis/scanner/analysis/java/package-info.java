/**
 * Java archives in images: {@link io.portcullis.scanner.analysis.java.JavaArchiveReader} streams a jar, war or ear and
 * the archives nested in it, and names each package by its {@code pom.properties}, else its manifest, else its file
 * name; {@link io.portcullis.scanner.analysis.java.JavaArchiveAnalyzer} reports them as Maven packages with the SHA-1
 * of the archive that is each one. Every number read from an archive is bounded by {@link
 * io.portcullis.scanner.analysis.java.JavaArchiveLimits}, and what breaks a limit is a problem of the file, not a
 * failure of the layer.
 */
package io.portcullis.scanner.analysis.java;
