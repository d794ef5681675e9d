/**
 * Operating-system package inventories: one parser per file format ({@link
 * io.portcullis.scanner.analysis.os.DpkgStatusParser} for {@code /var/lib/dpkg/status} and the distroless {@code
 * status.d/} files, {@link io.portcullis.scanner.analysis.os.ApkInstalledParser} for {@code /lib/apk/db/installed},
 * {@link io.portcullis.scanner.analysis.os.RpmSqliteDatabase}, {@link
 * io.portcullis.scanner.analysis.os.RpmBerkeleyDatabase} and {@link io.portcullis.scanner.analysis.os.RpmNdbDatabase}
 * for rpm's three database backends, all decoding the same header blobs with {@link
 * io.portcullis.scanner.analysis.os.RpmHeaderParser}, {@link io.portcullis.scanner.analysis.os.OsReleaseParser} for
 * {@code /etc/os-release}). Every {@link io.portcullis.scanner.analysis.os.OsPackage} records which parser found it and
 * in which file. The files come from untrusted image layers, so every parser reads a stream (the rpm databases: a local
 * file the caller spilled from the layer) within {@link io.portcullis.scanner.analysis.os.ReadLimits}, skips and counts records it cannot understand, and gives up with a {@link
 * io.portcullis.scanner.analysis.os.PackageDatabaseException} only when the input as a whole is unusable.
 */
package io.portcullis.scanner.analysis.os;
