package io.portcullis.scanner.cli;

import io.portcullis.scanner.analysis.DirectoryLayerCache;
import io.portcullis.scanner.analysis.ImageAnalysis;
import io.portcullis.scanner.analysis.LayerCache;
import io.portcullis.scanner.image.DockerArchiveImage;
import io.portcullis.scanner.image.ImageSource;
import io.portcullis.scanner.image.OciLayoutImage;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryImage;
import io.portcullis.scanner.image.registry.Credentials;
import io.portcullis.scanner.image.registry.OciRegistry;
import io.portcullis.scanner.sbom.CycloneDx;
import io.portcullis.scanner.sbom.Inventory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scanner on the command line: {@code scan [options] IMAGE} prints the image's inventory as JSON.
 *
 * <pre>
 * IMAGE   oci:DIR[:TAG]                      an OCI image layout directory
 *         FILE.tar | docker-archive:FILE[:TAG] an archive written by docker save
 *         HOST[:PORT]/REPOSITORY[:TAG|@DIGEST] an image in a registry (https unless --plain-http)
 * --platform OS/ARCH[/VARIANT]   which image of a multi-platform index (default linux/amd64)
 * --username NAME                sign in to the registry; the password is read from standard input
 * --plain-http                   talk to the registry without TLS (a local test registry)
 * --format json|cyclonedx|table  the inventory as JSON (default), a CycloneDX 1.6 SBOM, or a table for people
 * --cache DIR                    keep each layer's results in DIR, by layer digest and analyzer versions
 * </pre>
 *
 * Exit codes: 0 inventory printed, 2 usage error, 3 the image could not be read or analysed.
 *
 * <p>{@code compare SCHEME} compares versions instead (see {@link CompareCommand}).
 */
public final class ScanCommand {

  private final PrintStream out;
  private final PrintStream err;
  private final java.io.InputStream in;
  private DockerArchiveImage archive;

  ScanCommand(PrintStream out, PrintStream err, java.io.InputStream in) {
    this.out = out;
    this.err = err;
    this.in = in;
  }

  public static void main(String[] args) {
    System.exit(new ScanCommand(System.out, System.err, System.in).run(args));
  }

  int run(String[] arguments) {
    if (arguments.length > 0 && arguments[0].equals("compare")) {
      return new CompareCommand(in, out, err).run(Arrays.asList(arguments).subList(1, arguments.length));
    }
    try {
      return scan(new ArrayDeque<>(Arrays.asList(arguments)));
    } catch (IllegalArgumentException e) {
      err.println("scan: " + e.getMessage());
      usage(err);
      return 2;
    }
  }

  private int scan(Deque<String> args) {
    String platform = null;
    String username = null;
    boolean plainHttp = false;
    String format = "json";
    String cache = null;
    String image = null;
    while (!args.isEmpty()) {
      String arg = args.pop();
      switch (arg) {
        case "--platform" -> platform = value(args, arg);
        case "--username" -> username = value(args, arg);
        case "--plain-http" -> plainHttp = true;
        case "--cache" -> cache = value(args, arg);
        case "--format" -> {
          format = value(args, arg);
          if (!format.equals("json") && !format.equals("cyclonedx") && !format.equals("table")) {
            throw new IllegalArgumentException("--format is json, cyclonedx or table");
          }
        }
        case "-h", "--help" -> {
          usage(out);
          return 0;
        }
        default -> {
          if (arg.startsWith("-") || image != null) {
            err.println("scan: unexpected argument " + arg);
            usage(err);
            return 2;
          }
          image = arg;
        }
      }
    }
    if (image == null || (platform != null && platform.isEmpty()) || (username != null && username.isEmpty())) {
      usage(err);
      return 2;
    }
    try {
      Inventory inventory;
      try {
        ImageAnalysis analysis =
            ImageAnalysis.withCache(cache == null ? LayerCache.NONE : new DirectoryLayerCache(Path.of(cache)));
        inventory = analysis.analyze(open(image, platform, username, plainHttp));
      } finally {
        if (archive != null) {
          archive.close();
        }
      }
      switch (format) {
        case "cyclonedx" -> out.println(CycloneDx.json(inventory));
        case "table" -> table(inventory);
        default -> out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(inventory));
      }
      return 0;
    } catch (RegistryException | ImageAnalysis.ImageException | IOException e) {
      err.println("scan: " + image + ": " + e.getMessage());
      return 3;
    }
  }

  private void table(Inventory inventory) {
    out.println(inventory.image() + "  " + inventory.digest() + "  " + inventory.platform()
        + (inventory.os() == null ? "" : "  " + inventory.os().id() + " " + (inventory.os().versionId() == null ? "" : inventory.os().versionId())));
    var run = inventory.configuration();
    out.println("runs as " + (run.user() == null ? "(no user: root)" : run.user()) + (run.runsAsRoot() ? "  ROOT" : "")
        + (run.exposedPorts().isEmpty() ? "" : "  ports " + String.join(",", run.exposedPorts()))
        + (run.baseImageName() == null ? "" : "  base " + run.baseImageName()));
    out.printf("%-6s %-40s %-32s %-18s %s%n", "TYPE", "NAME", "VERSION", "FOUND BY", "LAYER");
    for (var p : inventory.packages()) {
      out.printf("%-6s %-40s %-32s %-18s %s%n", p.type(), p.name(), p.version(), p.foundBy(),
          p.layer() == null ? "" : p.layer().substring(0, Math.min(19, p.layer().length())));
    }
    out.println(inventory.packages().size() + " packages in " + inventory.layers().size() + " layers");
    secrets(inventory);
    inventory.layers().forEach(l -> l.problems().forEach(problem -> out.println("layer " + l.index() + ": " + problem)));
  }

  /** The secrets section: where each one is, in which layer (and whether that copy was deleted), redacted. */
  private void secrets(Inventory inventory) {
    if (inventory.secrets().isEmpty() && inventory.secretsNotShown().isEmpty()) {
      return;
    }
    out.println();
    out.printf("%-8s %-32s %-48s %-19s %-7s %s%n", "SEVERITY", "SECRET", "WHERE", "LAYER", "DELETED", "EXCERPT");
    for (var s : inventory.secrets()) {
      String where = s.path() + (s.line() == null ? "" : ":" + s.line());
      String layer = s.layer() == null ? "config" : s.layer().substring(0, Math.min(19, s.layer().length()));
      out.printf("%-8s %-32s %-48s %-19s %-7s %s%n", s.severity(), s.rule(), where, layer,
          s.deletedInLaterLayer() ? "yes" : "", s.excerpt());
    }
    out.println(inventory.secrets().size() + " secrets");
    for (var more : inventory.secretsNotShown()) {
      out.println(more.count() + " more secrets in " + more.path() + " not shown");
    }
  }

  private ImageSource open(String image, String platform, String username, boolean plainHttp)
      throws RegistryException, IOException {
    if (image.startsWith("docker-archive:") || (image.endsWith(".tar") && Files.isRegularFile(Path.of(image)))) {
      String rest = image.startsWith("docker-archive:") ? image.substring("docker-archive:".length()) : image;
      int colon = rest.indexOf(':');
      archive = DockerArchiveImage.open(Path.of(colon > 0 ? rest.substring(0, colon) : rest), colon > 0 ? rest.substring(colon + 1) : null);
      return archive;
    }
    if (image.startsWith("oci:")) {
      String rest = image.substring(4);
      int colon = rest.lastIndexOf(':');
      boolean tagged = colon > 0 && !rest.substring(colon + 1).contains("/");
      return OciLayoutImage.open(Path.of(tagged ? rest.substring(0, colon) : rest), tagged ? rest.substring(colon + 1) : null, platform);
    }
    int slash = image.indexOf('/');
    if (slash < 1) {
      throw new IllegalArgumentException("name the registry: HOST/REPOSITORY[:TAG], or oci:DIR for a layout");
    }
    String host = image.substring(0, slash);
    String name = image.substring(slash + 1);
    String reference = "latest";
    int at = name.indexOf('@');
    if (at > 0) {
      reference = name.substring(at + 1);
      name = name.substring(0, at);
    } else {
      int colon = name.lastIndexOf(':');
      if (colon > 0) {
        reference = name.substring(colon + 1);
        name = name.substring(0, colon);
      }
    }
    OciRegistry.Settings settings = OciRegistry.Settings.of((plainHttp ? "http://" : "https://") + host);
    if (username != null) {
      settings = settings.withCredentials(Credentials.basic(username, readPassword()));
    }
    return RegistryImage.open(new OciRegistry(settings), name, reference, platform);
  }

  private String readPassword() throws IOException {
    String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    if (line == null || line.isEmpty()) {
      throw new IllegalArgumentException("--username needs the password on standard input");
    }
    return line;
  }

  private static String value(Deque<String> args, String option) {
    if (args.isEmpty()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.pop();
  }

  private static void usage(PrintStream stream) {
    stream.println("usage: portcullis-scan [--platform OS/ARCH[/VARIANT]] [--username NAME] [--plain-http] [--format json|cyclonedx|table] [--cache DIR] IMAGE");
    stream.println("  IMAGE is oci:DIR[:TAG], FILE.tar (docker save) or HOST[:PORT]/REPOSITORY[:TAG|@DIGEST]");
    stream.println("   or: compare SCHEME < PAIRS   (versions A<TAB>B per line; prints -1, 0 or 1 per line)");
  }
}
