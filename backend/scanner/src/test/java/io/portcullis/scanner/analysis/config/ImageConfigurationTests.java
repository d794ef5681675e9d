package io.portcullis.scanner.analysis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.portcullis.scanner.analysis.secret.ConfigSecrets;
import io.portcullis.scanner.analysis.secret.Secret;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.testing.FakeSecrets;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class ImageConfigurationTests {

  static final String CONFIG =
      """
      {"architecture":"amd64","os":"linux","created":"2024-05-01T12:00:00Z",
       "config":{"User":"%s","ExposedPorts":{"8080/tcp":{},"9090/tcp":{}},
         "Env":["PATH=/usr/local/bin:/usr/bin","DB_PASSWORD=hunter2-secret","NO_VALUE"],
         "Entrypoint":["/app/run"],"Cmd":["--serve"],
         "Healthcheck":{"Test":["CMD","curl","-f","http://localhost:8080/health"]},
         "Labels":{"org.opencontainers.image.base.name":"docker.io/library/debian:bookworm",
                   "org.opencontainers.image.base.digest":"sha256:%s","team":"payments"}},
       "rootfs":{"type":"layers","diff_ids":[]},
       "history":[{"created":"2024-04-30T10:00:00Z","created_by":"/bin/sh -c #(nop) ADD file:abc in / "},
                  {"created":"2024-05-01T11:00:00Z","created_by":"ENV API_TOKEN=ghp_abcdefSECRET","empty_layer":true},
                  {"created_by":"ARG NPM_TOKEN='quoted secret'","empty_layer":true},
                  {"created_by":"RUN apt-get install -y curl"}]}
      """;

  @org.junit.jupiter.api.Test
  void readsHowTheImageIsMeantToRunAndKeepsNoSecretValue() throws Exception {
    ImageConfiguration run = parse("1000:1000");

    assertThat(run.user()).isEqualTo("1000:1000");
    assertThat(run.runsAsRoot()).isFalse();
    assertThat(run.exposedPorts()).containsExactly("8080/tcp", "9090/tcp");
    assertThat(run.environmentNames()).containsExactly("PATH", "DB_PASSWORD", "NO_VALUE");
    assertThat(run.entrypoint()).containsExactly("/app/run");
    assertThat(run.command()).containsExactly("--serve");
    assertThat(run.healthcheck()).containsExactly("CMD", "curl", "-f", "http://localhost:8080/health");
    assertThat(run.baseImageName()).isEqualTo("docker.io/library/debian:bookworm");
    assertThat(run.baseImageDigest()).startsWith("sha256:");
    assertThat(run.labels()).containsEntry("team", "payments");
    assertThat(run.history()).hasSize(4);
    assertThat(run.history().get(0).created()).isEqualTo(Instant.parse("2024-04-30T10:00:00Z"));
    assertThat(run.history().get(1).createdBy()).isEqualTo("ENV API_TOKEN=…");
    assertThat(run.history().get(1).emptyLayer()).isTrue();
    assertThat(run.history().get(2).createdBy()).isEqualTo("ARG NPM_TOKEN=…");
    assertThat(run.history().get(3).createdBy()).isEqualTo("RUN apt-get install -y curl");

    String everything = JsonMapper.builder().build().writeValueAsString(run);
    assertThat(everything).doesNotContain("hunter2").doesNotContain("ghp_abcdef").doesNotContain("quoted secret");
  }

  @org.junit.jupiter.api.Test
  void secretsInTheConfigAreReportedRedactedAndNothingKeptShowsThem() throws Exception {
    FakeSecrets fake = new FakeSecrets(3);
    String teams = fake.teamsWebhookPath();
    String password = fake.alnum(18);
    String github = fake.github('p');
    String awsKey = fake.awsAccessKeyId();
    String slack = fake.slackWebhookPath();
    String apiKey = fake.alnum(32);
    Map<String, Object> config = Map.of(
        "architecture", "amd64", "os", "linux",
        "config", Map.of(
            "Env", List.of("PATH=/usr/bin", "TEAMS_WEBHOOK=" + fake.teamsWebhook(teams), "DB_PASSWORD=" + password),
            "Cmd", List.of("/app/run", "--api-key=" + apiKey),
            "Labels", Map.of("alerts", fake.slackWebhook(slack))),
        "history", List.of(
            Map.of("created_by", "RUN |1 GITHUB_TOKEN=" + github + " /bin/sh -c git clone https://github.com/team/app"),
            Map.of("created_by", "ENV AWS_ACCESS_KEY_ID=" + awsKey, "empty_layer", true)));
    JsonMapper json = JsonMapper.builder().build();

    ImageConfiguration run = ImageConfiguration.parse(json.writeValueAsBytes(config));

    assertThat(run.secrets().found()).extracting(Secret::path, Secret::rule, Secret::excerpt).containsExactlyInAnyOrder(
        tuple("config:env:TEAMS_WEBHOOK", "teams-webhook-url",
            "TEAMS_WEBHOOK=https://contoso.webhook.office.com/webhookb2/" + teams.substring(0, 4) + "*****"),
        tuple("config:env:DB_PASSWORD", "generic-secret", "DB_PASSWORD=" + password.substring(0, 4) + "*****"),
        tuple("config:cmd", "generic-secret", "--api-key=" + apiKey.substring(0, 4) + "*****"),
        tuple("config:label:alerts", "slack-webhook-url", "alerts=https://hooks.slack.com/serv*****"),
        tuple("config:history:0", "github-token",
            "RUN |1 GITHUB_TOKEN=ghp_***** /bin/sh -c git clone https://github.com/team/app"),
        tuple("config:history:1", "aws-access-key-id", "ENV AWS_ACCESS_KEY_ID=AKIA*****"));
    assertThat(run.secrets().found()).allSatisfy(s -> assertThat(s.line()).isNull());
    assertThat(run.command()).containsExactly("/app/run", "--api-key=" + apiKey.substring(0, 4) + "*****");
    assertThat(run.labels()).containsEntry("alerts", "https://hooks.slack.com/serv*****");
    assertThat(run.history().get(0).createdBy())
        .isEqualTo("RUN |1 GITHUB_TOKEN=ghp_***** /bin/sh -c git clone https://github.com/team/app");
    assertThat(run.history().get(1).createdBy()).isEqualTo("ENV AWS_ACCESS_KEY_ID=…");

    String shown = json.writeValueAsString(run);
    assertThat(shown).doesNotContain("\"secrets\"");
    for (String secret : List.of(teams, password, github, awsKey, slack, apiKey)) {
      for (int i = 0; i + 8 <= secret.length(); i++) {
        assertThat(shown).doesNotContain(secret.substring(i, i + 8));
      }
    }
  }

  @org.junit.jupiter.api.Test
  void atMostAHundredSecretsOfTheConfigAreKept() throws Exception {
    FakeSecrets fake = new FakeSecrets(5);
    List<String> environment = new ArrayList<>();
    for (int i = 0; i < 130; i++) {
      environment.add("TOKEN_" + i + "=" + fake.github('s'));
    }
    ConfigSecrets secrets = ImageConfiguration.parse(JsonMapper.builder().build()
        .writeValueAsBytes(Map.of("config", Map.of("Env", environment)))).secrets();
    assertThat(secrets.found()).hasSize(ConfigSecrets.MAX);
    assertThat(secrets.notShown()).isEqualTo(30);
  }

  @ParameterizedTest
  @CsvSource({"'', true", "root, true", "0, true", "0:0, true", "root:wheel, true", "1000, false", "app, false", "1000:0, false"})
  void whoRunsAsRoot(String user, boolean root) throws Exception {
    assertThat(parse(user).runsAsRoot()).isEqualTo(root);
  }

  @org.junit.jupiter.api.Test
  void aConfigThatIsNotJsonIsRefused() {
    assertThatThrownBy(() -> ImageConfiguration.parse("{not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("not valid JSON");
  }

  @org.junit.jupiter.api.Test
  void fieldsOfTheWrongTypeAreIgnored() throws Exception {
    ImageConfiguration run =
        ImageConfiguration.parse("{\"config\":{\"User\":7,\"Env\":\"x\",\"Labels\":[1],\"ExposedPorts\":[\"80\"]},\"history\":{}}"
            .getBytes(StandardCharsets.UTF_8));
    assertThat(run.user()).isNull();
    assertThat(run.runsAsRoot()).isTrue();
    assertThat(run.environmentNames()).isEmpty();
    assertThat(run.labels()).isEmpty();
    assertThat(run.history()).isEmpty();
  }

  private static ImageConfiguration parse(String user) throws Exception {
    return ImageConfiguration.parse(CONFIG.formatted(user, "ab".repeat(32)).getBytes(StandardCharsets.UTF_8));
  }
}
