package io.portcullis.findings;

import io.portcullis.scanner.analysis.config.ImageConfiguration;
import io.portcullis.scanner.sbom.InventorySecret;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration checks of an image and the risk its secrets and configuration add (docs/risk.md). A secret in any
 * layer counts even when a later layer deleted it: the layer, and the secret, can still be pulled.
 */
public final class ImageChecks {

  private ImageChecks() {}

  /** One failed check, with the risk it adds. */
  public record Check(String id, String title, String severity, int risk, String detail) {}

  public static List<Check> of(ImageConfiguration configuration) {
    List<Check> checks = new ArrayList<>();
    if (configuration == null) {
      return checks;
    }
    if (configuration.runsAsRoot()) {
      checks.add(new Check("runs-as-root", "Runs as root", "HIGH", 40,
          configuration.user() == null || configuration.user().isBlank()
              ? "No USER is set, so containers run as root: a container escape starts with the host's root."
              : "USER is " + configuration.user() + ", which is root."));
    }
    if (configuration.healthcheck() == null || configuration.healthcheck().isEmpty()) {
      checks.add(new Check("no-healthcheck", "No health check", "LOW", 10,
          "No HEALTHCHECK: a hung container is not restarted unless the orchestrator probes it."));
    }
    List<String> privileged = new ArrayList<>();
    for (String port : configuration.exposedPorts() == null ? List.<String>of() : configuration.exposedPorts()) {
      String number = port.contains("/") ? port.substring(0, port.indexOf('/')) : port;
      try {
        int value = Integer.parseInt(number);
        if (value > 0 && value < 1024) {
          privileged.add(port);
        }
      } catch (NumberFormatException e) {
        // a port the config cannot state is not ours to judge
      }
    }
    if (!privileged.isEmpty()) {
      checks.add(new Check("privileged-port", "Exposes a privileged port", "LOW", 10,
          "Ports below 1024 (" + String.join(", ", privileged) + ") need root or NET_BIND_SERVICE to bind."));
    }
    return checks;
  }

  /** The risk the configuration adds: that of its worst failed check. */
  public static int configRisk(ImageConfiguration configuration) {
    return of(configuration).stream().mapToInt(Check::risk).max().orElse(0);
  }

  /** The risk secrets add: critical 80, high 60, medium 40, low 20 — the worst one counts. */
  public static int secretsRisk(List<InventorySecret> secrets) {
    int risk = 0;
    for (InventorySecret secret : secrets) {
      String severity = secret.severity() == null ? "" : secret.severity().toUpperCase();
      risk = Math.max(risk, switch (severity) {
        case "CRITICAL" -> 80;
        case "HIGH" -> 60;
        case "MEDIUM" -> 40;
        default -> 20;
      });
    }
    return risk;
  }
}
