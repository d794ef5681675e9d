/**
 * From an inventory to vulnerability matches. One {@link io.portcullis.scanner.matching.Matcher} per kind of package
 * decides where its advisories are filed (a Debian package under {@code Debian:12} by its source name, a jar under
 * {@code Maven} by {@code group:artifact}) and which version is compared; {@link
 * io.portcullis.scanner.matching.AffectedVersions} evaluates an OSV affected entry exactly as the OSV schema defines it,
 * with the version scheme of the ecosystem. Every match carries its evidence as data.
 */
package io.portcullis.scanner.matching;
