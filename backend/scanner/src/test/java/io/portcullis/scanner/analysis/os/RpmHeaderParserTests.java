package io.portcullis.scanner.analysis.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RpmHeaderParserTests {

  private final RpmHeaderParser parser = new RpmHeaderParser(new ReadLimits(1 << 20, 10, 1024));

  @Test
  void decodesTheInventoryTags() throws Exception {
    byte[] blob = RpmHeaderBlob.of("openssl-libs", "3.0.7", "27.el9")
        .int32(1003, 1)
        .string(1022, "x86_64")
        .string(1044, "openssl-3.0.7-27.el9.src.rpm")
        .string(1011, "Red Hat, Inc.")
        .string(1014, "ASL 2.0")
        .string(1004, "ignored summary")
        .bytes();

    RpmHeader header = parser.parse(blob);

    assertThat(header).isEqualTo(new RpmHeader("openssl-libs", 1, "3.0.7", "27.el9", "x86_64",
        "openssl-3.0.7-27.el9.src.rpm", "Red Hat, Inc.", "ASL 2.0"));
    assertThat(header.evr()).isEqualTo("1:3.0.7-27.el9");
    OsPackage pkg = header.toPackage("rpm-sqlite", "/var/lib/rpm/rpmdb.sqlite");
    assertThat(pkg.version()).isEqualTo("1:3.0.7-27.el9");
    assertThat(pkg.sourceName()).isEqualTo("openssl");
    assertThat(pkg.sourceVersion()).isNull();
  }

  @ParameterizedTest
  @MethodSource
  void takesTheSourceFromTheSourceRpmFileName(String sourceRpm, String sourceName, String sourceVersion)
      throws Exception {
    RpmHeaderBlob blob = RpmHeaderBlob.of("python3-libs", "3.9.18", "1.el9");
    if (sourceRpm != null) {
      blob.string(1044, sourceRpm);
    }

    OsPackage pkg = parser.parse(blob.bytes()).toPackage("rpm-bdb", "Packages");

    assertThat(pkg.sourceName()).isEqualTo(sourceName);
    assertThat(pkg.sourceVersion()).isEqualTo(sourceVersion);
  }

  static Stream<Arguments> takesTheSourceFromTheSourceRpmFileName() {
    return Stream.of(
        Arguments.of("python3.9-3.9.18-1.el9.src.rpm", "python3.9", null),
        Arguments.of("python-dateutil-2.8.1-6.el9.src.rpm", "python-dateutil", "2.8.1-6.el9"),
        Arguments.of("kernel-5.14.0-1.el9.nosrc.rpm", "kernel", "5.14.0-1.el9"),
        // not a source rpm name: the package is its own source
        Arguments.of("(none)", "python3-libs", null),
        Arguments.of("-1-2.src.rpm", "python3-libs", null),
        Arguments.of("a--2.src.rpm", "python3-libs", null),
        Arguments.of(null, "python3-libs", null));
  }

  @Test
  void marksTheGpgPubkeyPseudoPackage() throws Exception {
    assertThat(parser.parse(RpmHeaderBlob.of("gpg-pubkey", "fd431d51", "4ae0493b").bytes()).isPseudoPackage())
        .isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  @Timeout(1)
  void refusesHostileHeaders(String why, byte[] blob, String message) {
    assertThatThrownBy(() -> parser.parse(blob))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage(message);
  }

  static Stream<Arguments> refusesHostileHeaders() {
    byte[] good = RpmHeaderBlob.of("a", "1", "1").bytes();
    return Stream.of(
        Arguments.of("2^31 entries", preamble(0x80000000, 0),
            "rpm header claims 2147483648 index entries (allowed 1 to 65535)"),
        Arguments.of("2^32-1 entries", preamble(0xffffffff, 0xffffffff),
            "rpm header claims 4294967295 index entries (allowed 1 to 65535)"),
        Arguments.of("no entries", preamble(0, 0), "rpm header claims 0 index entries (allowed 1 to 65535)"),
        Arguments.of("a gigabyte of data", preamble(1, 0x40000000),
            "rpm header claims 1073741824 bytes of data (allowed 268435455)"),
        Arguments.of("more than the blob holds", withInt(good, 4, 4096),
            "rpm header claims 3 entries and 4096 bytes of data but the blob has only " + good.length + " bytes"),
        Arguments.of("shorter than the preamble", new byte[] {0, 0, 0, 1},
            "rpm header of 4 bytes is shorter than its preamble"),
        Arguments.of("an offset past the end",
            RpmHeaderBlob.of("a", "1", "1").entry(1022, 6, 1 << 20, 1).bytes(),
            "rpm header tag 1022 points at offset 1048576 outside its data store of 6 bytes"),
        Arguments.of("a negative offset",
            RpmHeaderBlob.of("a", "1", "1").entry(1022, 6, -8, 1).bytes(),
            "rpm header tag 1022 points at offset -8 outside its data store of 6 bytes"),
        Arguments.of("a string without its NUL", unterminated(),
            "rpm header tag 1002 has a string that runs past the data store"),
        Arguments.of("a string longer than the limit",
            RpmHeaderBlob.of("a", "1", "1").string(1014, "x".repeat(2000)).bytes(),
            "rpm header tag 1014 has a string longer than 1024 bytes"),
        Arguments.of("an epoch that is a string",
            RpmHeaderBlob.of("a", "1", "1").string(1003, "1").bytes(),
            "rpm header tag 1003 has type 6 and count 1, expected int32"),
        Arguments.of("an epoch cut off at the end",
            RpmHeaderBlob.of("a", "1", "1").entry(1003, 4, 4, 1).bytes(),
            "rpm header tag 1003 has a misaligned or truncated int32 at 4"),
        Arguments.of("a name that is an int", RpmHeaderBlob.of("a", "1", "1").entry(1000, 4, 0, 1).bytes(),
            "rpm header tag 1000 has type 4, expected a string"),
        Arguments.of("no release", new RpmHeaderBlob().string(1000, "a").string(1001, "1").bytes(),
            "rpm header has no name, version or release"));
  }

  private static byte[] preamble(int entries, int dataLength) {
    return ByteBuffer.allocate(8 + 64).putInt(entries).putInt(dataLength).array();
  }

  private static byte[] withInt(byte[] blob, int at, int value) {
    byte[] copy = blob.clone();
    ByteBuffer.wrap(copy).putInt(at, value);
    return copy;
  }

  // the release is the last string; dropping the data store's final NUL leaves it open
  private static byte[] unterminated() {
    byte[] blob = RpmHeaderBlob.of("a", "1", "1").bytes();
    byte[] copy = Arrays.copyOf(blob, blob.length - 1);
    ByteBuffer.wrap(copy).putInt(4, ByteBuffer.wrap(blob).getInt(4) - 1);
    return copy;
  }
}
