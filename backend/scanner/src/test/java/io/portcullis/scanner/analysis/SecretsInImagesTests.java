package io.portcullis.scanner.analysis;

import static io.portcullis.scanner.testing.OciLayout.layer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.OciLayoutImage;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventorySecret;
import io.portcullis.scanner.testing.FakeSecrets;
import io.portcullis.scanner.testing.OciLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Secrets through the whole analysis: every layer's (deleted ones flagged), the config's, and nowhere whole — not in
 * the inventory, not in the layer cache.
 */
class SecretsInImagesTests {

  @TempDir Path directory;
  final FakeSecrets fake = new FakeSecrets(42);

  @Test
  void aDeletedKeyAStorageKeyAndAWebhookInTheEnvironmentAreReportedRedacted() throws Exception {
    String key = fake.openSshKey("none");
    String accountKey = fake.azureAccountKey();
    String teams = fake.teamsWebhookPath();
    String appsettings = """
        {
          "Logging": { "LogLevel": { "Default": "Information" } },
          "ConnectionStrings": {
            "Storage": "%s"
          }
        }
        """.formatted(fake.azureConnectionString(accountKey));
    Path layout = directory.resolve("layout");
    List<Digest> layers = OciLayout.write(
        layout, "app", List.of("PATH=/usr/local/bin:/usr/bin", "TEAMS_WEBHOOK=" + fake.teamsWebhook(teams)),
        layer().file("etc/os-release", "ID=debian\nVERSION_ID=12\n").file("root/.ssh/id_rsa", key)
            .file("app/appsettings.json", appsettings),
        layer().file("root/.ssh/.wh.id_rsa", "").file("app/README.md", "# app\n"));
    Path cache = directory.resolve("cache");

    Inventory inventory = ImageAnalysis.withCache(new DirectoryLayerCache(cache))
        .analyze(OciLayoutImage.open(layout, "app", null));

    String base = layers.get(0).toString();
    assertThat(inventory.secrets())
        .extracting(InventorySecret::path, InventorySecret::rule, InventorySecret::severity, InventorySecret::line,
            InventorySecret::layer, InventorySecret::deletedInLaterLayer, InventorySecret::excerpt)
        .containsExactly(
            tuple("config:env:TEAMS_WEBHOOK", "teams-webhook-url", "high", null, null, false,
                "TEAMS_WEBHOOK=https://contoso.webhook.office.com/webhookb2/" + teams.substring(0, 4) + "*****"),
            tuple("app/appsettings.json", "azure-storage-connection-string", "critical", 4, base, false,
                "    \"Storage\": \"DefaultEndpointsProtocol=https;AccountName=contosoapp;AccountKey="
                    + accountKey.substring(0, 4) + "*****;EndpointSuffix=core.windows.net\""),
            tuple("root/.ssh/id_rsa", "private-key", "critical", 1, base, true, "-----BEGIN OPENSSH PRIVATE KEY-----"));
    assertThat(inventory.secretsNotShown()).isEmpty();
    assertThat(inventory.configuration().environmentNames()).containsExactly("PATH", "TEAMS_WEBHOOK");

    List<String> secrets = new ArrayList<>(List.of(accountKey, teams));
    secrets.addAll(List.of(key.split("\n")).subList(1, key.split("\n").length - 1));
    String json = JsonMapper.builder().build().writeValueAsString(inventory);
    assertThat(json).contains("\"secrets\"").contains("\"deletedInLaterLayer\":true");
    assertNoPieceOf(secrets, json, "the inventory");
    StringBuilder cached = new StringBuilder();
    try (Stream<Path> files = Files.walk(cache)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        cached.append(Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    assertThat(cached).as("the cache holds the layers' secrets, redacted")
        .contains("-----BEGIN OPENSSH PRIVATE KEY-----").contains("AccountKey=" + accountKey.substring(0, 4) + "*****");
    assertNoPieceOf(secrets, cached.toString(), "the layer cache");

    Inventory again =
        ImageAnalysis.withCache(new DirectoryLayerCache(cache)).analyze(OciLayoutImage.open(layout, "app", null));
    assertThat(again).as("the same secrets come out of the cache").isEqualTo(inventory);
  }

  @Test
  void aFileRewrittenByALaterLayerIsReportedInEachLayerAndAnOpaqueDirectoryHidesBoth() throws Exception {
    String first = fake.github('p');
    String second = fake.github('p');
    Path layout = directory.resolve("layout");
    List<Digest> layers = OciLayout.write(
        layout, "app",
        layer().file("app/.env", "GITHUB_TOKEN=" + first + "\n"),
        layer().file("app/.env", "# rotated\nGITHUB_TOKEN=" + second + "\n"));

    Inventory inventory = ImageAnalysis.withDefaults().analyze(OciLayoutImage.open(layout, "app", null));

    assertThat(inventory.secrets())
        .extracting(InventorySecret::layer, InventorySecret::line, InventorySecret::deletedInLaterLayer)
        .containsExactly(tuple(layers.get(0).toString(), 1, true), tuple(layers.get(1).toString(), 2, false));

    Path hidden = directory.resolve("hidden");
    OciLayout.write(
        hidden, "app",
        layer().file("app/.env", "GITHUB_TOKEN=" + first + "\n"),
        layer().file("app/.env", "GITHUB_TOKEN=" + second + "\n"),
        layer().file("app/.wh..wh..opq", "").file("app/run.sh", "#!/bin/sh\nexec /app/server\n"));
    assertThat(ImageAnalysis.withDefaults().analyze(OciLayoutImage.open(hidden, "app", null)).secrets())
        .hasSize(2).allSatisfy(s -> assertThat(s.deletedInLaterLayer()).isTrue());
  }

  @Test
  void aLayerKeepsAtMostAThousandSecretsAndSaysHowManyMoreItHad() throws Exception {
    OciLayout.Layer many = layer();
    many.file("app/a-first.env", tokens(25));
    for (int i = 0; i < 50; i++) {
      many.file("app/generated/f" + i + ".env", tokens(20));
    }
    Path layout = directory.resolve("layout");
    OciLayout.write(layout, "many", many);

    Inventory inventory = ImageAnalysis.withDefaults().analyze(OciLayoutImage.open(layout, "many", null));

    assertThat(inventory.secrets()).hasSize(FileFindings.MAX_SECRETS_PER_LAYER);
    assertThat(inventory.secretsNotShown()).singleElement()
        .satisfies(more -> assertThat(more.path() + " " + more.count()).isEqualTo("app/a-first.env 5"));
    assertThat(inventory.layers().get(0).problems())
        .containsExactly("20 more secrets in this layer not shown: at most 1000 are kept per layer");
  }

  private String tokens(int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append("TOKEN_").append(i).append('=').append(fake.github('s')).append('\n');
    }
    return text.toString();
  }

  /** No eight characters in a row of any secret are in the text. */
  private static void assertNoPieceOf(List<String> secrets, String text, String where) {
    for (String secret : secrets) {
      for (int i = 0; i + 8 <= secret.length(); i++) {
        assertThat(text).as(where).doesNotContain(secret.substring(i, i + 8));
      }
    }
  }
}
