package io.portcullis.registry.internal;

import io.portcullis.registry.Connection;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistrySource;
import java.net.URI;
import org.springframework.stereotype.Component;

/** Opens Azure Container Registries through the Azure SDK with Entra ID credentials. */
@Component
class AzureRegistries {

  RegistrySource open(Connection connection, URI endpoint, String secret) throws RegistryException {
    throw new RegistryException(
        RegistryException.Kind.UNAVAILABLE, "signing in to an Azure Container Registry with Entra ID is not available yet");
  }
}
