package io.portcullis.scanner.analysis.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.analysis.LayerFile;
import io.portcullis.scanner.testing.FakeSecrets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which files are read, and how much of what is found in one is kept. */
class SecretAnalyzerTests {

  final SecretAnalyzer analyzer = new SecretAnalyzer();
  final FakeSecrets fake = new FakeSecrets(11);

  @ParameterizedTest(name = "{0} ({1} bytes): {2}")
  @CsvSource({
      "root/.ssh/id_rsa, 2602, true",
      "home/app/.ssh/id_ed25519, 411, true",
      "app/.env, 120, true",
      "app/appsettings.json, 2048, true",
      "app/appsettings.Production.json, 2048, true",
      "etc/ssl/private/ssl-cert-snakeoil.key, 1704, true",
      "srv/tls/server.pem, 3000, true",
      "opt/app/config/application.properties, 900, true",
      "opt/app/config/application.yml, 900, true",
      "usr/local/bin/entrypoint.sh, 700, true",
      "root/.aws/credentials, 116, true",
      "root/.docker/config.json, 200, true",
      "var/cache/debconf/passwords.dat, 300, true",
      "app/.git/config, 300, true",
      "app/node_modules/jsonwebtoken/test/priv.pem, 1700, false",
      "usr/lib/python3/dist-packages/certifi/cacert.pem, 300000, false",
      "usr/local/lib/python3.12/site-packages/x/key.pem, 1700, false",
      "usr/lib/python3.11/test/certdata/keycert.pem, 4000, false",
      "usr/local/go/src/crypto/tls/testdata/example-key.pem, 1700, false",
      "root/go/pkg/mod/github.com/x/y@v1.0.0/testdata/key.pem, 1700, false",
      "usr/share/doc/openssl/README, 4000, false",
      "var/lib/dpkg/status, 90000, false",
      "usr/bin/python3.11, 6000000, false",
      "usr/lib/x86_64-linux-gnu/libssl.so.3, 600000, false",
      "usr/lib/x86_64-linux-gnu/libz.so.1.3, 100000, false",
      "app/static/logo.png, 5000, false",
      "app/lib/app.jar, 5000, false",
      "var/log/app.log, 5000000, false",
      "app/empty.env, 0, false"
  })
  void choosesSmallTextFilesOutsideThirdPartyTrees(String path, long size, boolean read) {
    assertThat(analyzer.required(path, 0644, size)).isEqualTo(read);
  }

  @Test
  void aFileWithANulByteEarlyIsABinaryAndIsNotRead() throws IOException {
    String token = fake.github('p');
    byte[] binary = ("\u007fELF\u0000\u0002 GITHUB_TOKEN=" + token + "\n").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(analyze("usr/bin/tool", binary).secrets()).isEmpty();
    byte[] text = ("GITHUB_TOKEN=" + token + "\n").getBytes(StandardCharsets.UTF_8);
    assertThat(analyze("usr/bin/tool", text).secrets()).singleElement().satisfies(s -> {
      assertThat(s.rule()).isEqualTo("github-token");
      assertThat(s.severity()).isEqualTo("critical");
      assertThat(s.path()).isEqualTo("usr/bin/tool");
      assertThat(s.line()).isEqualTo(1);
      assertThat(s.excerpt()).isEqualTo("GITHUB_TOKEN=ghp_*****");
    });
  }

  @Test
  void atMostTwentySecretsOfAFileAreKeptAndTheRestCounted() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 75; i++) {
      text.append("key").append(i).append(" = ").append(fake.awsAccessKeyId()).append('\n');
    }
    FileFindings findings = analyze("app/keys.txt", text.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(findings.secrets()).hasSize(SecretAnalyzer.MAX_PER_FILE);
    assertThat(findings.secrets()).extracting(Secret::line).startsWith(1, 2, 3);
    assertThat(findings.secretsNotShown()).isEqualTo(55);
  }

  private FileFindings analyze(String path, byte[] content) throws IOException {
    FileFindings findings = new FileFindings();
    analyzer.analyze(new LayerFile(path, content.length, new ByteArrayInputStream(content)), findings);
    return findings;
  }
}
