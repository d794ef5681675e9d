package io.portcullis.registry.internal.acr;

import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A certificate for {@code localhost}, made once per test run. The SDK refuses to send a credential over plain HTTP, so
 * the fake registry and the fake Entra speak TLS with it, and the clients under test trust exactly this certificate.
 */
final class LoopbackTls {

  static final HeldCertificate CERTIFICATE =
      new HeldCertificate.Builder().commonName("localhost").addSubjectAlternativeName("localhost").build();

  private LoopbackTls() {}

  static SSLSocketFactory serverSockets() {
    return new HandshakeCertificates.Builder().heldCertificate(CERTIFICATE).build().sslSocketFactory();
  }

  static X509TrustManager clientTrust() {
    return new HandshakeCertificates.Builder().addTrustedCertificate(CERTIFICATE.certificate()).build().trustManager();
  }
}
