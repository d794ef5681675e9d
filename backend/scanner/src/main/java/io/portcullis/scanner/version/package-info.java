/**
 * Version schemes, one per package format: a closed set, each with its own comparator, so that a matcher compares an
 * installed version with an advisory's bounds exactly as the package manager itself would. {@link VersionSchemes}
 * maps an OSV ecosystem name to its scheme. Every scheme rejects what its package manager rejects with an {@link
 * InvalidVersionException}, never by guessing: a wrong order is a missed or a false finding.
 */
package io.portcullis.scanner.version;
