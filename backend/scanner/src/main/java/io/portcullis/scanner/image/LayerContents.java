package io.portcullis.scanner.image;

import io.portcullis.scanner.analysis.FileFindings;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one layer contributes: the findings of each analyzed file (by path, then by analyzer type), the paths it deletes
 * (whiteouts), the directories it makes opaque, and what could not be read.
 */
public record LayerContents(
    Digest digest,
    Map<String, Map<String, FileFindings>> files,
    Set<String> whiteouts,
    Set<String> opaqueDirectories,
    long entries,
    List<String> problems) {}
