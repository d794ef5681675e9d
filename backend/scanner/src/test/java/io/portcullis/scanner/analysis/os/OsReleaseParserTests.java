package io.portcullis.scanner.analysis.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OsReleaseParserTests {

  private final OsReleaseParser parser = new OsReleaseParser();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        // distribution | file (\n for newlines) | id | versionId | versionCodename | prettyName
        "debian 12 | 'PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
            + "VERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\n'"
            + " | debian | 12 | bookworm | Debian GNU/Linux 12 (bookworm)",
        "debian testing without VERSION_ID | 'PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nNAME=\"Debian GNU/Linux\"\n"
            + "VERSION_CODENAME=trixie\nID=debian\n' | debian | null | trixie | Debian GNU/Linux trixie/sid",
        "alpine 3.21 | 'NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.21.3\nPRETTY_NAME=\"Alpine Linux v3.21\"\n'"
            + " | alpine | 3.21.3 | null | Alpine Linux v3.21",
        "ubuntu with ID_LIKE | 'NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\n"
            + "UBUNTU_CODENAME=jammy\nVERSION_CODENAME=jammy\nPRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\n'"
            + " | ubuntu | 22.04 | jammy | Ubuntu 22.04.4 LTS",
        "single quotes are literal | 'ID=x\nPRETTY_NAME=''It\\\"s $HOME''\n' | x | null | null | It\\\"s $HOME",
        // a backslash before any other character stays, as in a shell
        "escapes in double quotes | 'ID=x\nPRETTY_NAME=\"a \\\"b\\\" \\$c \\\\d \\a\"\n' | x | null | null | a \"b\" $c \\d \\a",
        "joined quoted and unquoted parts | 'ID=x\nPRETTY_NAME=My\" \"OS'' 1''\n' | x | null | null | My OS 1",
        "unquoted backslash escape | 'ID=x\nPRETTY_NAME=My\\ OS\n' | x | null | null | My OS",
        "comments blank lines and CRLF | '# comment\r\n\r\n  ID=fedora  \r\nVERSION_ID=40 # trailing\r\n'"
            + " | fedora | 40 | null | null",
        "no ID means linux | 'PRETTY_NAME=Linux\n' | linux | null | null | Linux",
        "later assignment wins | 'ID=a\nID=b\n' | b | null | null | null",
        "unterminated quote ignored | 'ID=debian\nPRETTY_NAME=\"broken\nVERSION_ID=12\n' | debian | 12 | null | null",
        "a command after a value ignored | 'ID=debian\nPRETTY_NAME=a b\n' | debian | null | null | null",
        "invalid keys ignored | 'ID=debian\n1D=x\nexport ID=y\nID =z\n' | debian | null | null | null",
        "empty file | '' | linux | null | null | null",
      })
  void parses(String why, String file, String id, String versionId, String codename, String prettyName)
      throws Exception {
    OsRelease release =
        parser.parse(new ByteArrayInputStream(file.replace("\\n", "\n").replace("\\r", "\r")
            .getBytes(StandardCharsets.UTF_8)), "/etc/os-release");

    assertThat(release).isEqualTo(new OsRelease(id, versionId, codename, prettyName));
  }

  @Test
  void stopsReadingAStreamThatClaimsAGigabyte() {
    HostileStreams.CountingStream stream = HostileStreams.repeating("ID=debian\n", "#\n", 1L << 30);

    assertThatThrownBy(() -> parser.parse(stream, "/etc/os-release"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageContaining("/etc/os-release");
    assertThat(stream.served()).isLessThan(ReadLimits.OS_RELEASE.maxBytes() + 64 * 1024);
  }

  @Test
  void ignoresATenMegabyteLine() throws Exception {
    String text = "ID=debian\nPRETTY_NAME=\"" + "a".repeat(10 << 20) + "\"\nVERSION_ID=12\n";
    OsReleaseParser roomy = new OsReleaseParser(new ReadLimits(64L << 20, 1000, 4096));

    OsRelease release = roomy.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "os-release");

    assertThat(release).isEqualTo(new OsRelease("debian", "12", null, null));
  }

  @Test
  void refusesBinaryGarbage() {
    byte[] garbage = {'I', 'D', '=', 0x7f, 0, 0x45, 'L', 'F'};

    assertThatThrownBy(() -> parser.parse(new ByteArrayInputStream(garbage), "/etc/os-release"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageContaining("/etc/os-release is not a text file");
  }
}
