package io.portcullis.scanner.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class NuGetVersionTests {

  private static final String INLINE = "nuget_versioning_inlinedata.jsonl";

  /**
   * NuGet.Versioning test methods about what a version scheme does not do: formatting, floating ranges (they pick a
   * version to install), range algebra and best-match selection, custom comparers that count metadata, and C# type
   * checks. Read and counted as not applicable, by name, so that a new method shows.
   */
  private static final Set<String> NOT_VERSION_ORDER = Set.of(
      "DictionaryWithGitCommit", "MixedVersionCompare", "MixedVersionCompareNotEqual",
      "NuGetVersionRangeWithGitCommit", "NuGetVersionRangeWithGitCommitNotInRange",
      "FloatRange_ParseBasic", "FloatRange_ParsesCorrectMinVersion", "FloatingRange_FloatAbsoluteLatest",
      "FloatingRange_Parse_Invalid", "FloatingRange_Parse_Valid", "FloatingRange_TryParse_Invalid",
      "FloatingRange_TryParse_Valid", "EqualsReturnsFalseIfComparingANonSemVerType",
      "NuGetVersionKeepsOriginalVersionString", "ToStringConstructedFromVersionAndSpecialVersionConstructor",
      "ToStringFromStringFormat", "ToStringReturnsNormalizedForSemVer2", "ToStringReturnsOriginalValueForNonSemVer2",
      "CannotConvertFromTypesOtherThanString", "CannotConvertToTypesOtherThanString",
      "ConvertFromConvertsValidSemVerStrings", "ConvertFromThrowsForInvalidSemVerStrings",
      "ConvertToConvertsSemVerToString", "FindBestMatch_FeedWithPrereleaseVersions_PrereleaseUsedOnlyIfRangeAllows",
      "FormatComplexTest", "FormatMetadataTest", "FormatReleaseTest", "FormatVersionTest", "FullStringFormatTest",
      "NormalizedFormatTest", "ReleaseLabelParsing", "VersionRangeFloatParsing_CorrectFloatRange",
      "VersionRangeFloatParsing_FindsBestMatch", "VersionRangeFloatParsing_Invalid",
      "VersionRangeFloatParsing_LegacyEquivalent", "VersionRangeFloatParsing_NoFloat",
      "VersionRangeFloatParsing_PrereleaseWithNumericOnlyLabelVerifyMinVersion",
      "VersionRangeFloatParsing_PrereleaseWithNumericOnlyLabelVerifySatisfies", "VersionRangeFloatParsing_Valid",
      "VersionRangeFloatParsing_VerifyReleaseLabels", "VersionRangeFloatParsing_VerifySatisfiesForFloatingRange",
      "VersionRangeSet_CombineTwoRanges", "VersionRangeSet_CommonSubSet", "VersionRangeSet_SubSetTest",
      "VersionRangeSet_SubSetTestNeg", "ParseVersionRangeParts", "ParseVersionRangeToString",
      "ParseVersionRangeToStringReParse", "ParseVersionRangeToStringShortHand", "ParsedVersionRangeHasOriginalString",
      "StringFormatNullProvider", "StringFormatNullProvider2", "VersionRange_Equals", "VersionRange_IncludePrerelease",
      "VersionRange_IsBetter_Prerelease", "VersionRange_MissingVersionComponents_DefaultToZero",
      "VersionRange_NormalizationRoundTripsTest", "VersionRange_PrettyPrintTests",
      "VersionRange_VerifyNonSnapshotVersion");

  /**
   * One upstream row contradicts the others: VersionComparisonDefaultNotEqual's case ("1.0.0-BETA+AA",
   * "1.0.0-beta") calls {@code object.Equals} on the two strings, not a version comparer, so it holds because the
   * strings differ. As versions they are equal under NuGet's default comparer, which ignores case in labels and all
   * metadata: VersionComparisonDefaultEqual's own rows ("1.0.0-BETA+AA" = "1.0.0-beta+aa", "1.0.0" = "1.0.0+beta")
   * say so. The row appears in both files.
   */
  static final Map<String, String> EXCEPTIONS = Map.of(
      "nuget_compare.tsv: 1.0.0-BETA+AA != 1.0.0-beta", "upstream compares the strings, not the versions",
      INLINE + ": VersionComparisonDefaultNotEqual [1.0.0-BETA+AA, 1.0.0-beta]",
      "upstream compares the strings, not the versions");

  private final NuGetVersion nuget = NuGetVersion.SCHEME;

  @Test
  void passesEveryUpstreamVector() {
    Path folder = Vectors.folder("nuget");
    VectorTally tally = new VectorTally("nuget");
    for (String[] row : Vectors.tsv(folder.resolve("nuget_compare.tsv"))) {
      tally.check("nuget_compare.tsv", row[0] + " " + row[1] + " " + row[2], () -> relation(row[0], row[1], row[2]));
    }
    for (String[] row : Vectors.tsv(folder.resolve("nuget_range_satisfies.tsv"))) {
      tally.check("nuget_range_satisfies.tsv", row[1] + " in " + row[0],
          () -> nuget.satisfies(row[0], row[1]) == Boolean.parseBoolean(row[2]));
    }
    int notApplicable = 0;
    for (JsonNode row : Vectors.jsonl(folder.resolve(INLINE))) {
      String test = row.get("test").asString();
      if (NOT_VERSION_ORDER.contains(test)) {
        notApplicable++;
        continue;
      }
      List<String> args = new ArrayList<>();
      row.get("args").forEach(arg -> args.add(arg.isNull() ? null : arg.asString()));
      tally.check(INLINE, test + " " + args, () -> inline(test, row.get("args"), args));
    }
    tally.note(INLINE, notApplicable + " rows of formatting, floating ranges and .NET API not applicable");
    tally.verify(folder, Set.of("README.md", "COUNTS.tsv"), EXCEPTIONS);
  }

  private boolean relation(String a, String op, String b) {
    int order = Integer.signum(nuget.compare(a, b));
    int reverse = Integer.signum(nuget.compare(b, a));
    return reverse == -order && switch (op) {
      case "<" -> order < 0;
      case "=" -> order == 0;
      case "!=" -> order != 0;
      default -> throw new IllegalArgumentException(op);
    };
  }

  private boolean inline(String test, JsonNode raw, List<String> args) {
    String first = args.get(0);
    return switch (test) {
      case "ParseThrowsIfStringIsNotAValidSemVer" -> !nuget.isValid(first);
      case "TryParseHandlesValidVersionPatterns" -> nuget.parse(first).numbers().equals(
          List.of(raw.get(1).asInt(), raw.get(2).asInt(), raw.get(3).asInt(), raw.get(4).asInt()));
      case "StringConstructorParsesValuesCorrectly" -> numbers(nuget.parse(first)).equals(args.get(1))
          && String.join(".", nuget.parse(first).release()).equals(args.get(2))
          && nuget.parse(first).metadata().equals(args.get(3));
      case "ParseReadsLegacyStyleVersionNumbers" -> numbers(nuget.parse(first)).equals(args.get(1));
      case "ParseReadsSemverAndHybridSemverVersionNumbers", "ParseIgnoresLeadingAndTrailingWhitespace" ->
          numbers(nuget.parse(first)).equals(args.get(1))
              && String.join(".", nuget.parse(first).release()).equals(args.get(2));
      case "VersionLength", "FullVersionParsing" -> nuget.isValid(first);
      case "IsPrereleaseParsing" -> nuget.parse(args.get(1)).isPrerelease() == raw.get(0).asBoolean();
      case "HasMetadataParsing" -> !nuget.parse(args.get(1)).metadata().isEmpty() == raw.get(0).asBoolean();
      case "MetadataParsing" -> nuget.parse(args.get(1)).metadata().equals(first);
      case "SpecialVersionParsing" -> String.join(".", nuget.parse(args.get(1)).release()).equals(first);
      case "VersionParsing" -> nuget.parse(args.get(3)).numbers().subList(0, 3).equals(
          List.of(raw.get(0).asInt(), raw.get(1).asInt(), raw.get(2).asInt()));
      case "NuGetVersionParseStrict", "ParseSemanticVersionStrict", "SemVerVersionValidZeros",
          "SemVerVersionValidReleaseLabels", "SemVerVersionReleaseLabelValidZeros", "SemVerVersionMetadataValidChars",
          "SemVerVersionMetadataLeadingZeros", "SemVerVersionMetadataOrder", "SemanticVersionStrictEquality",
          "SemanticVersionStrictEqualityPreRelease" -> strictlyValid(first);
      case "TryParseReturnsFalseWhenUnableToParseString", "TryParseStrictReturnsFalseIfVersionIsNotStrictSemVer",
          "SemVerVersionLeadingZeros", "SemVerVersionNegativeNumbers", "SemVerVersionInvalidReleaseId",
          "SemVerVersionInvalidReleaseLabelChars", "SemVerVersionReleaseLabelZeros",
          "SemVerVersionMetadataInvalidChars", "SemVerVersionMetadataNonEmptyParts" -> !strictlyValid(first);
      case "SemVerVersionMustBe3Parts" -> strictlyValid(first) == raw.get(1).asBoolean();
      case "SemVerLessThanAndGreaterThanOperatorsWorks", "SemVerSortVersion", "SemVerSortRelease",
          "SemVerSortReleaseNumeric", "SemVerSortReleaseAlpha", "SemVerSortNumericAlpha",
          "SemVerSortReleaseLabelCount", "VersionComparisonDefaultLess" -> relation(first, "<", args.get(1));
      case "SemVerEqualsOperatorWorks", "SemVerSortIgnoreReleaseCasing", "VersionComparisonDefaultEqual",
          "VersionComparisonDefaultEqualWithNuGetVersion" -> relation(first, "=", args.get(1));
      case "VersionComparisonDefaultNotEqual", "VersionComparisonDefaultNotEqualWithNuGetVersion" ->
          relation(first, "!=", args.get(1));
      case "ParseVersionRangeSatisfies" -> nuget.satisfies(first, args.get(1));
      case "ParseVersionRangeDoesNotSatisfy" -> !nuget.satisfies(first, args.get(1));
      case "ParseVersionRangeWithBadVersionThrows", "Parse_Illogical_VersionRange_Throws" -> !validRange(first);
      case "ParseVersionParsesTokensVersionsCorrectly" -> {
        NuGetVersion.Bounds bounds = nuget.range(first);
        Function<NuGetVersion.Parsed, String> shown = p -> p == null ? null : numbers(p);
        yield same(shown.apply(bounds.min()), args.get(1)) && bounds.minInclusive() == raw.get(2).asBoolean()
            && same(shown.apply(bounds.max()), args.get(3)) && bounds.maxInclusive() == raw.get(4).asBoolean();
      }
      default ->
          throw new IllegalArgumentException("no check for " + test + ": add one, or list it as not applicable");
    };
  }

  private boolean same(String parsed, String expected) {
    return expected == null ? parsed == null : parsed != null && nuget.compare(parsed, expected) == 0;
  }

  private static String numbers(NuGetVersion.Parsed parsed) {
    return parsed.numbers().stream().map(String::valueOf).reduce((a, b) -> a + "." + b).orElseThrow();
  }

  private boolean strictlyValid(String version) {
    try {
      nuget.parseStrict(version);
      return true;
    } catch (InvalidVersionException e) {
      return false;
    }
  }

  private boolean validRange(String range) {
    try {
      nuget.range(range);
      return true;
    } catch (InvalidVersionException e) {
      return false;
    }
  }

  @Test
  void ordersLegacyAndSemVer2VersionsTogether() {
    assertThat(nuget.compare("1.0", "1.0.0.0")).isZero();
    assertThat(nuget.compare("1.0.0-RC.1", "1.0.0-rc.1+sha")).isZero();
    assertThat(nuget.compare("4.0.0.1", "4.0.0")).isPositive();
    assertThat(nuget.satisfies("[1.0, 2.0)", "1.5.0-beta")).isTrue();
    assertThatThrownBy(() -> nuget.satisfies("1.*", "1.0")).isInstanceOf(InvalidVersionException.class);
    assertThatThrownBy(() -> nuget.validate("1.2147483648")).hasMessageContaining("0 to 2147483647");
  }
}
