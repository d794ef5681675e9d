package io.portcullis.scanner.sbom;

import io.portcullis.scanner.analysis.config.ImageConfiguration;
import io.portcullis.scanner.analysis.os.OsRelease;
import java.util.List;

/**
 * Everything found in an image, after its layers were applied in order. This is the scanner's stable output; its JSON
 * form is documented in docs/scanner.md.
 *
 * @param image the reference that was scanned, as given
 * @param digest the digest of the image manifest that was analysed (the platform's, for a multi-platform image)
 * @param platform {@code os/architecture[/variant]}
 * @param os the distribution, from os-release; null when the image has none
 * @param configuration how the image is meant to run: user, ports, environment names, entrypoint, labels, history
 * @param packages the installed packages, with their evidence
 * @param layers each layer in order, with what could not be read in it
 * @param secrets the secrets in the config and in every layer's files (deleted ones too), redacted
 * @param secretsNotShown where more secrets were found than are reported one by one
 */
public record Inventory(
    String image,
    String digest,
    String platform,
    OsRelease os,
    ImageConfiguration configuration,
    List<InventoryPackage> packages,
    List<Layer> layers,
    List<InventorySecret> secrets,
    List<SecretsNotShown> secretsNotShown) {

  /** An inventory without secrets: what images without a secrets analyzer, and tests of the rest, make. */
  public Inventory(
      String image, String digest, String platform, OsRelease os, ImageConfiguration configuration,
      List<InventoryPackage> packages, List<Layer> layers) {
    this(image, digest, platform, os, configuration, packages, layers, List.of(), List.of());
  }

  /** One layer of the image, base first. */
  public record Layer(int index, String digest, long size, long entries, List<String> problems) {}

  /**
   * How many more secrets a file (or the config, {@code path} {@code config}, {@code layer} null) held than the
   * {@code secrets} list shows.
   */
  public record SecretsNotShown(String path, String layer, int count) {}
}
