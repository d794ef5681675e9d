package io.portcullis.scanner.image.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An {@link SSLContext} that trusts exactly the certificates given in PEM, for registries signed by a private CA.
 * Exactly: when an administrator names the CA of a registry, a certificate from any public CA for that host is not
 * what they meant to trust. Host names are still verified by the HTTP client.
 */
final class TrustedCertificates {

  private TrustedCertificates() {}

  /** Throws {@link IllegalArgumentException} with a message for people when the text holds no usable certificate. */
  static SSLContext sslContext(String pem) {
    Collection<? extends Certificate> certificates;
    try {
      certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the trusted certificates are not valid PEM X.509 certificates", e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("the trusted certificates text holds no certificate");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("trusted-" + i++, certificate);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not build a TLS context from the trusted certificates", e);
    }
  }
}
