package io.portcullis.scanner.analysis.golang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.analysis.LayerFile;
import io.portcullis.scanner.analysis.golang.GoExecutables.Format;
import io.portcullis.scanner.analysis.os.SharedTestData;
import io.portcullis.scanner.sbom.FoundPackage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Go build information read from executables: the real binaries of the shared corpus against {@code go version -m},
 * a real binary built by Debian, every container format and both encodings written by {@link GoExecutables}, and
 * hostile files.
 */
class GoBinaryAnalyzerTests {

  static final String ORACLE = "lang/go-binaries.expected_go-version-m.txt";

  final GoBinaryAnalyzer analyzer = new GoBinaryAnalyzer();

  // --- what is read

  @ParameterizedTest(name = "mode {0} size {1}: {2}")
  @CsvSource({"0100755, 2000000, true", "0100700, 100, true", "0100711, 0, true", "0100644, 2000000, false",
      "0120777, 0, true", "0100600, 10, false", "0100001, 10, true"})
  void executablesWhereverTheyLie(String mode, long size, boolean required) {
    assertThat(analyzer.required("usr/local/bin/app", Integer.parseInt(mode, 8), size)).isEqualTo(required);
    assertThat(analyzer.required("usr/local/bin/app")).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"app/service.jar, false", "opt/jenkins/plugins/git.HPI, false", "srv/shop.war, false",
      "usr/bin/jar, true", "usr/local/bin/.jar, true", "usr/local/bin/kubectl, true"})
  void notJavaArchivesMadeExecutable(String path, boolean required) {
    assertThat(analyzer.required(path, 0100755, 1000)).isEqualTo(required);
  }

  @Test
  void readsBinariesUpTo256MiB() {
    assertThat(analyzer.maxFileBytes(64L << 20)).isEqualTo(256L << 20);
    assertThat(analyzer.maxFileBytes(1L << 30)).isEqualTo(1L << 30);
  }

  // --- the shared corpus and its oracle

  /**
   * The oracle's build information, written into a binary of the same container format and encoding (Go 1.17 and older
   * behind pointers), reads back exactly as {@code go version -m} printed it.
   */
  @TestFactory
  Stream<DynamicTest> theOraclesBuildInformationInEachBinarysFormat() throws IOException {
    return oracle().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
      List<String> expected = e.getValue();
      GoExecutables binary = GoExecutables.of(format(e.getKey()))
          .goVersion(expected.get(0))
          .moduleInfo(moduleInfo(expected));
      assertThat(binary.pointers()).isEqualTo(expected.get(0).startsWith("go1.15"));
      assertThat(info(binary.build()).asGoVersionLines()).isEqualTo(expected);
    }));
  }

  /** The real binaries of the corpus (ELF, PE, Mach-O; go1.15.2 to go1.22.1) against {@code go version -m}. */
  @TestFactory
  Stream<DynamicTest> theCorpusBinariesReadAsGoVersionMinusMReadsThem() throws IOException {
    Map<String, List<String>> oracle = oracle();
    Path directory = SharedTestData.pkgdb(ORACLE).resolveSibling("go-binaries");
    return oracle.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
      // The oracle is present; the binaries may not be, as the shared snapshot has left binaries out. Say so loudly.
      Assumptions.assumeTrue(Files.isDirectory(directory),
          "THE GO BINARIES OF THE SHARED CORPUS ARE MISSING: " + directory + " does not exist, so " + e.getKey()
              + " of " + ORACLE + " was not read; restore the corpus to run this test");
      Path binary = directory.resolve(e.getKey());
      assertThat(binary).as("listed by the oracle").exists();
      try (InputStream in = Files.newInputStream(binary)) {
        Optional<GoBinaryAnalyzer.Result> result = analyzer.read(new LayerFile(e.getKey(), Files.size(binary), in));
        assertThat(result).isPresent();
        assertThat(result.get().problem()).isNull();
        assertThat(result.get().info().asGoVersionLines()).isEqualTo(e.getValue());
      }
    }));
  }

  @Test
  void theOraclesBinariesGiveTheStandardLibraryTheMainModuleAndTheDependencies() throws Exception {
    Map<String, List<String>> oracle = oracle();
    assertThat(purls(oracle, "test.elf")).containsExactly(
        "pkg:golang/stdlib@1.15.2",
        "pkg:golang/github.com/aquasecurity/test",
        "pkg:golang/github.com/aquasecurity/go-pep440-version@v0.0.0-20210121094942-22b2f8951d46",
        "pkg:golang/github.com/aquasecurity/go-version@v0.0.0-20210121072130-637058cfe492",
        "pkg:golang/golang.org/x/xerrors@v0.0.0-20200804184101-5ec99f83aff1");
    assertThat(purls(oracle, "test.exe")).isEqualTo(purls(oracle, "test.elf"));
    assertThat(purls(oracle, "test.macho")).isEqualTo(purls(oracle, "test.elf"));
    assertThat(purls(oracle, "semver-main-module-version.macho"))
        .containsExactly("pkg:golang/stdlib@1.20.6", "pkg:golang/go.etcd.io/bbolt@v1.3.5");
    assertThat(purls(oracle, "goexperiment")).as("built from files: no module")
        .containsExactly("pkg:golang/stdlib@1.22.1");
    assertThat(purls(oracle, "main-version-via-ldflags.elf")).as("-X main.version is not the module's version")
        .containsExactly("pkg:golang/stdlib@1.22.1", "pkg:golang/github.com/aquasecurity/test");
  }

  private List<String> purls(Map<String, List<String>> oracle, String name) throws IOException {
    List<String> lines = oracle.get(name);
    byte[] binary = GoExecutables.of(format(name)).goVersion(lines.get(0)).moduleInfo(moduleInfo(lines)).build();
    FileFindings findings = analyze(binary);
    assertThat(findings.problems()).isEmpty();
    return findings.packages().stream().map(FoundPackage::purl).toList();
  }

  // --- a real binary built by Debian

  /**
   * Debian's docker-registry (installed for the registry tests): built by Debian's Go outside module mode, so its build
   * information names the toolchain and the main package but no module — Debian tracks what it compiled in.
   */
  @Test
  void debiansDockerRegistry() throws Exception {
    Path binary = Path.of("/usr/bin/docker-registry");
    assumeTrue(Files.isRegularFile(binary),
        "SKIPPED LOUDLY: /usr/bin/docker-registry is not installed; run infra/dev/test-prerequisites.sh as root");
    byte[] bytes = Files.readAllBytes(binary);

    GoBuildInfo info = info(bytes);

    assertThat(info.goVersion()).matches("go1\\.\\d+(\\.\\d+)?");
    assertThat(info.path()).isEqualTo("github.com/docker/distribution/cmd/registry");
    assertThat(info.settings()).contains("-compiler=gc", "GOOS=linux");
    // the same text, found in the file without any parsing
    byte[] pathLine = ("path\t" + info.path() + "\n").getBytes(StandardCharsets.UTF_8);
    assertThat(indexOf(bytes, concat(GoExecutables.START, pathLine))).isPositive();
    FileFindings findings = analyze(bytes);
    assertThat(findings.problems()).isEmpty();
    assertThat(findings.packages()).extracting(FoundPackage::name).contains("stdlib").containsAll(
        info.main() == null ? List.of() : List.of(info.main().path()));
    assertThat(findings.packages()).filteredOn(p -> p.name().equals("stdlib")).singleElement()
        .extracting(FoundPackage::purl)
        .isEqualTo("pkg:golang/stdlib@" + GoPackages.stdlibVersion(info.goVersion()));
  }

  @Test
  void debiansDockerRegistryCutShort() throws Exception {
    Path binary = Path.of("/usr/bin/docker-registry");
    assumeTrue(Files.isRegularFile(binary),
        "SKIPPED LOUDLY: /usr/bin/docker-registry is not installed; run infra/dev/test-prerequisites.sh as root");
    byte[] bytes = Files.readAllBytes(binary);
    int magic = indexOf(bytes, GoBuildInfoReader.MAGIC);
    assertThat(magic).isPositive();
    for (int cut : new int[] {16, 100, 4096, 1 << 20, bytes.length / 2, magic, magic + 20, magic + 40, magic + 100}) {
      Optional<GoBinaryAnalyzer.Result> result = read(java.util.Arrays.copyOf(bytes, cut));
      if (cut <= 100) {
        assertThat(result).as("cut at %d: not even headers", cut).isEmpty();
      } else {
        assertThat(result).as("cut at %d", cut).isPresent();
        assertThat(result.get().problem()).as("cut at %d", cut).isNotNull()
            .containsAnyOf("without Go build information", "malformed");
      }
    }
    assertThat(read(java.util.Arrays.copyOf(bytes, bytes.length - 1)).orElseThrow().info()).isNotNull();
  }

  // --- every container format and both encodings

  @ParameterizedTest(name = "{0} {1}-bit big-endian={2} inline={3} build-id={4} at {5}")
  @CsvSource({
      "ELF, 64, false, true, true, 4096", "ELF, 64, false, false, true, 4096", "ELF, 32, false, false, true, 4096",
      "ELF, 32, true, false, true, 4096", "ELF, 64, true, true, true, 4096", "ELF, 64, true, false, true, 300000",
      "ELF, 64, false, true, false, 300000", "ELF, 32, true, true, false, 300000",
      "PE, 64, false, true, true, 4096", "PE, 32, false, false, true, 4096", "PE, 64, false, false, true, 300000",
      "PE, 32, false, true, false, 300000",
      "MACH_O, 64, false, true, true, 4096", "MACH_O, 64, false, false, true, 300000",
      "MACH_O, 32, true, false, true, 4096",
      "MACH_O, 32, false, true, false, 300000",
  })
  void eachFormatAndEncoding(Format format, int bits, boolean bigEndian, boolean inline, boolean buildId, int at)
      throws Exception {
    GoExecutables binary = GoExecutables.of(format).inline(inline).goVersion(inline ? "go1.21.5" : "go1.17.13")
        .readOnlyBytes(at)
        .moduleInfo("path\tex.com/a/cmd/a\nmod\tex.com/a\tv1.2.3\th1:a=\ndep\tex.com/b\tv0.1.0\th1:b=\n");
    if (bits == 32) {
      binary.bits32();
    }
    if (bigEndian) {
      binary.bigEndian();
    }
    if (!buildId) {
      binary.withoutBuildId();
    }

    FileFindings findings = analyze(binary.build());

    assertThat(findings.problems()).isEmpty();
    assertThat(findings.packages()).extracting(p -> p.name() + "@" + p.version()).containsExactly(
        "stdlib@" + (inline ? "1.21.5" : "1.17.13"), "ex.com/a@v1.2.3", "ex.com/b@v0.1.0");
  }

  @Test
  void aBinaryWithoutModuleInformationGivesTheStandardLibrary() throws Exception {
    FileFindings findings = analyze(GoExecutables.elf().goVersion("go1.16.15").build());
    assertThat(findings.packages()).extracting(FoundPackage::purl).containsExactly("pkg:golang/stdlib@1.16.15");
    assertThat(findings.problems()).isEmpty();
  }

  @Test
  void pointersBackWithoutABuildIdCannotBeFollowedAndSaySo() throws Exception {
    byte[] binary = GoExecutables.elf().goVersion("go1.17.13").withoutBuildId().readOnlyBytes(300_000)
        .moduleInfo("path\tp\n").build();
    assertThat(problem(binary)).contains("points back").contains("no Go build ID");
    // within the first bytes, which are always kept, they can
    byte[] small = GoExecutables.elf().goVersion("go1.17.13").withoutBuildId().moduleInfo("path\tp\n").build();
    assertThat(info(small).path()).isEqualTo("p");
  }

  @Test
  void whatIsKeptIsDeletedAfterwards() throws Exception {
    Path temp = Path.of(System.getProperty("java.io.tmpdir"));
    long before = keptFiles(temp);
    byte[] binary = GoExecutables.elf().goVersion("go1.17.13").readOnlyBytes(300_000).moduleInfo("path\tp\n").build();
    assertThat(info(binary).path()).isEqualTo("p");
    assertThat(problem(truncate(binary, indexOf(binary, GoBuildInfoReader.MAGIC) + 20))).contains("cut off");
    assertThat(keptFiles(temp)).isEqualTo(before);
  }

  // --- not Go, or hostile

  @Test
  void executablesThatAreNotGoGiveNothing() throws Exception {
    assertThat(read("#!/bin/sh\necho hello\n".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(read(new byte[0])).isEmpty();
    assertThat(read(new byte[] {0x7f, 'E', 'L', 'F'})).isEmpty();
    assertThat(read("MZ not really a program".getBytes(StandardCharsets.UTF_8))).isEmpty();
    byte[] noMagic = GoExecutables.elf().withoutBuildId().build();
    noMagic[indexOf(noMagic, GoBuildInfoReader.MAGIC)] = 0;
    assertThat(read(noMagic)).isEmpty();
    Path ls = Path.of("/bin/ls");
    if (Files.isRegularFile(ls)) {
      assertThat(read(Files.readAllBytes(ls))).as("/bin/ls, a C program").isEmpty();
    }
  }

  @Test
  void aGoBuildIdWithoutBuildInformationIsAProblem() throws Exception {
    byte[] binary = GoExecutables.elf().build();
    binary[indexOf(binary, GoBuildInfoReader.MAGIC)] = 0;
    assertThat(problem(binary)).contains("without Go build information");
  }

  @Test
  void anElfWhoseSectionTableLiesBeyondTheFileIsStillRead() throws Exception {
    byte[] go = GoExecutables.elf().sectionTableAt(1L << 40).moduleInfo("path\tp\nmod\tp\tv1.0.0\t\n").build();
    assertThat(info(go).main().version()).isEqualTo("v1.0.0");
    byte[] notGo = GoExecutables.elf().withoutBuildId().sectionTableAt(Long.MAX_VALUE).build();
    notGo[indexOf(notGo, GoBuildInfoReader.MAGIC)] = 0;
    assertThat(read(notGo)).isEmpty();
  }

  @Test
  void headersThatPointOutsideTheFirstBytesAreNotRead() throws Exception {
    byte[] elf = GoExecutables.elf().build();
    java.nio.ByteBuffer.wrap(elf).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(32, 1L << 40); // e_phoff
    assertThat(read(elf)).isEmpty();
    byte[] pe = GoExecutables.of(Format.PE).build();
    java.nio.ByteBuffer.wrap(pe).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0x3c, 0x7fffffff);
    assertThat(read(pe)).isEmpty();
    byte[] macho = GoExecutables.of(Format.MACH_O).build();
    java.nio.ByteBuffer.wrap(macho).putInt(16, -1).putInt(20, -1); // ncmds, sizeofcmds
    assertThat(read(macho)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "version length past the section  | 32 | ff 01                           | runs past the end",
        "version longer than read         | 32 | 89 20                           | more than the 4096 read",
        "version length of 2^64-1         | 32 | ff ff ff ff ff ff ff ff ff 01   | more than the 4096 read",
        "version length overflowing       | 32 | ff ff ff ff ff ff ff ff ff 7f   | overflows 64 bits",
        "version length of 11 bytes       | 32 | 80 80 80 80 80 80 80 80 80 80   | overflows 64 bits",
        "an empty version                 | 32 | 00                              | no toolchain version",
        "a version that is not text       | 33 | 01 02 03                        | not printable",
        "module information past the end  | 41 | ff ff 03                        | runs past the end",
        "module information too long      | 41 | 80 80 80 08                     | more than the 4194304 read",
      })
  void inlineLengthsThatLie(String name, int at, String bytes, String problem) throws Exception {
    byte[] binary = GoExecutables.elf().goVersion("go1.22.1").moduleInfo("path\tp\n").build();
    patch(binary, indexOf(binary, GoBuildInfoReader.MAGIC) + at, bytes);
    assertThat(problem(binary)).contains("malformed").contains(problem);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "pointer size 3                      | 14 | 03                          | pointer size is 3",
        "version header nowhere              | 16 | 00 00 00 00 00 00 01 00     | does not hold",
        "version string nowhere              | 32 | 00 00 00 00 00 00 01 00     | does not hold",
        "version string longer than read     | 40 | 00 00 01 00 00 00 00 00     | more than the 4096 read",
        "version string of 2^64-1 bytes      | 40 | ff ff ff ff ff ff ff ff     | more than the 4096 read",
        "module information past the segment | 56 | 00 00 30 00 00 00 00 00     | runs past the end",
      })
  void pointersThatLie(String name, int at, String bytes, String problem) throws Exception {
    byte[] binary = GoExecutables.elf().goVersion("go1.17.13").moduleInfo("path\tp\n").build();
    patch(binary, indexOf(binary, GoBuildInfoReader.MAGIC) + at, bytes);
    assertThat(problem(binary)).contains("malformed").contains(problem);
  }

  @Test
  void tooManyModulesAreAProblem() throws Exception {
    byte[] binary = GoExecutables.elf().moduleInfo("dep\tex.com/m\tv1.0.0\t\n".repeat(20_001)).build();
    assertThat(problem(binary)).contains("more than 20000 modules");
  }

  /** Every cut of every format: nothing escapes, and what is read is either all of it or a problem. */
  @TestFactory
  Stream<DynamicTest> binariesCutAnywhere() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Format format : Format.values()) {
      for (boolean inline : new boolean[] {true, false}) {
        byte[] whole = GoExecutables.of(format).inline(inline).goVersion(inline ? "go1.22.1" : "go1.16.3")
            .moduleInfo("path\tp\nmod\tp\tv1.0.0\t\ndep\tq\tv2.0.0\th1:q=\n").build();
        int magic = indexOf(whole, GoBuildInfoReader.MAGIC);
        tests.add(DynamicTest.dynamicTest(format + (inline ? " inline" : " pointers"), () -> {
          for (int cut = 0; cut < whole.length; cut += cut < magic - 64 ? 61 : 1) {
            Optional<GoBinaryAnalyzer.Result> result = read(truncate(whole, cut));
            assertThat(result.map(GoBinaryAnalyzer.Result::problem).orElse("")).doesNotContain("could not be read");
            if (result.isPresent() && result.get().info() != null) {
              assertThat(result.get().info().deps()).as("cut at %d", cut).hasSize(1);
            }
          }
        }));
      }
    }
    return tests.stream();
  }

  /** Random damage to headers and build information: whatever comes out, nothing escapes. */
  @Test
  void damagedBinariesNeverThrow() throws Exception {
    java.util.Random random = new java.util.Random(42);
    for (Format format : Format.values()) {
      for (boolean inline : new boolean[] {true, false}) {
        byte[] whole = GoExecutables.of(format).inline(inline).goVersion(inline ? "go1.22.1" : "go1.16.3")
            .moduleInfo("path\tp\nmod\tp\tv1.0.0\t\ndep\tq\tv2.0.0\th1:q=\n=>\tr\tv3\th1:r=\n").build();
        int magic = indexOf(whole, GoBuildInfoReader.MAGIC);
        for (int round = 0; round < 300; round++) {
          byte[] damaged = whole.clone();
          for (int k = 0; k < 1 + random.nextInt(4); k++) {
            int at = random.nextBoolean() ? random.nextInt(0x300) : magic + random.nextInt(whole.length - magic);
            damaged[at] = (byte) random.nextInt(256);
          }
          FileFindings findings = analyze(damaged);
          assertThat(findings.packages().size() + findings.problems().size()).isLessThan(10);
          assertThat(findings.problems()).as("every damage has its own check, not the last resort")
              .noneMatch(p -> p.contains("could not be read"));
        }
      }
    }
  }

  // --- helpers

  private Optional<GoBinaryAnalyzer.Result> read(byte[] bytes) throws IOException {
    return analyzer.read(new LayerFile("usr/local/bin/app", bytes.length, new ByteArrayInputStream(bytes)));
  }

  private GoBuildInfo info(byte[] bytes) throws IOException {
    Optional<GoBinaryAnalyzer.Result> result = read(bytes);
    assertThat(result).isPresent();
    assertThat(result.get().problem()).isNull();
    return result.get().info();
  }

  private String problem(byte[] bytes) throws IOException {
    Optional<GoBinaryAnalyzer.Result> result = read(bytes);
    assertThat(result).isPresent();
    assertThat(result.get().info()).isNull();
    return result.get().problem();
  }

  private FileFindings analyze(byte[] bytes) throws IOException {
    FileFindings findings = new FileFindings();
    analyzer.analyze(new LayerFile("usr/local/bin/app", bytes.length, new ByteArrayInputStream(bytes)), findings);
    return findings;
  }

  /** The oracle's entries: the file name, then the toolchain and the lines {@code go version -m} printed after it. */
  static Map<String, List<String>> oracle() throws IOException {
    Map<String, List<String>> entries = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : Files.readAllLines(SharedTestData.pkgdb(ORACLE), StandardCharsets.UTF_8)) {
      if (line.startsWith("### ")) {
        current = new ArrayList<>();
        entries.put(line.substring(4), current);
      } else if (current != null && current.isEmpty()) {
        current.add(line.substring(line.indexOf(": ") + 2));
      } else if (current != null && line.startsWith("\t") && !line.isBlank()) {
        current.add(line);
      }
    }
    assertThat(entries).as("the oracle's binaries").hasSize(6);
    return entries;
  }

  private static Format format(String name) {
    return name.endsWith(".exe") ? Format.PE : name.endsWith(".macho") ? Format.MACH_O : Format.ELF;
  }

  /** The oracle's lines after the toolchain, as the module information stores them. */
  private static String moduleInfo(List<String> lines) {
    StringBuilder text = new StringBuilder();
    lines.subList(1, lines.size()).forEach(line -> text.append(line.substring(1)).append('\n'));
    return text.toString();
  }

  private static byte[] truncate(byte[] bytes, int length) {
    return java.util.Arrays.copyOf(bytes, length);
  }

  private static void patch(byte[] bytes, int at, String hex) {
    byte[] patch = GoExecutables.hex(hex.replace(" ", ""));
    System.arraycopy(patch, 0, bytes, at, patch.length);
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static long keptFiles(Path temp) throws IOException {
    try (Stream<Path> files = Files.list(temp)) {
      return files.filter(p -> p.getFileName().toString().startsWith("portcullis-go-")).count();
    }
  }
}
