package io.portcullis.scanner.analysis;

import io.portcullis.scanner.analysis.lang.LanguageAnalyzers;
import io.portcullis.scanner.analysis.os.OsAnalyzers;
import io.portcullis.scanner.analysis.secret.SecretAnalyzer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The analyzers a scan runs: an explicit list, no classpath scanning. Two analyzers of one type fail at once. */
public final class Analyzers {

  private Analyzers() {}

  public static List<Analyzer> defaults() {
    List<Analyzer> all = new ArrayList<>(OsAnalyzers.all());
    all.addAll(LanguageAnalyzers.all());
    all.add(new SecretAnalyzer());
    return checked(all);
  }

  static List<Analyzer> checked(List<Analyzer> analyzers) {
    Set<String> types = new HashSet<>();
    for (Analyzer analyzer : analyzers) {
      if (!types.add(analyzer.type())) {
        throw new IllegalStateException("two analyzers have the type " + analyzer.type());
      }
    }
    return List.copyOf(analyzers);
  }
}
