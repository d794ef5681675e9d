package io.portcullis.scanner.testing;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.UUID;

/**
 * Secrets in the shapes their issuers give them, made of seeded random characters: realistic enough for every rule,
 * never anyone's real credential. Prefixes are put together at run time so that this source file itself holds nothing a
 * secret scanner would flag.
 */
public final class FakeSecrets {

  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String HEX = "0123456789abcdef";

  private final Random random;

  public FakeSecrets(long seed) {
    this.random = new Random(seed);
  }

  public String alnum(int length) {
    return of(ALNUM, length);
  }

  public String hex(int length) {
    return of(HEX, length);
  }

  public String digits(int length) {
    return of("0123456789", length);
  }

  public String base64(int bytes) {
    return Base64.getEncoder().encodeToString(bytes(bytes));
  }

  public String guid() {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  /** A GitHub token with one of the prefixes {@code p}, {@code o}, {@code u}, {@code s}, {@code r}. */
  public String github(char kind) {
    return "gh" + kind + "_" + alnum(36);
  }

  /** A fine-grained GitHub personal access token. */
  public String githubFineGrained() {
    return "github" + "_pat_" + alnum(22) + "_" + alnum(59);
  }

  public String gitlab() {
    return "gl" + "pat-" + alnum(20);
  }

  public String awsAccessKeyId() {
    return "AK" + "IA" + of(UPPER, 16);
  }

  public String awsSessionKeyId() {
    return "AS" + "IA" + of(UPPER, 16);
  }

  public String awsSecretAccessKey() {
    return of(ALNUM + "+/", 40);
  }

  /** An Azure Storage account key: 64 random bytes in base64, 88 characters. */
  public String azureAccountKey() {
    return base64(64);
  }

  public String azureConnectionString(String key) {
    return "DefaultEndpointsProtocol=https;AccountName=contosoapp;AccountKey=" + key
        + ";EndpointSuffix=core.windows.net";
  }

  /** An account SAS query string; the signature is an HMAC-SHA256 in base64, URL-encoded. */
  public String azureSas(String signature) {
    return "sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z"
        + "&spr=https&sig=" + signature;
  }

  public String azureSasSignature() {
    return URLEncoder.encode(base64(32), StandardCharsets.UTF_8);
  }

  /** What follows {@code webhookb2/} in a Teams incoming webhook URL. */
  public String teamsWebhookPath() {
    return guid() + "@" + guid() + "/IncomingWebhook/" + hex(32) + "/" + guid() + "/V2" + alnum(40);
  }

  public String teamsWebhook(String path) {
    return "https://contoso.webhook.office.com/webhookb2/" + path;
  }

  /** What follows the host of a Teams workflow (Logic Apps) trigger URL. */
  public String teamsWorkflowPath() {
    return "workflows/" + hex(32) + "/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun"
        + "&sv=1.0&sig=" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
  }

  public String teamsWorkflow(String path) {
    return "https://prod-12.westeurope.logic.azure.com:443/" + path;
  }

  /** What follows {@code services/} in a Slack incoming webhook URL. */
  public String slackWebhookPath() {
    return "T" + of(UPPER, 8) + "/B" + of(UPPER, 10) + "/" + alnum(24);
  }

  public String slackWebhook(String path) {
    return "https://hooks.slack.com/services/" + path;
  }

  public String slackBotToken() {
    return "xo" + "xb-" + digits(12) + "-" + digits(13) + "-" + alnum(24);
  }

  public String slackUserToken() {
    return "xo" + "xp-" + digits(12) + "-" + digits(12) + "-" + digits(13) + "-" + hex(32);
  }

  /** A PEM block of {@code kind} ({@code RSA PRIVATE KEY}) around random bytes, 64 characters a line. */
  public String pem(String kind, int bytes) {
    return pem(kind, "", bytes(bytes));
  }

  /**
   * An OpenSSH private key: the {@code openssh-key-v1} header with {@code cipher} ({@code none} or {@code aes256-ctr}),
   * then random bytes, 70 characters a line as {@code ssh-keygen} writes them.
   */
  public String openSshKey(String cipher) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
    string(body, cipher);
    string(body, cipher.equals("none") ? "none" : "bcrypt");
    body.writeBytes(bytes(360));
    String base64 = Base64.getEncoder().encodeToString(body.toByteArray());
    StringBuilder pem = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
    for (int i = 0; i < base64.length(); i += 70) {
      pem.append(base64, i, Math.min(base64.length(), i + 70)).append('\n');
    }
    return pem.append("-----END OPENSSH PRIVATE KEY-----\n").toString();
  }

  /** A PEM block with headers ({@code Proc-Type: 4,ENCRYPTED}) between its first line and its body. */
  public String pem(String kind, String headers, byte[] content) {
    String base64 = Base64.getEncoder().encodeToString(content);
    StringBuilder pem = new StringBuilder("-----BEGIN " + kind + "-----\n").append(headers);
    for (int i = 0; i < base64.length(); i += 64) {
      pem.append(base64, i, Math.min(base64.length(), i + 64)).append('\n');
    }
    return pem.append("-----END ").append(kind).append("-----\n").toString();
  }

  public byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private String of(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  private static void string(ByteArrayOutputStream out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    out.write(bytes.length >>> 24);
    out.write(bytes.length >>> 16);
    out.write(bytes.length >>> 8);
    out.write(bytes.length);
    out.writeBytes(bytes);
  }
}
