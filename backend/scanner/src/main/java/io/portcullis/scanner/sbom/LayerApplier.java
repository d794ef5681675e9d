package io.portcullis.scanner.sbom;

import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.analysis.os.OsPackage;
import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.analysis.secret.Secret;
import io.portcullis.scanner.image.LayerContents;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies layers in order, as a container runtime would: a whiteout deletes a path (and what is under it) from the layers
 * below, an opaque directory hides everything below it, and a file written again replaces what the older copy said. What
 * survives is the image's inventory; every package keeps the layer its file came from. Secrets are the exception: every
 * layer's are reported, whether or not the file survives, because a deleted file's bytes remain in its layer.
 */
public final class LayerApplier {

  /** The package types whose purl is made here, in the distribution's namespace. */
  private static final Set<String> OS_TYPES = Set.of("deb", "apk", "rpm");

  private LayerApplier() {}

  /** The surviving findings of {@code layers} (base first), with purls in the distribution's namespace. */
  public static Applied apply(List<LayerContents> layers) {
    // path → (layer digest, findings by analyzer); sorted so that "everything under a directory" is a range
    TreeMap<String, Placed> state = new TreeMap<>();
    List<PlacedSecret> secrets = new ArrayList<>();
    int index = 0;
    for (LayerContents layer : layers) {
      int layerIndex = index++;
      for (String directory : layer.opaqueDirectories()) {
        removeUnder(state, directory, false);
      }
      for (String deleted : layer.whiteouts()) {
        removeUnder(state, deleted, true);
      }
      String digest = layer.digest().toString();
      layer.files().forEach((path, findings) -> {
        Placed placed = Placed.replacing(state.get(path), digest, findings);
        state.put(path, placed);
        for (FileFindings found : findings.values()) {
          if (!found.secrets().isEmpty() || found.secretsNotShown() > 0) {
            secrets.add(new PlacedSecret(layerIndex, path, digest, placed, found));
          }
        }
      });
    }
    OsRelease os = null;
    for (String releaseFile : List.of("usr/lib/os-release", "etc/os-release")) {
      Placed placed = state.get(releaseFile);
      if (placed != null) {
        for (FileFindings findings : placed.findings().values()) {
          if (findings.osRelease() != null) {
            os = findings.osRelease();
          }
        }
      }
    }
    List<InventoryPackage> packages = new ArrayList<>();
    for (Placed placed : state.values()) {
      for (FileFindings findings : placed.findings().values()) {
        for (FoundPackage found : findings.packages()) {
          packages.add(place(found, placed.introducedBy().get(key(found)), os));
        }
      }
    }
    packages.sort(Comparator.comparing(InventoryPackage::type).thenComparing(InventoryPackage::name)
        .thenComparing(InventoryPackage::version, Comparator.nullsFirst(Comparator.naturalOrder())));
    secrets.sort(Comparator.comparingInt(PlacedSecret::layerIndex).thenComparing(PlacedSecret::path));
    List<InventorySecret> inventorySecrets = new ArrayList<>();
    List<Inventory.SecretsNotShown> notShown = new ArrayList<>();
    for (PlacedSecret placed : secrets) {
      // a later layer that deleted or rewrote the path left another placement (or none) in the final state
      boolean deleted = state.get(placed.path()) != placed.placed();
      for (Secret secret : placed.findings().secrets()) {
        inventorySecrets.add(new InventorySecret(secret.rule(), secret.title(), secret.severity(), secret.path(),
            secret.line(), placed.layer(), deleted, secret.excerpt()));
      }
      if (placed.findings().secretsNotShown() > 0) {
        notShown.add(new Inventory.SecretsNotShown(placed.path(), placed.layer(), placed.findings().secretsNotShown()));
      }
    }
    return new Applied(os, packages, inventorySecrets, notShown);
  }

  /**
   * The distribution and the packages that survived; the secrets of every layer, by layer, path and line.
   */
  public record Applied(
      OsRelease os, List<InventoryPackage> packages, List<InventorySecret> secrets,
      List<Inventory.SecretsNotShown> secretsNotShown) {}

  /** A file's secrets in one layer, and the placement that tells whether a later layer took the file away. */
  private record PlacedSecret(int layerIndex, String path, String layer, Placed placed, FileFindings findings) {}

  /**
   * A file's current findings, and for each package the layer that introduced it. A package database is rewritten
   * whole by every layer that installs something; a package already listed by the older copy keeps the older layer.
   */
  private record Placed(Map<String, FileFindings> findings, Map<String, String> introducedBy) {

    static Placed replacing(Placed older, String layer, Map<String, FileFindings> findings) {
      Map<String, String> introducedBy = new LinkedHashMap<>();
      for (FileFindings f : findings.values()) {
        for (FoundPackage found : f.packages()) {
          String key = key(found);
          introducedBy.put(key, older != null && older.introducedBy().containsKey(key) ? older.introducedBy().get(key) : layer);
        }
      }
      return new Placed(findings, introducedBy);
    }
  }

  /**
   * A package within one file's findings. The checksum is part of it: a jar rewritten with other bytes under the same
   * version (a rebuilt snapshot) was brought by the layer that rewrote it, while the same bytes copied again (a later
   * {@code chown -R}) stay with the layer that first had them.
   */
  private static String key(FoundPackage found) {
    return found.type() + "\u0000" + found.name() + "\u0000" + found.version() + "\u0000" + found.architecture()
        + "\u0000" + found.checksum();
  }

  private static void removeUnder(TreeMap<String, Placed> state, String path, boolean itself) {
    if (path.isEmpty()) {
      state.clear(); // an opaque root hides every lower layer
      return;
    }
    if (itself) {
      state.remove(path);
    }
    String prefix = path + "/";
    Iterator<String> under = state.tailMap(prefix, true).keySet().iterator();
    while (under.hasNext() && under.next().startsWith(prefix)) {
      under.remove();
    }
  }

  private static InventoryPackage place(FoundPackage found, String layer, OsRelease os) {
    return new InventoryPackage(
        found.type(),
        found.name(),
        found.version(),
        purl(found, os),
        found.architecture(),
        found.sourceName(),
        found.sourceVersion(),
        found.license(),
        found.foundBy(),
        found.path(),
        layer,
        found.checksum(),
        found.vendor());
  }

  /**
   * The package URL. OS packages are named in their distribution's namespace ({@code pkg:deb/debian/…?distro=debian-12}),
   * which only the merged image knows; language packages bring their own.
   */
  static String purl(FoundPackage found, OsRelease os) {
    if (found.purl() != null || !OS_TYPES.contains(found.type())) {
      return found.purl(); // a language package without one (a jar known by its file name only) stays without
    }
    String namespace = os != null ? os.id() : found.type().equals("apk") ? "alpine" : null;
    String distro = os != null && os.versionId() != null ? os.id() + "-" + os.versionId() : null;
    try {
      return new OsPackage(found.name(), found.version(), found.architecture(), found.sourceName(), found.sourceVersion(),
              found.license(), found.foundBy(), found.path())
          .purl(namespace, distro)
          .canonicalize();
    } catch (IllegalArgumentException e) {
      return null; // untrusted names that make no package URL: the package is still listed
    }
  }
}
