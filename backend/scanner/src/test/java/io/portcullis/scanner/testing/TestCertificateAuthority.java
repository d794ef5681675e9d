package io.portcullis.scanner.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for tests: issues server certificates for loopback TLS and signing certificates
 * for JWTs. EC P-256 keys, valid for a day. Each test that needs "a CA the client does not trust" makes another one.
 */
public final class TestCertificateAuthority {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final KeyPair keys;
  private final X500Name name;
  private final X509Certificate certificate;

  private TestCertificateAuthority(String commonName) {
    this.keys = newKeyPair();
    this.name = new X500Name("CN=" + commonName);
    try {
      X509v3CertificateBuilder builder = builder(name, name, keys);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      this.certificate = sign(builder, keys.getPrivate());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static TestCertificateAuthority create(String commonName) {
    return new TestCertificateAuthority(commonName);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA certificate in PEM, what a client is told to trust. */
  public String certificatePem() {
    return pem("CERTIFICATE", certificate);
  }

  /** A TLS server certificate for {@code localhost} and {@code 127.0.0.1}. */
  public Issued issueServerCertificate() {
    return issue("localhost", List.of(
        new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")), true);
  }

  /** A certificate for signing (JWTs), without server names. */
  public Issued issueSigningCertificate(String commonName) {
    return issue(commonName, List.of(), false);
  }

  private Issued issue(String commonName, List<GeneralName> names, boolean server) {
    KeyPair leafKeys = newKeyPair();
    try {
      X509v3CertificateBuilder builder = builder(name, new X500Name("CN=" + commonName), leafKeys);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      if (server) {
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      }
      if (!names.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      return new Issued(sign(builder, keys.getPrivate()), leafKeys.getPrivate(), certificate);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate this authority issued, with its private key. */
  public record Issued(X509Certificate certificate, PrivateKey privateKey, X509Certificate issuer) {

    /** The certificate followed by its issuer, as a TLS server presents its chain. */
    public String chainPem() {
      return pem("CERTIFICATE", certificate) + pem("CERTIFICATE", issuer);
    }

    /** The private key as PKCS #8 PEM. */
    public String privateKeyPem() {
      return pem("PRIVATE KEY", privateKey.getEncoded());
    }

    /** The DER certificate, base64 (not URL-safe), as a JWT's {@code x5c} header carries it. */
    public String certificateBase64() {
      try {
        return Base64.getEncoder().encodeToString(certificate.getEncoded());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        subjectKeys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("could not sign a test certificate", e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, X509Certificate certificate) {
    try {
      return pem(type, certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
