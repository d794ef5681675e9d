package io.portcullis.scanner.matching;

import io.portcullis.scanner.advisory.OsvRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Advisories held in memory, indexed by (ecosystem, package name key): for the command line and for tests. */
public final class AdvisoryIndex implements AdvisorySource {

  private final Map<String, List<Candidate>> byPackage = new HashMap<>();

  public static AdvisoryIndex of(Iterable<OsvRecord> records) {
    AdvisoryIndex index = new AdvisoryIndex();
    records.forEach(index::add);
    return index;
  }

  /** Adds a record's affected entries; a withdrawn record adds nothing. */
  public void add(OsvRecord record) {
    if (record.isWithdrawn()) {
      return;
    }
    for (OsvRecord.Affected affected : record.affected()) {
      if (affected.pkg() == null) {
        continue;
      }
      String ecosystem = affected.pkg().ecosystem();
      byPackage.computeIfAbsent(ecosystem + "\u0000" + AdvisoryNames.key(ecosystem, affected.pkg().name()), k -> new ArrayList<>())
          .add(new Candidate(record.id(), record.aliases(), affected));
    }
  }

  @Override
  public List<Candidate> affecting(String ecosystem, String nameKey) {
    return byPackage.getOrDefault(ecosystem + "\u0000" + nameKey, List.of());
  }
}
