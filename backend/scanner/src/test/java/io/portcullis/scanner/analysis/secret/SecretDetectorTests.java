package io.portcullis.scanner.analysis.secret;

import static io.portcullis.scanner.analysis.secret.SecretRulesTests.assertNothingOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.portcullis.scanner.testing.FakeSecrets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Excerpts never show a secret, even a neighbour's; long and hostile lines cost time in proportion to their length. */
class SecretDetectorTests {

  final FakeSecrets fake = new FakeSecrets(7);

  @Test
  void everySecretOfALineIsRedactedInEveryExcerpt() {
    String id = fake.awsAccessKeyId();
    String secret = fake.awsSecretAccessKey();
    String token = fake.github('p');
    List<SecretDetector.Detection> found =
        scan("creds: aws_access_key_id=" + id + " aws_secret_access_key=" + secret + " gh=" + token);
    assertThat(found).extracting(d -> d.rule().id())
        .containsExactlyInAnyOrder("aws-access-key-id", "aws-secret-access-key", "github-token");
    for (SecretDetector.Detection detection : found) {
      assertThat(detection.excerpt()).isEqualTo("creds: aws_access_key_id=AKIA***** aws_secret_access_key="
          + secret.substring(0, 4) + "***** gh=ghp_*****");
    }
  }

  @Test
  void valuesOfAQueryStringEndAtTheAmpersand() {
    String token = fake.alnum(14);
    String secret = fake.alnum(22);
    List<SecretDetector.Detection> found =
        scan("https://127.0.0.1/callback?oauth_token=" + token + "&oauth_token_secret=" + secret + "&x=1");
    assertThat(found).hasSize(2).allSatisfy(d -> assertThat(d.excerpt()).isEqualTo(
        "https://127.0.0.1/callback?oauth_token=" + token.substring(0, 4) + "*****&oauth_token_secret="
            + secret.substring(0, 4) + "*****&x=1"));
  }

  @Test
  void tokensNoRuleKnowsAreCutFromTheContext() {
    // the credentials file the AWS console offers for download: the secret has no name a rule could go by
    String id = fake.awsAccessKeyId();
    String secret = fake.awsSecretAccessKey();
    List<SecretDetector.Detection> found =
        scan("User name,Password,Access key ID,Secret access key,Console login link\ndeploy,," + id + "," + secret
            + ",https://123456789012.signin.aws.amazon.com/console");
    assertThat(found).singleElement().satisfies(d -> {
      assertThat(d.rule().id()).isEqualTo("aws-access-key-id");
      assertThat(d.line()).isEqualTo(2);
      assertNothingOf(secret, d.excerpt());
      assertThat(d.excerpt()).startsWith("deploy,,AKIA*****," + secret.substring(0, 4) + "*****,https://");
    });
  }

  @Test
  void aSecretInTheMiddleOfAMegabyteLineIsFoundWithABoundedExcerpt() {
    String token = fake.github('s');
    String line = "var a=\"" + "x".repeat(500_000) + "\";var t=\"" + token + "\";" + "y".repeat(500_000);
    List<SecretDetector.Detection> found = scan(line);
    assertThat(found).singleElement().satisfies(d -> {
      assertThat(d.rule().id()).isEqualTo("github-token");
      assertThat(d.excerpt()).startsWith("…").endsWith("…").contains("ghs_*****").hasSizeLessThan(250);
    });
  }

  @Test
  void aSecretAcrossTheBoundaryOfTwoWindowsIsFoundOnce() {
    for (int offset = SecretDetector.WINDOW - 60; offset <= SecretDetector.WINDOW + 10; offset += 7) {
      String token = fake.github('p');
      String line = "x".repeat(offset) + " " + token + " " + "z".repeat(20_000);
      assertThat(scan(line)).as("at " + offset).singleElement()
          .extracting(d -> d.rule().id()).isEqualTo("github-token");
    }
  }

  @Test
  void controlCharactersInAnExcerptAreShownAsQuestionMarks() {
    String token = fake.github('p');
    assertThat(scan("\u001b[31mTOKEN=" + token + "\u202e")).singleElement()
        .satisfies(d -> assertThat(d.excerpt()).isEqualTo("?[31mTOKEN=ghp_*****?"));
  }

  @Test
  void aKeyBodyIsLookedForPastItsHeadersAndNoFurther() {
    String headers = "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n";
    String key = fake.pem("RSA PRIVATE KEY", headers, fake.bytes(600));
    assertThat(scan("prefix\n" + key)).singleElement().satisfies(d -> {
      assertThat(d.rule().id()).isEqualTo("encrypted-private-key");
      assertThat(d.line()).isEqualTo(2);
    });
    String far = "-----BEGIN PRIVATE KEY-----\n\n\n\n\n\n" + fake.pem("X", 300).split("\n")[1] + "\n";
    assertThat(scan(far)).as("body too far from the first line").isEmpty();
  }

  @Test
  void redactedTextHidesTheSecretsAndTheWholeBodyOfAKey() {
    String key = fake.pem("EC PRIVATE KEY", 121);
    String token = fake.gitlab();
    SecretDetector.Redaction redaction =
        SecretDetector.standard().redact("RUN echo \"" + token + "\" > /t && cat <<EOF > /k\n" + key + "EOF\nls");
    assertThat(redaction.detections()).extracting(d -> d.rule().id()).containsExactly("gitlab-token", "private-key");
    assertThat(redaction.text())
        .startsWith("RUN echo \"glpa*****\" > /t && cat <<EOF > /k\n-----BEGIN EC PRIVATE KEY-----*****\n*****\n")
        .endsWith("*****\nEOF\nls");
    assertNothingOf(token, redaction.text());
    assertNothingOf(key.split("\n")[1], redaction.text());
  }

  static Stream<Arguments> pathological() {
    int mib = 1 << 20;
    return Stream.of(
        Arguments.of("one character", (Supplier<String>) () -> "a".repeat(mib)),
        Arguments.of("assignments", (Supplier<String>) () -> "password=".repeat(mib / 9)),
        Arguments.of("assignments with values", (Supplier<String>) () -> "token: a1b2c3d4e5f6g7 ".repeat(mib / 23)),
        Arguments.of("key markers", (Supplier<String>) () -> "-----BEGIN PRIVATE KEY-----".repeat(mib / 27)),
        Arguments.of("key markers, one a line",
            (Supplier<String>) () -> "-----BEGIN RSA PRIVATE KEY-----\n".repeat(mib / 32)),
        Arguments.of("account key", (Supplier<String>) () -> "AccountKey=" + "A".repeat(mib)),
        Arguments.of("storage names", (Supplier<String>) () -> "storage_account_".repeat(mib / 16)),
        Arguments.of("sas starts", (Supplier<String>) () -> "sv=2020-01-01&".repeat(mib / 14) + "sig="),
        Arguments.of("workflow hosts",
            (Supplier<String>) () -> "https://a.logic.azure.com/".repeat(mib / 26) + "?sig="),
        Arguments.of("slack prefixes", (Supplier<String>) () -> "xoxb-1-".repeat(mib / 7)),
        Arguments.of("webhook hosts", (Supplier<String>) () -> "x.webhook.office.com/webhookb2/".repeat(mib / 31)),
        Arguments.of("base64", (Supplier<String>) () -> "QUJD".repeat(mib / 4)),
        Arguments.of("many short lines", (Supplier<String>) () -> "api_key=Zx9Qw8Er7Ty6\n".repeat(mib / 21)),
        Arguments.of("empty lines, then a key marker and a keyword",
            (Supplier<String>) () -> "\n".repeat(mib - 40) + "-----BEGIN token"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pathological")
  void aHostileMegabyteIsReadQuickly(String name, Supplier<String> text) {
    byte[] bytes = text.get().getBytes(StandardCharsets.UTF_8);
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      int[] count = {0};
      SecretDetector.standard().scan(bytes, bytes.length, d -> count[0]++);
    });
  }

  private static List<SecretDetector.Detection> scan(String text) {
    List<SecretDetector.Detection> found = new ArrayList<>();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    SecretDetector.standard().scan(bytes, bytes.length, found::add);
    return found;
  }
}
