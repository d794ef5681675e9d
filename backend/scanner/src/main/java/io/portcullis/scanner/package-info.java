/**
 * The Portcullis scanner: reads OCI and Docker images layer by layer, finds OS and language packages, secrets and
 * configuration issues, and matches packages against advisories. A plain Java library and command-line tool, free of
 * Spring and of the database, so that the same engine runs in the platform, in CI pipelines and in benchmarks.
 */
package io.portcullis.scanner;
