package io.portcullis.scanner.analysis.java;

import static io.portcullis.scanner.testing.TestJar.jar;
import static io.portcullis.scanner.testing.TestJar.sha1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.scanner.analysis.java.JavaArchivePackage.Evidence;
import io.portcullis.scanner.testing.TestJar;
import io.portcullis.scanner.testing.TestJar.Layout;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Streams archives that the tests write, in both zip layouts, including hostile ones. */
class JavaArchiveReaderTests {

  final JavaArchiveReader reader = new JavaArchiveReader();

  @ParameterizedTest
  @EnumSource(Layout.class)
  void pomPropertiesNameTheArchiveAndItsChecksumIsThatOfItsBytes(Layout layout) throws IOException {
    byte[] jar = jar().layout(layout).manifest("Manifest-Version: 1.0\n\n")
        .entry("org/apache/Dbcp.class", new byte[5000]).pom("commons-dbcp", "commons-dbcp", "1.4").bytes();

    JavaArchiveListing listing = read(jar, "opt/app/lib/commons-dbcp-1.4.jar");

    assertThat(listing.problems()).isEmpty();
    assertThat(listing.packages()).containsExactly(new JavaArchivePackage(
        new MavenCoordinates("commons-dbcp", "commons-dbcp", "1.4"), "opt/app/lib/commons-dbcp-1.4.jar", sha1(jar),
        Evidence.POM_PROPERTIES));
  }

  @Test
  void aShadedJarListsEveryPomPropertiesAndOnlyItsOwnCarriesTheChecksum() throws IOException {
    byte[] jar = jar()
        .pom("org.apache.hadoop.thirdparty", "hadoop-shaded-guava", "1.1.0-SNAPSHOT")
        .pom("com.google.j2objc", "j2objc-annotations", "1.3")
        .pom("com.google.guava", "guava", "29.0-jre")
        .pom("com.google.guava", "failureaccess", "1.0.1")
        .pom("com.google.guava", "guava", "29.0-jre") // twice in one jar is one package
        .bytes();

    List<JavaArchivePackage> packages = read(jar, "hadoop-shaded-guava-1.1.0-SNAPSHOT.jar").packages();

    assertThat(packages).extracting(p -> p.coordinates().name() + " " + p.coordinates().version()).containsExactly(
        "org.apache.hadoop.thirdparty:hadoop-shaded-guava 1.1.0-SNAPSHOT", "com.google.j2objc:j2objc-annotations 1.3",
        "com.google.guava:guava 29.0-jre", "com.google.guava:failureaccess 1.0.1");
    assertThat(packages).extracting(JavaArchivePackage::checksum).containsExactly(sha1(jar), null, null, null);
  }

  @Test
  void theOwnPomPropertiesIsFoundByTheFileNameWhereverItIs() throws IOException {
    byte[] jar = jar().pom("org.slf4j", "slf4j-api", "1.7.30").pom("io.quarkus.gizmo", "gizmo", "1.1").bytes();
    assertThat(read(jar, "io.quarkus.gizmo.gizmo-1.1.jar").packages())
        .filteredOn(p -> p.checksum() != null).singleElement()
        .satisfies(p -> assertThat(p.coordinates().artifactId()).isEqualTo("gizmo"));
    assertThat(read(jar, "gizmo-1.1-all.jar").packages()).filteredOn(p -> p.checksum() != null).singleElement()
        .satisfies(p -> assertThat(p.coordinates().artifactId()).isEqualTo("gizmo"));
  }

  @Test
  void theOnlyPomPropertiesIsTheArchiveWhateverItsFileName() throws IOException {
    byte[] war = jar().pom("com.example", "web-app", "1.0-SNAPSHOT").bytes();
    assertThat(read(war, "usr/local/tomcat/webapps/ROOT.war").packages()).singleElement().satisfies(p -> {
      assertThat(p.coordinates()).isEqualTo(new MavenCoordinates("com.example", "web-app", "1.0-SNAPSHOT"));
      assertThat(p.checksum()).isEqualTo(sha1(war));
    });
  }

  @Test
  void whenShadedPackagesAreAllItHasTheArchiveIsNamedByItsManifestOrFileName() throws IOException {
    // a Gradle shadow jar: the shaded libraries' pom.properties, none of its own
    byte[] jar = jar().pom("com.google.guava", "guava", "31.1-jre").pom("org.slf4j", "slf4j-api", "2.0.7").bytes();
    List<JavaArchivePackage> packages = read(jar, "app/billing-2.3.0-all.jar").packages();
    assertThat(packages).extracting(p -> p.coordinates().name() + " " + p.coordinates().version() + " " + p.evidence())
        .containsExactly("com.google.guava:guava 31.1-jre POM_PROPERTIES", "org.slf4j:slf4j-api 2.0.7 POM_PROPERTIES",
            "billing 2.3.0-all FILE_NAME");
    assertThat(packages.get(2).checksum()).isEqualTo(sha1(jar));
  }

  @Test
  void withoutAnythingThatNamesItAnArchiveHasNoPackage() throws IOException {
    byte[] jar = jar().manifest("Manifest-Version: 1.0\nCreated-By: Gradle\n\n").entry("a/B.class", "x").bytes();
    JavaArchiveListing listing = read(jar, "app/gradle.war");
    assertThat(listing.packages()).isEmpty();
    assertThat(listing.problems()).isEmpty();
  }

  @Test
  void nestedArchivesAreReadFromTheStreamInEveryLayout() throws IOException {
    byte[] dbcp = jar().pom("commons-dbcp", "commons-dbcp", "1.4").bytes();
    byte[] pool = jar().layout(Layout.DATA_DESCRIPTORS).pom("commons-pool", "commons-pool", "1.6").bytes();
    byte[] unnamed = jar().entry("x/Y.class", "y").bytes();
    byte[] war = jar().layout(Layout.DATA_DESCRIPTORS).pom("com.example", "shop", "2.0")
        .entry("WEB-INF/lib/commons-dbcp-1.4.jar", dbcp)
        .stored("WEB-INF/lib/commons-pool-1.6.jar", pool)
        .entry("WEB-INF/lib/mystery-0.9.jar", unnamed)
        .entry("WEB-INF/classes/Shop.class", new byte[3000]).bytes();
    byte[] ear = jar().stored("shop.war", war).entry("lib/commons-dbcp-1.4.jar", dbcp).bytes();

    JavaArchiveListing listing = read(ear, "srv/shop.ear");

    assertThat(listing.problems()).isEmpty();
    assertThat(listing.packages()).extracting(p -> p.path() + " " + p.coordinates().name() + " " + p.checksum())
        .containsExactly(
            "srv/shop.ear!/shop.war!/WEB-INF/lib/commons-dbcp-1.4.jar commons-dbcp:commons-dbcp " + sha1(dbcp),
            "srv/shop.ear!/shop.war!/WEB-INF/lib/commons-pool-1.6.jar commons-pool:commons-pool " + sha1(pool),
            "srv/shop.ear!/shop.war!/WEB-INF/lib/mystery-0.9.jar mystery " + sha1(unnamed),
            "srv/shop.ear!/shop.war com.example:shop " + sha1(war),
            "srv/shop.ear!/lib/commons-dbcp-1.4.jar commons-dbcp:commons-dbcp " + sha1(dbcp));
  }

  @Test
  void aLaunchScriptBeforeTheArchiveIsPassedOver() throws IOException {
    String script = "#!/bin/bash\n" + "# launch script of a fully executable jar\n".repeat(500);
    byte[] jar = jar().prefix(script).pom("com.example", "service", "3.1.4").bytes();
    assertThat(read(jar, "app.jar").packages()).singleElement()
        .satisfies(p -> assertThat(p.checksum()).isEqualTo(sha1(jar)));
  }

  @Test
  void anArchiveWithoutEntriesIsNamedByItsFileName() throws IOException {
    byte[] empty = jar().bytes();
    assertThat(read(empty, "lib/placeholder-1.0.jar").packages()).singleElement()
        .satisfies(p -> assertThat(p.evidence()).isEqualTo(Evidence.FILE_NAME));
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void aZipBombNestedInAJarIsAProblemAndTheJarIsStillRead(Layout layout) throws IOException {
    // 4 MiB of zeros stored in a jar, which its parent deflates to a few KiB
    byte[] bomb = jar().stored("zeros.bin", new byte[4 << 20]).bytes();
    byte[] jar = jar().layout(layout).entry("lib/bomb.jar", bomb).pom("com.example", "app", "1.0").bytes();
    assertThat(jar.length).isLessThan(100_000);

    JavaArchiveListing listing = read(jar, "app.jar");

    assertThat(listing.problems()).first().isEqualTo("app.jar!/lib/bomb.jar: expands more than 100 times");
    if (layout == Layout.SIZES_IN_HEADERS) {
      // the bomb's deflated bytes are passed over by their stated size, and the rest of the jar is read
      assertThat(listing.problems()).hasSize(1);
      assertThat(listing.packages()).singleElement().satisfies(p -> {
        assertThat(p.coordinates().artifactId()).isEqualTo("app");
        assertThat(p.checksum()).isEqualTo(sha1(jar));
      });
    } else {
      // its end can only be found by unpacking it all, which is what it is made for: the jar stops there
      assertThat(listing.problems()).containsExactly("app.jar!/lib/bomb.jar: expands more than 100 times",
          "app.jar: stopped at 'lib/bomb.jar', whose end cannot be found without unpacking all of it");
      assertThat(listing.packages()).isEmpty();
    }
  }

  @Test
  void whatIsUnpackedFromOneFileIsBounded() throws IOException {
    // entries the jar tool writes must be unpacked to be passed over: they count against the file's budget
    byte[] jar = jar().layout(Layout.DATA_DESCRIPTORS).pom("com.example", "big", "1.0")
        .entry("data/zeros.bin", new byte[8 << 20]).pom("com.example", "after", "1.0").bytes();
    JavaArchiveReader strict = new JavaArchiveReader(limits(4, 1000, 1 << 20, 20));

    JavaArchiveListing listing = strict.read(new ByteArrayInputStream(jar), "big-1.0.jar");

    assertThat(listing.problems()).containsExactly(
        "big-1.0.jar: more than 1048576 bytes unpacked from it and the archives in it; reading stopped in big-1.0.jar");
    // found before the limit, and the file's checksum is still read without unpacking anything
    assertThat(listing.packages()).singleElement().satisfies(p -> {
      assertThat(p.coordinates().artifactId()).isEqualTo("big");
      assertThat(p.checksum()).isEqualTo(sha1(jar));
    });
  }

  @Test
  void theEntriesOfOneFileAreBounded() throws IOException {
    TestJar many = jar();
    for (int i = 0; i < 50; i++) {
      many.entry("c/C" + i + ".class", "x");
    }
    byte[] inner = many.bytes();
    byte[] jar = jar().pom("com.example", "outer", "1").entry("lib/inner-2.jar", inner).bytes();
    JavaArchiveListing listing =
        new JavaArchiveReader(limits(4, 30, 1 << 30, 20)).read(new ByteArrayInputStream(jar), "outer.jar");
    assertThat(listing.problems()).containsExactly(
        "outer.jar: more than 30 entries in it and the archives in it; reading stopped in outer.jar!/lib/inner-2.jar");
    assertThat(listing.packages()).extracting(p -> p.coordinates().artifactId() + " " + (p.checksum() != null))
        .containsExactly("inner false", "outer true");
  }

  @Test
  void archivesNestedTooDeepAreReportedAndNotRead() throws IOException {
    byte[] archive = jar().pom("com.example", "level6", "6").bytes();
    for (int level = 5; level >= 0; level--) {
      archive = jar().pom("com.example", "level" + level, String.valueOf(level))
          .entry("lib/level" + (level + 1) + ".jar", archive).bytes();
    }

    JavaArchiveListing listing = read(archive, "level0.jar");

    assertThat(listing.packages()).extracting(p -> p.coordinates().artifactId())
        .containsExactly("level4", "level3", "level2", "level1", "level0");
    assertThat(listing.problems()).containsExactly(
        "level0.jar!/lib/level1.jar!/lib/level2.jar!/lib/level3.jar!/lib/level4.jar!/lib/level5.jar: nested more than"
            + " 4 archives deep; not read");
  }

  @Test
  void anEntryWithAHugeNameIsSkipped() throws IOException {
    String huge = "a/".repeat(3000) + "x-1.0.jar";
    byte[] jar = jar().entry(huge, jar().pom("com.example", "hidden", "1").bytes())
        .pom("com.example", "app", "1.0").bytes();
    JavaArchiveListing listing = read(jar, "app.jar");
    assertThat(listing.problems())
        .containsExactly("app.jar: skipped an entry whose name is longer than 4096 characters");
    assertThat(listing.packages()).extracting(p -> p.coordinates().artifactId()).containsExactly("app");
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void aTruncatedArchiveKeepsWhatWasFoundBeforeTheCut(Layout layout) throws IOException {
    byte[] jar = jar().layout(layout).pom("com.example", "cut", "1.0").entry("big.bin", noise(20_000))
        .entry("more.bin", "more").bytes();
    byte[] truncated = Arrays.copyOf(jar, 300);

    JavaArchiveListing listing = read(truncated, "cut-1.0.jar");

    assertThat(listing.problems()).singleElement().asString().startsWith("cut-1.0.jar: not a readable zip archive (");
    assertThat(listing.packages()).singleElement().satisfies(p -> {
      assertThat(p.coordinates().artifactId()).isEqualTo("cut");
      assertThat(p.checksum()).as("the file's bytes, cut as they are").isEqualTo(sha1(truncated));
    });
  }

  @Test
  void aTruncatedNestedArchiveIsItsOwnProblem() throws IOException {
    byte[] inner = jar().pom("com.example", "inner", "1").entry("big.bin", noise(20_000)).bytes();
    byte[] cut = Arrays.copyOf(inner, inner.length / 2);
    byte[] jar = jar().entry("lib/inner-1.jar", cut).pom("com.example", "outer", "1").bytes();
    JavaArchiveListing listing = read(jar, "outer-1.jar");
    assertThat(listing.problems()).singleElement().asString()
        .startsWith("outer-1.jar!/lib/inner-1.jar: not a readable zip archive (");
    assertThat(listing.packages()).extracting(p -> p.coordinates().artifactId() + " " + p.checksum())
        .containsExactly("inner " + sha1(cut), "outer " + sha1(jar));
  }

  @Test
  void entryNamesAreOnlyLabels() throws IOException {
    byte[] evil = jar().pom("com.example", "evil", "6.6.6").bytes();
    byte[] jar = jar().entry("../../../../etc/cron.d/evil-6.6.6.jar", evil)
        .entry("lib/\u001b[31mred\nline.jar", evil).bytes();
    JavaArchiveListing listing = read(jar, "app.jar");
    assertThat(listing.problems()).isEmpty();
    assertThat(listing.packages()).extracting(JavaArchivePackage::path)
        .containsExactly("app.jar!/../../../../etc/cron.d/evil-6.6.6.jar", "app.jar!/lib/?[31mred?line.jar");
  }

  @Test
  void whatIsNoZipArchiveIsAProblem() throws IOException {
    assertThat(read("just text, not a zip".repeat(100).getBytes(), "notes.jar").problems())
        .containsExactly("notes.jar: not a zip archive (no zip entry in its first 2000 bytes)");
    assertThat(read(new byte[0], "empty-1.0.jar").problems()).containsExactly("empty-1.0.jar: an empty file, not a zip"
        + " archive");
    assertThat(read(new byte[0], "empty-1.0.jar").packages()).isEmpty();
  }

  @Test
  void entriesCompressedAsJavaNeverDoesAreReportedAndPassedOver() throws IOException {
    byte[] jar = jar().pom("com.example", "odd", "1").pom("com.example", "app", "1.0").bytes();
    // method 14 (lzma) in the first local header: the entry is passed over by its stated size
    int method = 8;
    assertThat(jar[method]).isEqualTo((byte) 8);
    jar[method] = 14;
    JavaArchiveListing listing = read(jar, "app.jar");
    assertThat(listing.problems()).containsExactly(
        "app.jar!/META-INF/maven/com.example/odd/pom.properties: not read (compression method lzma, which Java"
            + " archives do not use)");
    assertThat(listing.packages()).extracting(p -> p.coordinates().artifactId()).containsExactly("app");
  }

  @Test
  void malformedMetadataIsAProblemAndTheArchiveIsStillNamed() throws IOException {
    byte[] jar = jar()
        .entry("META-INF/maven/x/y/pom.properties", "groupId=x\nartifactId=y\nversion=${project.version}\n")
        .entry("META-INF/maven/x/z/pom.properties", "version=\\u12")
        .entry("META-INF/maven/x/big/pom.properties", "#" + "x".repeat(70_000)).bytes();
    JavaArchiveListing listing = read(jar, "y-1.0.jar");
    assertThat(listing.problems()).containsExactly(
        "y-1.0.jar!/META-INF/maven/x/y/pom.properties: no usable groupId, artifactId and version",
        "y-1.0.jar!/META-INF/maven/x/z/pom.properties: not a properties file (Malformed \\uxxxx encoding.)",
        "y-1.0.jar!/META-INF/maven/x/big/pom.properties: larger than 65536 bytes; not read");
    assertThat(listing.packages()).singleElement()
        .satisfies(p -> assertThat(p.evidence()).isEqualTo(Evidence.FILE_NAME));
  }

  @Test
  void problemsOfOneFileAreCapped() throws IOException {
    TestJar jar = jar();
    for (int i = 0; i < 30; i++) {
      jar.entry("META-INF/maven/x/a" + i + "/pom.properties", "nothing=here\n");
    }
    List<String> problems = read(jar.bytes(), "app.jar").problems();
    assertThat(problems).hasSize(21).last().isEqualTo("app.jar: 10 more problems not listed");
  }

  @Test
  void aFailingSourceFailsTheLayerNotTheArchive() {
    byte[] jar = jar().pom("com.example", "app", "1.0").entry("big.bin", noise(50_000)).bytes();
    IOException failure = new IOException("the layer's stream broke");
    InputStream breaking = new FilterInputStream(new ByteArrayInputStream(jar)) {
      long read;

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (read > 1000) {
          throw failure;
        }
        int n = super.read(buffer, offset, Math.min(length, 100));
        read += Math.max(n, 0);
        return n;
      }
    };
    assertThatThrownBy(() -> reader.read(breaking, "app.jar")).isSameAs(failure);
  }

  private JavaArchiveListing read(byte[] archive, String path) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(archive);
    JavaArchiveListing listing = reader.read(in, path);
    assertThat(in.available()).as("read to its end").isZero();
    return listing;
  }

  /** Bytes that do not compress, the same on every run. */
  private static byte[] noise(int length) {
    byte[] bytes = new byte[length];
    new java.util.Random(42).nextBytes(bytes);
    return bytes;
  }

  private static JavaArchiveLimits limits(int depth, long entries, long unpacked, int problems) {
    JavaArchiveLimits d = JavaArchiveLimits.DEFAULT;
    return new JavaArchiveLimits(d.maxFileBytes(), depth, entries, unpacked, d.maxCompressionRatio(),
        d.maxPomPropertiesBytes(), d.maxManifestBytes(), d.maxNameLength(), d.maxPrefixBytes(), d.maxPackages(),
        problems);
  }
}
