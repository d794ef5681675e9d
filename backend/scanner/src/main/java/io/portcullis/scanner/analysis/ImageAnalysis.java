package io.portcullis.scanner.analysis;

import io.portcullis.scanner.image.Descriptor;
import io.portcullis.scanner.image.ImageSource;
import io.portcullis.scanner.image.LayerContents;
import io.portcullis.scanner.image.LayerException;
import io.portcullis.scanner.image.LayerLimits;
import io.portcullis.scanner.image.LayerReader;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.LayerApplier;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * From an image to its inventory: each layer streamed once through the analyzers, then the layers applied in order. A
 * layer that cannot be read fails the image with the reason; nothing partial is returned as if it were complete.
 */
public final class ImageAnalysis {

  private final LayerReader reader;

  public ImageAnalysis(List<Analyzer> analyzers, LayerLimits limits) {
    this.reader = new LayerReader(analyzers, limits);
  }

  public static ImageAnalysis withDefaults() {
    return new ImageAnalysis(Analyzers.defaults(), LayerLimits.DEFAULT);
  }

  public Inventory analyze(ImageSource image) throws ImageException {
    List<LayerContents> layers = new ArrayList<>();
    List<Inventory.Layer> summaries = new ArrayList<>();
    int index = 0;
    for (Descriptor layer : image.manifest().layers()) {
      LayerContents contents;
      try (InputStream in = image.layer(layer)) {
        contents = reader.read(layer.digest(), in);
      } catch (LayerException e) {
        throw new ImageException("layer " + index + " (" + layer.digest() + "): " + e.getMessage(), e);
      } catch (RegistryException e) {
        throw new ImageException("layer " + index + " (" + layer.digest() + ") could not be fetched: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new ImageException("layer " + index + " (" + layer.digest() + ") could not be read: " + e.getMessage(), e);
      }
      layers.add(contents);
      summaries.add(new Inventory.Layer(index++, layer.digest().toString(), layer.size(), contents.entries(), contents.problems()));
    }
    LayerApplier.Applied applied = LayerApplier.apply(layers);
    String platform = image.config().platform() == null ? null : image.config().platform().toString();
    return new Inventory(image.reference(), image.digest().toString(), platform, applied.os(), applied.packages(), summaries);
  }

  /** The image could not be analysed; the message says which layer and why. */
  public static final class ImageException extends Exception {
    public ImageException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
