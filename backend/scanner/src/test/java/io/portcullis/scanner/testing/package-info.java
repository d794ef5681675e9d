/**
 * Test support shared with the application's tests through the scanner's test-jar: a real registry
 * ({@link io.portcullis.scanner.testing.TestRegistry}: Debian's docker-registry, anonymous, Basic over TLS, or behind
 * the token flow), small images built in memory and pushed to it ({@link io.portcullis.scanner.testing.TestImages}),
 * and a throwaway certificate authority ({@link io.portcullis.scanner.testing.TestCertificateAuthority}).
 */
package io.portcullis.scanner.testing;
