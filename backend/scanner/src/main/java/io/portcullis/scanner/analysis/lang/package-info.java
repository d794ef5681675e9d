/**
 * Language-ecosystem package inventories: one parser per file format ({@link
 * io.portcullis.scanner.analysis.lang.NpmPackageLockParser} for {@code package-lock.json}, {@link
 * io.portcullis.scanner.analysis.lang.NpmPackageJsonParser} for an installed package's {@code package.json}, {@link
 * io.portcullis.scanner.analysis.lang.PythonMetadataParser} for {@code METADATA} and {@code PKG-INFO}, {@link
 * io.portcullis.scanner.analysis.lang.DotnetDepsParser} for {@code *.deps.json}). Every {@link
 * io.portcullis.scanner.analysis.lang.LanguagePackage} records which parser found it and in which file. Like the
 * {@code os} parsers, whose {@link io.portcullis.scanner.analysis.os.ReadLimits} and {@link
 * io.portcullis.scanner.analysis.os.PackageDatabaseException} these share, they read untrusted streams within limits,
 * skip and count entries they cannot understand, and fail only when the file as a whole is unusable. JSON is read
 * strictly: a repeated key fails the file, because two readers could otherwise see two different versions.
 */
package io.portcullis.scanner.analysis.lang;
