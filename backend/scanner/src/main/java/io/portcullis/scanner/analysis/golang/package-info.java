/**
 * Go binaries: the build information Go's linker embeds in every executable it writes (Go 1.13 and later) names the
 * toolchain and, for binaries built in module mode, every module compiled in with its version. {@link
 * io.portcullis.scanner.analysis.golang.GoBinaryAnalyzer} finds them among the executables of a layer, wherever they
 * lie; the container formats (ELF, PE, Mach-O) are read only as far as needed to reach that information, forward, from
 * the layer's stream. The format follows Go's own {@code debug/buildinfo} and {@code runtime/debug.ParseBuildInfo}.
 * Like the other analyzers, everything read is bounded and a binary that cannot be read becomes a problem of its file.
 */
package io.portcullis.scanner.analysis.golang;
