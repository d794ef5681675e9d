/**
 * How bad a vulnerability is: {@link io.portcullis.scanner.severity.Cvss} turns CVSS v2.0, v3.0, v3.1 and v4.0 vector
 * strings into scores and ratings exactly as FIRST's specifications and reference calculators do, and {@link
 * io.portcullis.scanner.severity.Severity} reads the severity words that advisory databases put in their records
 * (GitHub's {@code MODERATE}, Debian's {@code unimportant}, Red Hat's {@code Important}, Ubuntu's {@code negligible}).
 * Vectors come from advisory data we do not control, so parsing is strict, bounded and explains every rejection.
 */
package io.portcullis.scanner.severity;
