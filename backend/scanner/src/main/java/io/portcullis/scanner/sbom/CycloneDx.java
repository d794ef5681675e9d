package io.portcullis.scanner.sbom;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;

/**
 * An inventory as a CycloneDX 1.6 SBOM: the image is the subject, its distribution and packages are the components, and
 * each package carries its evidence (analyzer, file, layer) as {@code portcullis:*} properties.
 */
public final class CycloneDx {

  /** The checksum prefixes of {@link InventoryPackage#checksum()} and the CycloneDX algorithms they name. */
  private static final Map<String, Hash.Algorithm> ALGORITHMS =
      Map.of("sha1", Hash.Algorithm.SHA1, "sha256", Hash.Algorithm.SHA_256, "sha512", Hash.Algorithm.SHA_512);

  private CycloneDx() {}

  public static String json(Inventory inventory) {
    Bom bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + UUID.randomUUID());
    Metadata metadata = new Metadata();
    metadata.setTimestamp(new Date());
    Component image = new Component();
    image.setType(Component.Type.CONTAINER);
    image.setName(inventory.image());
    image.setVersion(inventory.digest());
    image.setBomRef(inventory.digest());
    List<Property> imageProperties = new ArrayList<>();
    if (inventory.platform() != null) {
      imageProperties.add(new Property("portcullis:platform", inventory.platform()));
    }
    if (inventory.configuration() != null) {
      imageProperties.add(new Property("portcullis:runsAsRoot", String.valueOf(inventory.configuration().runsAsRoot())));
      if (inventory.configuration().user() != null) {
        imageProperties.add(new Property("portcullis:user", inventory.configuration().user()));
      }
      if (inventory.configuration().baseImageName() != null) {
        imageProperties.add(new Property("portcullis:baseImage", inventory.configuration().baseImageName()));
      }
    }
    image.setProperties(imageProperties);
    metadata.setComponent(image);
    bom.setMetadata(metadata);

    List<Component> components = new ArrayList<>();
    if (inventory.os() != null) {
      Component os = new Component();
      os.setType(Component.Type.OPERATING_SYSTEM);
      os.setName(inventory.os().id());
      os.setVersion(inventory.os().versionId());
      os.setBomRef("os:" + inventory.os().id() + (inventory.os().versionId() == null ? "" : "@" + inventory.os().versionId()));
      components.add(os);
    }
    int index = 0;
    for (InventoryPackage p : inventory.packages()) {
      Component component = new Component();
      component.setType(Component.Type.LIBRARY);
      component.setName(p.name());
      component.setVersion(p.version());
      if (p.purl() != null) {
        component.setPurl(p.purl());
      }
      Hash hash = hash(p.checksum());
      if (hash != null) {
        component.addHash(hash);
      }
      // bom-refs must be unique; the same package can be installed twice (two node_modules folders)
      component.setBomRef((p.purl() != null ? p.purl() : p.type() + ":" + p.name() + "@" + p.version()) + "#" + index++);
      List<Property> properties = new ArrayList<>();
      properties.add(new Property("portcullis:foundBy", p.foundBy()));
      properties.add(new Property("portcullis:path", p.path()));
      properties.add(new Property("portcullis:layer", p.layer()));
      if (p.sourceName() != null && !p.sourceName().equals(p.name())) {
        properties.add(new Property("portcullis:sourceName", p.sourceName()));
      }
      if (p.sourceVersion() != null) {
        properties.add(new Property("portcullis:sourceVersion", p.sourceVersion()));
      }
      component.setProperties(properties);
      components.add(component);
    }
    bom.setComponents(components);
    try {
      return BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString();
    } catch (GeneratorException e) {
      throw new IllegalStateException("the SBOM could not be written", e);
    }
  }

  /** The checksum of the file a package is ({@code sha1:<hex>}) as a CycloneDX hash; null when there is none. */
  static Hash hash(String checksum) {
    int colon = checksum == null ? -1 : checksum.indexOf(':');
    Hash.Algorithm algorithm = colon < 0 ? null : ALGORITHMS.get(checksum.substring(0, colon));
    return algorithm == null ? null : new Hash(algorithm, checksum.substring(colon + 1));
  }
}
