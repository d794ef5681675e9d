package io.portcullis.scanner.image;

import io.portcullis.scanner.analysis.FileFindings;
import java.util.List;
import java.util.Map;
import java.util.Set;


/**
 * What one layer contributes: the findings of each analyzed file (by path, then by analyzer type), the paths it deletes
 * (whiteouts), the directories it makes opaque, what could not be read, and which analyzers chose at least one of its
 * files ({@code touchedBy}: a new version of an analyzer that touched nothing here would find nothing here either).
 */
public record LayerContents(
    Digest digest,
    Map<String, Map<String, FileFindings>> files,
    Set<String> whiteouts,
    Set<String> opaqueDirectories,
    long entries,
    List<String> problems,
    Set<String> touchedBy) {

  public LayerContents {
    touchedBy = Set.copyOf(touchedBy);
  }

  /** Contents whose readers are not known: every analyzer counts as having touched the layer. */
  public LayerContents(Digest digest, Map<String, Map<String, FileFindings>> files, Set<String> whiteouts,
      Set<String> opaqueDirectories, long entries, List<String> problems) {
    this(digest, files, whiteouts, opaqueDirectories, entries, problems, Set.of("*"));
  }

  /** Whether {@code analyzerType} chose any file of this layer (always true when that is not known). */
  public boolean touchedBy(String analyzerType) {
    return touchedBy.contains("*") || touchedBy.contains(analyzerType);
  }
}
