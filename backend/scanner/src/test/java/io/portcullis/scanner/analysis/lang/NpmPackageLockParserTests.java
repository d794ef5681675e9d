package io.portcullis.scanner.analysis.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.scanner.analysis.os.HostileStreams;
import io.portcullis.scanner.analysis.os.PackageDatabaseException;
import io.portcullis.scanner.analysis.os.ReadLimits;
import io.portcullis.scanner.analysis.os.SharedTestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class NpmPackageLockParserTests {

  private final NpmPackageLockParser parser = new NpmPackageLockParser();

  /**
   * The oracle is {@code npm ls --package-lock-only --all --json}. With {@code --all} npm lists dev, optional and peer
   * dependencies alike, so every package the parser finds counts, dev or not. npm ls also shows workspace folders and
   * links ({@code "resolved": "file:..."}, or no version at all); those are the project's own code, which the parser
   * leaves out, so every name@version that npm ls shows as a link is dropped from the oracle, wherever else it appears
   * (npm repeats a deduplicated entry with its version only). Packages that npm ls marks extraneous are installed all
   * the same and stay.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "package-lock_v2",
        "package-lock_v3",
        "package-lock_v3_with-same-dev-and-non-dev",
        "package-lock_v3_with_peer",
        "package-lock_v3_with_workspace",
      })
  void listsWhatNpmLsLists(String name) throws Exception {
    LanguagePackageListing listing = parse("lang/npm/" + name + ".json");

    assertThat(nameAtVersion(listing)).isEqualTo(npmLs(name));
    assertThat(listing.malformedRecords()).isZero();
  }

  @Test
  void readsTheVersion1TreeOfTheSameProject() throws Exception {
    // npm cannot run ls on a version 1 lockfile; package-lock_v2.json is the same project (node_v1) locked again
    LanguagePackageListing listing = parse("lang/npm/package-lock_v1.json");

    assertThat(nameAtVersion(listing)).isEqualTo(npmLs("package-lock_v2"));
    assertThat(listing.malformedRecords()).isZero();
  }

  // upstream (trivy) fixtures; the counts are the distinct name@version of installed entries in each file, and of
  // those the ones that only dev entries name (v1 to v3: debug@2.5.2 and ms@0.7.2)
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // file,                                      packages, dev, malformed
    "package-lock_v1,                             31,       2,   0",
    "package-lock_v2,                             31,       2,   0",
    "package-lock_v3,                             31,       2,   0",
    // only links: the link to "" and the workspace folder are the project's own
    "package-lock_v3_broken_link,                 0,        0,   0",
    // minimist is both in fsevents' dev bundle and a production dependency: not dev
    "package-lock_v3_with-same-dev-and-non-dev,   4,        3,   0",
    // license arrays and objects are not read, so they cannot break anything
    "package-lock_v3_with_legacy_licenses,        3,        0,   0",
    "package-lock_v3_with_peer,                   5,        0,   0",
    "package-lock_v3_with_workspace,              4,        0,   0",
    "package-lock_v3_with_workspace_as_object,    1,        0,   0",
    "package-lock_v3_without_root_deps_field,     2,        0,   0",
  })
  void readsEveryFixture(String name, int packages, int dev, int malformed) throws Exception {
    LanguagePackageListing listing = parse("lang/npm/" + name + ".json");

    assertThat(listing.packages()).hasSize(packages);
    assertThat(listing.packages().stream().filter(LanguagePackage::dev)).hasSize(dev);
    assertThat(listing.malformedRecords()).isEqualTo(malformed);
    assertThat(listing.packages()).allSatisfy(p -> {
      assertThat(p.ecosystem()).isEqualTo(LanguagePackage.Ecosystem.NPM);
      assertThat(p.foundBy()).isEqualTo("npm-package-lock");
      assertThat(p.path()).isEqualTo("/app/package-lock.json");
    });
  }

  @Test
  void marksDevOnlyWhatOnlyDevelopmentPullsIn() throws Exception {
    LanguagePackageListing listing = parse("lang/npm/package-lock_v3_with-same-dev-and-non-dev.json");

    assertThat(listing.packages().stream().collect(Collectors.toMap(LanguagePackage::name, LanguagePackage::dev)))
        .isEqualTo(Map.of("fsevents", true, "node-pre-gyp", true, "mkdirp", true, "minimist", false));
  }

  @Test
  void dedupesAndKeepsDevFromEitherOrder() throws Exception {
    String devFirst = packages(
        "\"node_modules/a/node_modules/x\": {\"version\": \"1.0.0\", \"dev\": true},"
            + "\"node_modules/x\": {\"version\": \"1.0.0\"}");
    String devLast = packages(
        "\"node_modules/x\": {\"version\": \"1.0.0\"},"
            + "\"node_modules/a/node_modules/x\": {\"version\": \"1.0.0\", \"dev\": true}");

    assertThat(parser.parse(stream(devFirst), "l").packages()).singleElement().extracting(LanguagePackage::dev)
        .isEqualTo(false);
    assertThat(parser.parse(stream(devLast), "l").packages()).singleElement().extracting(LanguagePackage::dev)
        .isEqualTo(false);
  }

  @ParameterizedTest(name = "{0} -> {1}@{2}")
  @CsvSource({
    // key,                                        name field, name,        version
    "node_modules/@babel/core,                     ,           @babel/core, 7.22.5",
    "node_modules/a/node_modules/@s/b,             ,           @s/b,        7.22.5",
    "node_modules/my-alias,                        real-name,  real-name,   7.22.5",
    "packages/ws/node_modules/left-pad,            ,           left-pad,    7.22.5",
  })
  void takesTheNameFromTheKeyUnlessTheEntryNamesIt(String key, String nameField, String name, String version)
      throws Exception {
    String entry = nameField == null
        ? "{\"version\": \"" + version + "\"}"
        : "{\"name\": \"" + nameField + "\", \"version\": \"" + version + "\"}";

    assertThat(parser.parse(stream(packages("\"" + key + "\": " + entry)), "l").packages())
        .singleElement()
        .satisfies(p -> assertThat(p.name() + "@" + p.version()).isEqualTo(name + "@" + version));
  }

  @Test
  void readsAliasesInVersion1() throws Exception {
    String lock = "{\"lockfileVersion\": 1, \"dependencies\": {"
        + "\"alias\": {\"version\": \"npm:@s/real@2.0.0\"},"
        + "\"local\": {\"version\": \"file:../local\", \"dependencies\": {\"x\": {\"version\": \"1.0.0\"}}}}}";

    assertThat(parser.parse(stream(lock), "l").packages())
        .extracting(p -> p.name() + "@" + p.version())
        .containsExactly("@s/real@2.0.0", "x@1.0.0");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "version is a number  | {\"version\": 1}",
        "no version           | {\"resolved\": \"https://r/x.tgz\"}",
        "empty version        | {\"version\": \"\"}",
        "dev is a string      | {\"version\": \"1.0.0\", \"dev\": \"yes\"}",
        "link is a string     | {\"version\": \"1.0.0\", \"link\": \"true\"}",
        "name is a number     | {\"version\": \"1.0.0\", \"name\": 5}",
        "entry is an array    | [\"1.0.0\"]",
        "entry is a string    | \"1.0.0\"",
      })
  void skipsAndCountsEntriesOfTheWrongType(String why, String entry) throws Exception {
    String lock = packages("\"node_modules/good\": {\"version\": \"1.0.0\"}, \"node_modules/bad\": " + entry);

    LanguagePackageListing listing = parser.parse(stream(lock), "l");

    assertThat(listing.packages()).extracting(LanguagePackage::name).containsExactly("good");
    assertThat(listing.malformedRecords()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "packages is an array       | {\"packages\": []}                                | l: packages is not an object",
        "dependencies is a string   | {\"dependencies\": \"x\"}                         | l: dependencies is not an object",
        "root is an array           | []                                                | l is not a JSON object",
        "duplicate key              | {\"packages\": {\"a\": {}, \"a\": {}}}            | l is not valid JSON: 'Duplicate Object property \"a\"'",
        "trailing content           | {} {}                                             | l is not valid JSON",
        "truncated                  | {\"packages\": {                                  | l is not valid JSON",
        "not JSON                   | lockfileVersion = 3                               | l is not valid JSON",
        "huge number                | {\"lockfileVersion\": 1234567890123456789012345678901234567890} | l is not valid JSON",
      })
  void refusesAFileThatIsNotALockfile(String why, String text, String message) {
    assertThatThrownBy(() -> parser.parse(stream(text), "l"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void refusesNestingDeeperThanTheLimit() {
    // a version 1 tree 40 levels deep nests 81 JSON objects
    String deep = "{\"dependencies\": " + "{\"a\": {\"version\": \"1.0.0\", \"dependencies\": ".repeat(40)
        + "{}" + "}}".repeat(40) + "}";

    assertThatThrownBy(() -> parser.parse(stream(deep), "l"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageContaining("l is not valid JSON")
        .hasMessageContaining("nesting depth");
  }

  @Test
  void refusesAHundredThousandArrayLevelsWithoutOverflowingTheStack() {
    assertThatThrownBy(() -> parser.parse(stream("[".repeat(100_000)), "l"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageContaining("nesting depth");
  }

  @Test
  void stopsReadingAStreamThatClaimsAGigabyte() {
    HostileStreams.CountingStream stream = HostileStreams.repeating(
        "{\"packages\": {", "\"node_modules/x\": {\"version\": \"1.0.0\"},", 1L << 30);
    NpmPackageLockParser small = new NpmPackageLockParser(new ReadLimits(4L << 20, 100_000, 4096));

    assertThatThrownBy(() -> small.parse(stream, "/app/package-lock.json"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage("/app/package-lock.json is larger than the limit of 4194304 bytes");
    assertThat(stream.served()).isLessThan((4L << 20) + 64 * 1024);
  }

  @Test
  void refusesMoreEntriesThanTheLimit() {
    NpmPackageLockParser small = new NpmPackageLockParser(new ReadLimits(1 << 20, 3, 1024));
    String entries = "\"node_modules/a\": {\"version\": \"1\"}, \"node_modules/b\": {\"version\": \"1\"},"
        + "\"node_modules/c\": {\"version\": \"1\"}, \"node_modules/d\": {\"version\": \"1\"}";

    assertThatThrownBy(() -> small.parse(stream(packages(entries)), "l"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage("l has more than 3 entries");
  }

  @Test
  void countsEntriesOfTheWholeVersion1Tree() {
    NpmPackageLockParser small = new NpmPackageLockParser(new ReadLimits(1 << 20, 3, 1024));
    String lock = "{\"dependencies\": {\"a\": {\"version\": \"1\", \"dependencies\": {\"b\": {\"version\": \"1\","
        + " \"dependencies\": {\"c\": {\"version\": \"1\", \"dependencies\": {\"d\": {\"version\": \"1\"}}}}}}}}}";

    assertThatThrownBy(() -> small.parse(stream(lock), "l"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage("l has more than 3 entries");
  }

  @Test
  void refusesAStringLongerThanTheLimit() {
    NpmPackageLockParser small = new NpmPackageLockParser(new ReadLimits(1 << 20, 100, 1024));

    assertThatThrownBy(() -> small.parse(stream(packages(
            "\"node_modules/a\": {\"version\": \"1\", \"integrity\": \"" + "a".repeat(2000) + "\"}")), "l"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageContaining("l is not valid JSON");
  }

  @Test
  void refusesBinaryGarbage() {
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);

    assertThatThrownBy(() -> parser.parse(new ByteArrayInputStream(garbage), "l"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageStartingWith("l is not valid JSON");
  }

  @Test
  void anEmptyLockfileHasNoPackages() throws Exception {
    LanguagePackageListing listing = parser.parse(stream("{\"lockfileVersion\": 3}"), "l");

    assertThat(listing.packages()).isEmpty();
    assertThat(listing.malformedRecords()).isZero();
  }

  private LanguagePackageListing parse(String relative) throws IOException, PackageDatabaseException {
    try (InputStream in = Files.newInputStream(SharedTestData.pkgdb(relative))) {
      return parser.parse(in, "/app/package-lock.json");
    }
  }

  private static Set<String> nameAtVersion(LanguagePackageListing listing) {
    return listing.packages().stream().map(p -> p.name() + "@" + p.version()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> npmLs(String name) throws IOException {
    JsonNode tree = JsonMapper.builder().build()
        .readTree(Files.readAllBytes(SharedTestData.pkgdb("lang/npm/" + name + ".expected_npm-ls-package-lock-only.json")));
    Set<String> all = new TreeSet<>();
    Set<String> links = new HashSet<>();
    collect(tree.get("dependencies"), all, links);
    all.removeAll(links);
    assertThat(all).as("oracle " + name).isNotEmpty();
    return all;
  }

  private static void collect(JsonNode dependencies, Set<String> all, Set<String> links) {
    if (dependencies == null) {
      return;
    }
    for (Map.Entry<String, JsonNode> entry : dependencies.properties()) {
      JsonNode node = entry.getValue();
      JsonNode version = node.get("version");
      JsonNode resolved = node.get("resolved");
      if (version != null) {
        String id = entry.getKey() + "@" + version.stringValue();
        all.add(id);
        if (resolved != null && resolved.stringValue().startsWith("file:")) {
          links.add(id);
        }
      }
      collect(node.get("dependencies"), all, links);
    }
  }

  private static String packages(String entries) {
    return "{\"lockfileVersion\": 3, \"packages\": {\"\": {\"name\": \"root\"}, " + entries + "}}";
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
