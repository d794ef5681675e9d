package io.portcullis.scanner.analysis.golang;

import io.portcullis.scanner.analysis.Analyzer;
import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.analysis.LayerFile;
import io.portcullis.scanner.analysis.os.PackageDatabaseException;
import java.io.EOFException;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Go binaries wherever they lie: every executable file (any execute bit) is looked at, and those whose headers (ELF, PE
 * or Mach-O) lead to Go build information yield the standard library and the modules compiled in. Others — shell
 * scripts, C programs — yield nothing and cost a look at their first bytes.
 *
 * <p>The file is read forward once: its headers from the first {@value #HEADER_BYTES} bytes, then the data segments
 * where the build information lies; see {@link ExecutableStream} for when the bytes passed are kept.
 */
public final class GoBinaryAnalyzer implements Analyzer {

  /** Large Go binaries (cloud tools, Kubernetes' servers) reach 100 to 150 MiB; larger files are reported, not read. */
  public static final long MAX_FILE_BYTES = 256L << 20;

  /** ELF program headers, PE section tables and Mach-O load commands are all within the first bytes. */
  static final int HEADER_BYTES = 64 * 1024;

  private static final Pattern JAVA_ARCHIVE = Pattern.compile("[^/]\\.(?i:jar|war|ear|jpi|hpi|sar|par)$");

  private final GoBuildInfoReader reader = new GoBuildInfoReader(4 * 1024, 4 << 20, 20_000);

  @Override
  public String type() {
    return GoPackages.GO_BINARY;
  }

  @Override
  public int version() {
    return 1;
  }

  /** Never by the path alone: Go binaries have no name of their own. */
  @Override
  public boolean required(String path) {
    return false;
  }

  /**
   * Executables: links too (a link put in a binary's place removes what the binary said), which are never read. Not
   * Java archives made executable (Spring Boot's launch-script jars): the java-archive analyzer streams those, and a
   * file two analyzers read is held in memory whole for them to share.
   */
  @Override
  public boolean required(String path, int mode, long size) {
    return (mode & 0111) != 0 && !JAVA_ARCHIVE.matcher(path).find();
  }

  @Override
  public long maxFileBytes(long layerLimit) {
    return Math.max(layerLimit, MAX_FILE_BYTES);
  }

  @Override
  public void analyze(LayerFile file, FileFindings findings) throws IOException {
    read(file).ifPresent(result -> {
      if (result.info() != null) {
        GoPackages.record(result.info(), file.path(), findings);
      } else {
        findings.problem(file.path() + ": " + result.problem());
      }
    });
  }

  /** The build information, a problem, or empty for a file that is not a Go binary. */
  Optional<Result> read(LayerFile file) throws IOException {
    byte[] prefix = file.content().readNBytes((int) Math.min(HEADER_BYTES, Math.max(0, file.size())));
    long size = Math.max(file.size(), prefix.length);
    Optional<Executable> executable = Executable.of(prefix, size);
    if (executable.isEmpty()) {
      return Optional.empty();
    }
    try (ExecutableStream stream = new ExecutableStream(file.content(), size, prefix)) {
      if (executable.get().goBuildId()) {
        stream.keepWhatIsPassed();
      }
      return reader.read(executable.get(), stream).map(info -> new Result(info, null));
    } catch (PackageDatabaseException | EOFException e) {
      return Optional.of(new Result(null, e.getMessage()));
    } catch (RuntimeException e) {
      // hostile headers that slipped past a check must cost this file, never the layer
      return Optional.of(new Result(null, "the executable could not be read: " + e));
    }
  }

  /** What one executable gave: its build information, or the reason it could not be read. */
  record Result(GoBuildInfo info, String problem) {}
}
