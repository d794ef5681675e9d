package io.portcullis.scanner.analysis;

import io.portcullis.scanner.analysis.secret.ConfigSecrets;
import io.portcullis.scanner.analysis.secret.Secret;
import io.portcullis.scanner.image.Deadline;
import io.portcullis.scanner.image.Descriptor;
import io.portcullis.scanner.image.ImageSource;
import io.portcullis.scanner.image.LayerContents;
import io.portcullis.scanner.image.LayerException;
import io.portcullis.scanner.image.LayerLimits;
import io.portcullis.scanner.image.LayerReader;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventorySecret;
import io.portcullis.scanner.sbom.LayerApplier;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * From an image to its inventory: each layer streamed once through the analyzers, then the layers applied in order. A
 * layer that cannot be read fails the image with the reason; nothing partial is returned as if it were complete.
 */
public final class ImageAnalysis {

  private final LayerReader reader;
  private final List<Analyzer> analyzers;
  private final LayerCache cache;
  private final Duration timeLimit;

  /** Thirty minutes: a 10 GiB image over a slow link, with room to spare; a worker is never held longer. */
  public static final Duration DEFAULT_TIME_LIMIT = Duration.ofMinutes(30);

  public ImageAnalysis(List<Analyzer> analyzers, LayerLimits limits, LayerCache cache) {
    this(analyzers, limits, cache, DEFAULT_TIME_LIMIT);
  }

  private ImageAnalysis(List<Analyzer> analyzers, LayerLimits limits, LayerCache cache, Duration timeLimit) {
    this.analyzers = List.copyOf(analyzers);
    this.reader = new LayerReader(analyzers, limits);
    this.cache = cache;
    this.timeLimit = timeLimit;
    Deadline.after(timeLimit); // refuses a limit that is not positive now rather than at the first scan
  }

  /** The same analysis with another limit on the time one image may take, layers fetched and read. */
  public ImageAnalysis withTimeLimit(Duration limit) {
    return new ImageAnalysis(analyzers, reader.limits(), cache, limit);
  }

  public ImageAnalysis(List<Analyzer> analyzers, LayerLimits limits) {
    this(analyzers, limits, LayerCache.NONE);
  }

  public static ImageAnalysis withDefaults() {
    return withCache(LayerCache.NONE);
  }

  public static ImageAnalysis withCache(LayerCache cache) {
    return new ImageAnalysis(Analyzers.defaults(), LayerLimits.DEFAULT, cache);
  }

  public Inventory analyze(ImageSource image) throws ImageException {
    Deadline deadline = Deadline.after(timeLimit);
    List<LayerContents> layers = new ArrayList<>();
    List<Inventory.Layer> summaries = new ArrayList<>();
    int index = 0;
    ImageSource.Opened opened = image.opened();
    for (Descriptor layer : opened.manifest().layers()) {
      LayerCache.Key key = LayerCache.Key.of(layer.digest(), analyzers);
      int position = index;
      LayerContents contents = cache.load(key, () -> read(image, layer, position, deadline));
      layers.add(contents);
      summaries.add(new Inventory.Layer(
          index++, layer.digest().toString(), layer.size(), contents.entries(), problems(contents)));
    }
    LayerApplier.Applied applied = LayerApplier.apply(layers);
    String platform = opened.config().platform() == null ? null : opened.config().platform().toString();
    List<InventorySecret> secrets = new ArrayList<>();
    List<Inventory.SecretsNotShown> secretsNotShown = new ArrayList<>();
    ConfigSecrets config = opened.configuration().secrets();
    for (Secret secret : config.found()) {
      secrets.add(new InventorySecret(secret.rule(), secret.title(), secret.severity(), secret.path(), secret.line(),
          null, false, secret.excerpt()));
    }
    if (config.notShown() > 0) {
      secretsNotShown.add(new Inventory.SecretsNotShown("config", null, config.notShown()));
    }
    secrets.addAll(applied.secrets());
    secretsNotShown.addAll(applied.secretsNotShown());
    return new Inventory(
        opened.reference(), opened.digest().toString(), platform, applied.os(), opened.configuration(), applied.packages(),
        summaries, secrets, secretsNotShown);
  }

  /** What could not be read in a layer: the layer's own problems, then those of its files, in the layer's order. */
  private static List<String> problems(LayerContents contents) {
    List<String> problems = new ArrayList<>(contents.problems());
    contents.files().values().forEach(byAnalyzer -> byAnalyzer.values().forEach(f -> problems.addAll(f.problems())));
    return problems;
  }

  private LayerContents read(ImageSource image, Descriptor layer, int index, Deadline deadline) throws ImageException {
    if (deadline.passed()) {
      throw new ImageException("layer " + index + " (" + layer.digest() + ") was not read: the scan took longer than its limit of "
          + deadline.limit(), null);
    }
    try (InputStream in = image.layer(layer)) {
      return reader.read(layer.digest(), in, deadline);
    } catch (LayerException e) {
      throw new ImageException("layer " + index + " (" + layer.digest() + "): " + e.getMessage(), e);
    } catch (RegistryException e) {
      throw new ImageException("layer " + index + " (" + layer.digest() + ") could not be fetched: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ImageException("layer " + index + " (" + layer.digest() + ") could not be read: " + e.getMessage(), e);
    }
  }

  /** The image could not be analysed; the message says which layer and why. */
  public static final class ImageException extends Exception {
    public ImageException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
