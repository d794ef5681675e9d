package io.portcullis.scanner.analysis.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.testing.FakeSecrets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule on realistic fake secrets, and on the near misses that must stay quiet: placeholders, references,
 * low-entropy values, documentation examples, keys' cousins (certificates, public keys, code that names a key).
 */
class SecretRulesTests {

  private static final FakeSecrets FAKE = new FakeSecrets(20240501);

  /** A text, the rule it must fire (null: none), the secret it holds (must not appear whole), the expected excerpt. */
  record Case(String name, String text, String rule, String secret, String excerpt) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    List<Case> cases = new ArrayList<>();
    // private keys, in their files and embedded in JSON
    String rsa = FAKE.pem("RSA PRIVATE KEY", 600);
    cases.add(new Case("rsa key", rsa, "private-key", body(rsa), "-----BEGIN RSA PRIVATE KEY-----"));
    String ec = FAKE.pem("EC PRIVATE KEY", 121);
    cases.add(new Case("ec key", "# key\n" + ec, "private-key", body(ec), "-----BEGIN EC PRIVATE KEY-----"));
    String dsa = FAKE.pem("DSA PRIVATE KEY", 440);
    cases.add(new Case("dsa key", dsa, "private-key", body(dsa), "-----BEGIN DSA PRIVATE KEY-----"));
    String pkcs8 = FAKE.pem("PRIVATE KEY", 1200);
    cases.add(new Case("pkcs8 key", pkcs8, "private-key", body(pkcs8), "-----BEGIN PRIVATE KEY-----"));
    String openssh = FAKE.openSshKey("none");
    cases.add(new Case("openssh key", openssh, "private-key", body(openssh), "-----BEGIN OPENSSH PRIVATE KEY-----"));
    String pgp = FAKE.pem("PGP PRIVATE KEY BLOCK", "Comment: exported\n\n", FAKE.bytes(700));
    cases.add(new Case("pgp key", pgp, "private-key", body(pgp), "-----BEGIN PGP PRIVATE KEY BLOCK-----"));
    String json = "{\"type\": \"service_account\", \"private_key\": \"" + pkcs8.replace("\n", "\\n") + "\"}";
    cases.add(new Case("key in json", json, "private-key", body(pkcs8), "-----BEGIN PRIVATE KEY-----"));
    String opensshEncrypted = FAKE.openSshKey("aes256-ctr");
    cases.add(new Case("openssh key with passphrase", opensshEncrypted, "encrypted-private-key", body(opensshEncrypted),
        "-----BEGIN OPENSSH PRIVATE KEY-----"));
    String pkcs8Encrypted = FAKE.pem("ENCRYPTED PRIVATE KEY", 1250);
    cases.add(new Case("pkcs8 encrypted", pkcs8Encrypted, "encrypted-private-key", body(pkcs8Encrypted),
        "-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    String legacyEncrypted = FAKE.pem("RSA PRIVATE KEY", "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,"
        + FAKE.hex(32).toUpperCase() + "\n\n", FAKE.bytes(600));
    cases.add(new Case("rsa key with passphrase", legacyEncrypted, "encrypted-private-key", body(legacyEncrypted),
        "-----BEGIN RSA PRIVATE KEY-----"));

    // Azure
    String accountKey = FAKE.azureAccountKey();
    cases.add(new Case("storage connection string",
        "  \"Storage\": \"" + FAKE.azureConnectionString(accountKey) + "\",", "azure-storage-connection-string",
        accountKey, "  \"Storage\": \"DefaultEndpointsProtocol=https;AccountName=contosoapp;AccountKey="
            + accountKey.substring(0, 4) + "*****;EndpointSuffix=core.windows.net\","));
    String key2 = FAKE.azureAccountKey();
    cases.add(new Case("storage account key", "AZURE_STORAGE_KEY=" + key2, "azure-storage-account-key", key2,
        "AZURE_STORAGE_KEY=" + key2.substring(0, 4) + "*****"));
    String key3 = FAKE.azureAccountKey();
    cases.add(new Case("storage account key in yaml", "  accountKey: '" + key3 + "'", "azure-storage-account-key", key3,
        "  accountKey: '" + key3.substring(0, 4) + "*****'"));
    String signature = FAKE.azureSasSignature();
    String sasUrl = "https://contosoapp.blob.core.windows.net/backups?" + FAKE.azureSas(signature);
    cases.add(new Case("sas url", "BACKUP_URL=" + sasUrl, "azure-sas-token", signature,
        "BACKUP_URL=" + sasUrl.replace(signature, signature.substring(0, 4) + "*****")));
    cases.add(new Case("sas url on a long line: 80 characters each side", "x".repeat(200) + " BACKUP_URL=" + sasUrl,
        "azure-sas-token", signature,
        "…sco&sp=rwdlacupiytfx&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig="
            + signature.substring(0, 4) + "*****"));

    // Teams and Slack webhooks
    String teams = FAKE.teamsWebhookPath();
    cases.add(new Case("teams webhook", "webhook_url = \"" + FAKE.teamsWebhook(teams) + "\"", "teams-webhook-url",
        teams,
        "webhook_url = \"https://contoso.webhook.office.com/webhookb2/" + teams.substring(0, 4) + "*****\""));
    String workflow = FAKE.teamsWorkflowPath();
    cases.add(new Case("teams workflow", "notify: " + FAKE.teamsWorkflow(workflow), "teams-workflow-url", workflow,
        "notify: https://prod-12.westeurope.logic.azure.com:443/work*****"));
    String slackHook = FAKE.slackWebhookPath();
    cases.add(new Case("slack webhook", "SLACK_WEBHOOK=" + FAKE.slackWebhook(slackHook), "slack-webhook-url",
        slackHook.substring(slackHook.indexOf('/')), "SLACK_WEBHOOK=https://hooks.slack.com/serv*****"));
    String bot = FAKE.slackBotToken();
    cases.add(new Case("slack bot token", "slack.token=" + bot, "slack-token", bot, "slack.token=xoxb*****"));
    String user = FAKE.slackUserToken();
    cases.add(new Case("slack user token", "token: " + user, "slack-token", user, "token: xoxp*****"));

    // AWS
    String keyId = FAKE.awsAccessKeyId();
    cases.add(new Case("aws key id", "aws_access_key_id = " + keyId, "aws-access-key-id", keyId,
        "aws_access_key_id = AKIA*****"));
    String session = FAKE.awsSessionKeyId();
    cases.add(new Case("aws session key id", "\"AccessKeyId\": \"" + session + "\",", "aws-access-key-id", session,
        "\"AccessKeyId\": \"ASIA*****\","));
    String awsSecret = FAKE.awsSecretAccessKey();
    cases.add(new Case("aws secret key", "aws_secret_access_key = " + awsSecret, "aws-secret-access-key", awsSecret,
        "aws_secret_access_key = " + awsSecret.substring(0, 4) + "*****"));
    String awsSecret2 = FAKE.awsSecretAccessKey();
    cases.add(new Case("aws secret key in json", "{\"SecretAccessKey\": \"" + awsSecret2 + "\"}",
        "aws-secret-access-key", awsSecret2, "{\"SecretAccessKey\": \"" + awsSecret2.substring(0, 4) + "*****\"}"));

    // GitHub and GitLab
    for (char kind : "pousr".toCharArray()) {
      String token = FAKE.github(kind);
      cases.add(new Case("github gh" + kind, "GITHUB_TOKEN=" + token, "github-token", token,
          "GITHUB_TOKEN=" + token.substring(0, 4) + "*****"));
    }
    String fineGrained = FAKE.githubFineGrained();
    cases.add(new Case("github fine-grained", "machine github.com login x password " + fineGrained, "github-token",
        fineGrained, "machine github.com login x password gith*****"));
    String gitlab = FAKE.gitlab();
    cases.add(new Case("gitlab", "git clone https://oauth2:" + gitlab + "@gitlab.com/team/app.git", "gitlab-token",
        gitlab,
        "git clone https://oauth2:glpa*****@gitlab.com/team/app.git"));

    // registry credentials and passwords in URLs
    String auth = Base64.getEncoder().encodeToString(("deploy:" + FAKE.alnum(24)).getBytes(StandardCharsets.UTF_8));
    cases.add(new Case("docker config auth", "{\"auths\":{\"contoso.azurecr.io\":{\"auth\":\"" + auth + "\"}}}",
        "docker-registry-auth", auth,
        "{\"auths\":{\"contoso.azurecr.io\":{\"auth\":\"" + auth.substring(0, 4) + "*****\"}}}"));
    String dbPassword = FAKE.alnum(16);
    cases.add(new Case("database url", "DATABASE_URL=postgres://app:" + dbPassword + "@db.internal:5432/app",
        "url-credentials", dbPassword,
        "DATABASE_URL=postgres://app:" + dbPassword.substring(0, 4) + "*****@db.internal:5432/app"));

    // generic assignments
    String password = FAKE.alnum(20);
    cases.add(new Case("env password", "DB_PASSWORD=" + password, "generic-secret", password,
        "DB_PASSWORD=" + password.substring(0, 4) + "*****"));
    String properties = FAKE.alnum(16);
    cases.add(new Case("properties password", "spring.datasource.password=" + properties, "generic-secret", properties,
        "spring.datasource.password=" + properties.substring(0, 4) + "*****"));
    String apiKey = FAKE.hex(32);
    cases.add(new Case("json api key", "  \"apiKey\": \"" + apiKey + "\",", "generic-secret", apiKey,
        "  \"apiKey\": \"" + apiKey.substring(0, 4) + "*****\","));
    String shellToken = FAKE.alnum(24);
    cases.add(new Case("shell token", "export API_TOKEN='" + shellToken + "'", "generic-secret", shellToken,
        "export API_TOKEN='" + shellToken.substring(0, 4) + "*****'"));
    String clientSecret = FAKE.alnum(8) + "~" + FAKE.alnum(31);
    cases.add(new Case("yaml client secret", "    client_secret: " + clientSecret, "generic-secret", clientSecret,
        "    client_secret: " + clientSecret.substring(0, 4) + "*****"));

    // near misses
    cases.add(quiet("aws documented key id", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE"));
    cases.add(quiet("aws documented secret", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    cases.add(quiet("placeholder", "password=changeme"));
    cases.add(quiet("url with a variable", "DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app"));
    cases.add(quiet("url with a word", "proxy=http://user:pass@localhost:3128"));
    String userOnly = Base64.getEncoder().encodeToString("deploy-user-only".getBytes(StandardCharsets.UTF_8));
    cases.add(quiet("docker auth without a password", "{\"auth\": \"" + userOnly + "\"}"));
    cases.add(quiet("long placeholder", "DB_PASSWORD=changeme-in-production-2024"));
    cases.add(quiet("variable", "password: ${DB_PASSWORD}"));
    cases.add(quiet("template", "token: {{ .Values.apiToken }}"));
    cases.add(quiet("angle brackets", "api_key=<your-api-key-1234>"));
    cases.add(quiet("x-ed out", "token=xxxxxxxxxxxxxxxxxxxxxxxx"));
    cases.add(quiet("command substitution", "export TOKEN=$(cat /run/secrets/token)"));
    cases.add(quiet("environment lookup", "api_key = os.environ[\"API_KEY_2\"]"));
    cases.add(quiet("function call", "password = vault.read_secret2(\"db\")"));
    cases.add(quiet("property path", "apiKey: process.env.API_KEY2"));
    cases.add(quiet("short", "password=Summer2024"));
    cases.add(quiet("low entropy", "secret_key=aaaaaaaabbbbbbbb11111111"));
    cases.add(quiet("sequence", "password=abcd1234efgh5678"));
    cases.add(quiet("letters only", "token=correcthorsebatterystaple"));
    cases.add(quiet("path", "password_file=/run/secrets/db_password2"));
    cases.add(quiet("url", "token_url=https://login.microsoftonline.com/tenant1/oauth2/v2.0/token"));
    cases.add(quiet("comparison", "if (token == expectedToken123) {"));
    cases.add(quiet("enumerated value", "#password_encryption = scram-sha-256\t# scram-sha-256 or md5"));
    cases.add(quiet("type name", "  'secret_ref': 'V1LocalObjectReference',"));
    cases.add(quiet("variable name", "    self.enable_private_ipv6_access = enable_private_ipv6_access2"));
    cases.add(quiet("constant", "      \"token\": TEST_DATA_BASE64,"));
    cases.add(quiet("urn", "_AWS_SUBJECT_TOKEN_TYPE = \"urn:ietf:params:aws:token-type:aws4_request\""));
    cases.add(quiet("indexing", "auth = dict(Email=credentials[0], Passwd=credentials[1])"));
    cases.add(quiet("github filler", "GITHUB_TOKEN=gh" + "p_" + "a".repeat(36)));
    cases.add(new Case("slack documented webhook",
        "https://hooks.slack.com/services/T00000000/B00000000/" + "X".repeat(24), null, null, null));
    cases.add(quiet("slack placeholder token", "SLACK_TOKEN=xo" + "xb-your-token-here"));
    cases.add(quiet("short account key", "AccountKey=abc123=="));
    cases.add(quiet("sas without signature", "https://a.blob.core.windows.net/c?sv=2022-11-02&sp=r"));
    cases.add(new Case("key marker in code",
        "if (line.startsWith(\"-----BEGIN RSA PRIVATE KEY-----\")) {\n  return parse(line);\n}", null, null, null));
    cases.add(quiet("certificate", FAKE.pem("CERTIFICATE", 800)));
    cases.add(quiet("public key", FAKE.pem("PUBLIC KEY", 294)));
    return cases.stream().map(Arguments::of);
  }

  /** A near miss: a text no rule may report. */
  private static Case quiet(String name, String text) {
    return new Case(name, text, null, null, null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void findsWhatItMustAndNothingElse(Case c) {
    List<SecretDetector.Detection> found = new ArrayList<>();
    byte[] bytes = c.text().getBytes(StandardCharsets.UTF_8);
    SecretDetector.standard().scan(bytes, bytes.length, found::add);

    if (c.rule() == null) {
      assertThat(found).isEmpty();
      return;
    }
    assertThat(found).extracting(d -> d.rule().id()).containsExactly(c.rule());
    assertThat(found.get(0).excerpt()).isEqualTo(c.excerpt());
    assertNothingOf(c.secret(), found.get(0).excerpt());
  }

  /** No eight characters in a row of the secret are in the text. */
  static void assertNothingOf(String secret, String text) {
    for (int i = 0; i + 8 <= secret.length(); i++) {
      assertThat(text).as("a piece of the secret").doesNotContain(secret.substring(i, i + 8));
    }
  }

  /** The body of a PEM block, without its BEGIN and END lines. */
  private static String body(String pem) {
    String[] lines = pem.split("\n");
    return String.join("", java.util.Arrays.copyOfRange(lines, 1, lines.length - 1));
  }
}
