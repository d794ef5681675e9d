package io.portcullis.scanner.matching;

import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventoryPackage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the matchers over an inventory. Each package goes to the one matcher of its kind; each of the releases that
 * matcher names is searched, most specific first, and an advisory matches a package once however many of its entries
 * agree.
 */
public final class Matching {

  private final List<Matcher> matchers;
  /** What each query matched, when this instance remembers it; null when it does not. */
  private final Map<String, Evaluated> memo;

  public Matching(List<Matcher> matchers) {
    this(matchers, null);
  }

  private Matching(List<Matcher> matchers, Map<String, Evaluated> memo) {
    this.matchers = List.copyOf(matchers);
    this.memo = memo;
  }

  /**
   * The same matchers, remembering what each (ecosystem, name, version) matched: for a run over many inventories
   * against advisories that do not change meanwhile, where most packages recur from image to image.
   */
  public Matching remembering() {
    return new Matching(matchers, new ConcurrentHashMap<>());
  }

  private record Evaluated(List<Match> matches, List<String> problems) {}

  public static Matching defaults() {
    List<Matcher> all = new ArrayList<>(List.of(new DpkgMatcher(), new ApkMatcher(), new RpmMatcher()));
    all.addAll(LanguageMatcher.all());
    return new Matching(all);
  }

  /**
   * What matching an inventory found, the advisory entries it could not evaluate, and the OS packages it did not match
   * because they come from outside the distribution ({@code name version: reason}).
   */
  public record Result(List<Match> matches, List<String> problems, List<String> foreign) {}

  public Result match(Inventory inventory, AdvisorySource advisories) {
    List<Match> matches = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<String> foreign = new ArrayList<>();
    for (InventoryPackage pkg : inventory.packages()) {
      Optional<String> outsider = matchers.stream().map(m -> m.foreign(pkg, inventory.os())).flatMap(Optional::stream).findFirst();
      if (outsider.isPresent()) {
        foreign.add(pkg.name() + " " + pkg.version() + ": " + outsider.get());
        continue;
      }
      query(pkg, inventory.os()).ifPresent(q -> {
        if (memo == null) {
          matches.addAll(match(q, advisories, problems));
          return;
        }
        String key = String.join("\u0000", q.matcher(), String.join(",", q.ecosystems()), q.name(), q.version());
        Evaluated evaluated = memo.computeIfAbsent(key, k -> {
          List<String> found = new ArrayList<>();
          return new Evaluated(match(q, advisories, found), found);
        });
        for (Match m : evaluated.matches()) {
          matches.add(new Match(m.advisoryId(), m.aliases(), pkg, m.evidence()));
        }
        problems.addAll(evaluated.problems());
      });
    }
    return new Result(matches, problems, foreign);
  }

  /** The query the matcher of this package's kind makes, if one handles it. */
  public Optional<PackageQuery> query(InventoryPackage pkg, OsRelease os) {
    for (Matcher matcher : matchers) {
      Optional<PackageQuery> query = matcher.query(pkg, os);
      if (query.isPresent()) {
        return query;
      }
    }
    return Optional.empty();
  }

  /** The advisories that affect one query's package. */
  public static List<Match> match(PackageQuery query, AdvisorySource advisories, List<String> problems) {
    List<Match> matches = new ArrayList<>();
    if (!query.scheme().isValid(query.version())) {
      problems.add(query.ecosystem() + "/" + query.name() + ": the installed version " + query.version()
          + " is not a " + query.scheme().name() + " version; not matched");
      return matches;
    }
    Set<String> seen = new HashSet<>();
    for (String ecosystem : query.ecosystems()) {
      for (AdvisorySource.Candidate candidate : advisories.affecting(ecosystem, AdvisoryNames.key(ecosystem, query.name()))) {
        if (seen.contains(candidate.advisoryId())) {
          continue;
        }
        AffectedVersions.Evaluation evaluation = AffectedVersions.evaluate(candidate.affected(), query.version(), query.scheme());
        evaluation.problems().forEach(p -> problems.add(candidate.advisoryId() + " " + ecosystem + "/" + query.name() + ": " + p));
        evaluation.hit().ifPresent(hit -> {
          seen.add(candidate.advisoryId());
          matches.add(new Match(candidate.advisoryId(), candidate.aliases(), query.pkg(), new Match.Evidence(
              query.matcher(), ecosystem, query.name(), query.version(), query.scheme().name(), hit.range(), hit.fixed())));
        });
      }
    }
    return matches;
  }
}
