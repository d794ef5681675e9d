package io.portcullis.scanner.analysis;

import java.io.InputStream;

/**
 * A regular file of a layer, as an analyzer sees it: its normalised path, its size as the tar header states it, and its
 * content, already limited to that size and to the reader's limit for one file.
 */
public record LayerFile(String path, long size, InputStream content) {}
