/**
 * Advisories in the OSV format: {@link io.portcullis.scanner.advisory.OsvParser} checks one record against the OSV
 * schema within limits and gives it as an {@link io.portcullis.scanner.advisory.OsvRecord}, or a reason it was
 * rejected; {@link io.portcullis.scanner.advisory.OsvArchive} reads the records of an OSV export archive. Storing and
 * refreshing them is the platform's part; matching packages against them builds on these types.
 */
package io.portcullis.scanner.advisory;
