package io.portcullis.scanner.analysis.java;

import io.portcullis.scanner.analysis.java.JavaArchivePackage.Evidence;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * Reads a Java archive (jar, war, ear and their kin) from a stream, once, front to back, archives nested in it
 * included: nothing is written to disk and nothing is read twice.
 *
 * <p>A zip file's index (the central directory) is at its end, so a stream is read by its local headers instead, as
 * {@code java.util.jar.JarInputStream} does. Entries that matter are small ({@code pom.properties}, the manifest) or
 * are themselves archives, read recursively from the entry's bytes as they are unpacked. Other entries are passed
 * over: by their stated size without unpacking them when the local header gives it; an entry whose size follows its
 * data (a data descriptor, as the {@code jar} tool writes) is unpacked to find its end, which counts against the
 * limits.
 *
 * <p>The SHA-1 of every archive is computed on the way, over the bytes of that archive itself (for a nested jar, the
 * jar as its parent stores it, which is the file Maven Central serves).
 *
 * <p>Which package is the archive itself: the pom.properties whose artifact (and version) the file name carries; else
 * the only pom.properties when there is one (a war named {@code ROOT.war}); else what the manifest says; else the file
 * name. Every other pom.properties is a package shaded or assembled into the archive and is listed too, without the
 * archive's checksum, which is not theirs.
 *
 * <p>Everything about the archive is hostile: limits ({@link JavaArchiveLimits}) bound the nesting, the entries, the
 * unpacked bytes, the expansion of what is read and the size of what is kept; a breach or a malformed archive becomes
 * a problem, and what was found before it is kept. Entry names are only ever labels.
 */
public final class JavaArchiveReader {

  /** {@code PK\3\4}, the signature of a zip local file header, big-endian. */
  private static final int LOCAL_FILE_HEADER = 0x504b0304;
  /** {@code PK\5\6}, the end of the central directory: at the very start, an archive without entries. */
  private static final int END_OF_CENTRAL_DIRECTORY = 0x504b0506;
  /** The expansion of an entry is judged once it has produced this much: small entries of zeros are legitimate. */
  private static final long RATIO_GRACE_BYTES = 1 << 20;
  private static final int MAX_SHOWN_NAME = 200;

  private final JavaArchiveLimits limits;

  public JavaArchiveReader() {
    this(JavaArchiveLimits.DEFAULT);
  }

  public JavaArchiveReader(JavaArchiveLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Reads one archive file to its end.
   *
   * @param in the file's bytes; read to the end unless reading had to stop, never closed
   * @param path the file's path in the image: the start of every package's path and of every problem
   * @throws IOException only when {@code in} itself fails (the layer could not be read); anything wrong with the
   *     archive is a problem of the listing
   */
  public JavaArchiveListing read(InputStream in, String path) throws IOException {
    Scan scan = new Scan(path, new Source(in));
    try {
      scan.archive(scan.source, path, ArchiveFileName.of(path), 0);
    } catch (Stop stop) {
      // the limit that stopped the reading is already a problem; what was found before it stays
    }
    return scan.listing();
  }

  /** The reading of one file: its budget, and what it found. */
  private final class Scan {

    private final String path;
    private final Source source;
    private final List<JavaArchivePackage> packages = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int unlistedProblems;
    private boolean tooManyPackages;
    private long entries;
    private long unpacked;
    /** Set when a limit for the whole file is reached: every level stops. */
    private boolean exhausted;
    /** The nested archive stream that expanded too much, until the archive it feeds has reported it. */
    private EntryStream expanding;

    Scan(String path, Source source) {
      this.path = path;
      this.source = source;
    }

    /**
     * Reads one archive (the file or a nested one) from {@code raw} to its end, then lists its packages.
     *
     * @param depth 0 for the file, 1 for an archive in it, and so on
     * @throws Stop when a limit of the whole file was reached
     */
    void archive(InputStream raw, String label, String fileName, int depth) throws IOException, Stop {
      Hashing hashed = new Hashing(raw);
      Contents contents = new Contents();
      boolean whole = false;
      try {
        entries(hashed, label, depth, contents);
        hashed.transferTo(OutputStream.nullOutputStream()); // the central directory and anything after it
        whole = true;
      } catch (Stop e) {
        // below
      } catch (IOException | RuntimeException e) {
        // commons-compress throws unchecked exceptions on some malformed archives; they are this archive's problem
        failIfTheSourceFailed();
        if (!exhausted && expanding == null) {
          problem(label + ": " + reason(e));
          whole = finish(hashed);
        }
      }
      if (expanding != null && expanding.depth == depth) {
        problem(label + ": expands more than " + limits.maxCompressionRatio() + " times");
        expanding = null;
      }
      // else an archive this one is nested in expanded too much, and reports it
      if (exhausted && depth == 0 && !whole) {
        // the file's own bytes are read without unpacking anything: its checksum costs no more than the layer's
        whole = finish(hashed);
      }
      if (contents.zip) {
        identify(contents, label, fileName, whole ? hashed.checksum() : null);
      }
      if (exhausted) {
        throw new Stop();
      }
    }

    /** Reads the rest of an archive that could not be read as one, so that its checksum is still of all its bytes. */
    private boolean finish(Hashing hashed) throws IOException {
      try {
        hashed.transferTo(OutputStream.nullOutputStream());
        return true;
      } catch (IOException | RuntimeException e) {
        failIfTheSourceFailed();
        return false;
      }
    }

    private void entries(Hashing hashed, String label, int depth, Contents contents) throws IOException, Stop {
      InputStream start = zipStart(new BufferedInputStream(hashed, 8192));
      contents.zip = true;
      try (ZipArchiveInputStream zip = new JarStream(new Unclosable(start))) {
        ZipArchiveEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
          if (++entries > limits.maxEntries()) {
            exhausted(path + ": more than " + limits.maxEntries() + " entries in it and the archives in it; reading"
                + " stopped in " + label);
            throw new Stop();
          }
          entry(zip, entry, label, depth, contents);
        }
      }
    }

    private void entry(ZipArchiveInputStream zip, ZipArchiveEntry entry, String label, int depth, Contents contents)
        throws IOException, Stop {
      String name = entry.getName();
      if (name.length() > limits.maxNameLength()) {
        problem(label + ": skipped an entry whose name is longer than " + limits.maxNameLength() + " characters");
        skip(zip, entry, label);
        return;
      }
      if (entry.isDirectory() || entry.isUnixSymlink()) {
        skip(zip, entry, label);
        return;
      }
      String child = label + "!/" + printable(name);
      String lowerCase = name.toLowerCase(Locale.ROOT);
      if (PomProperties.is(lowerCase)) {
        pomProperties(zip, entry, child, contents);
      } else if (lowerCase.equals("meta-inf/manifest.mf") && contents.manifest == null) {
        manifest(zip, entry, child, contents);
      } else if (ArchiveFileName.isArchive(name)) {
        nested(zip, entry, label, child, depth);
      }
      skip(zip, entry, label);
    }

    private void pomProperties(ZipArchiveInputStream zip, ZipArchiveEntry entry, String child, Contents contents)
        throws IOException {
      if (!readable(zip, entry, child)) {
        return;
      }
      byte[] content = new EntryStream(zip, child, -1, false).readNBytes(limits.maxPomPropertiesBytes() + 1);
      if (content.length > limits.maxPomPropertiesBytes()) {
        problem(child + ": larger than " + limits.maxPomPropertiesBytes() + " bytes; not read");
        return;
      }
      try {
        Optional<MavenCoordinates> coordinates = PomProperties.parse(content);
        if (coordinates.isPresent()) {
          contents.poms.add(coordinates.get());
        } else {
          problem(child + ": no usable groupId, artifactId and version");
        }
      } catch (IllegalArgumentException e) {
        problem(child + ": not a properties file (" + printable(e.getMessage()) + ")");
      }
    }

    private void manifest(ZipArchiveInputStream zip, ZipArchiveEntry entry, String child, Contents contents)
        throws IOException {
      if (!readable(zip, entry, child)) {
        return;
      }
      byte[] mainSection = JarManifest.mainSection(new EntryStream(zip, child, -1, false), limits.maxManifestBytes());
      if (mainSection == null) {
        problem(child + ": main section larger than " + limits.maxManifestBytes() + " bytes; not read");
        return;
      }
      contents.manifest = JarManifest.parse(mainSection);
    }

    private void nested(ZipArchiveInputStream zip, ZipArchiveEntry entry, String label, String child, int depth)
        throws IOException, Stop {
      if (depth + 1 > limits.maxDepth()) {
        problem(child + ": nested more than " + limits.maxDepth() + " archives deep; not read");
        return;
      }
      if (!readable(zip, entry, child)) {
        return;
      }
      EntryStream in = new EntryStream(zip, child, depth + 1, true);
      archive(in, child, ArchiveFileName.of(entry.getName()), depth + 1);
      if (in.breached && !skippable(entry)) {
        throw new Unreadable(
            "stopped at " + quote(entry.getName()) + ", whose end cannot be found without unpacking all of it");
      }
    }

    /**
     * Passes over what is left of an entry. The library skips stored bytes by the size the local header states; an
     * entry that states its size only after its data is unpacked to find its end, within the file's limits.
     */
    private void skip(ZipArchiveInputStream zip, ZipArchiveEntry entry, String label) throws IOException {
      if (skippable(entry)) {
        return;
      }
      if (!javaMethod(entry) || !zip.canReadEntryData(entry)) {
        throw new Unreadable("stopped at " + quote(entry.getName()) + ", whose end cannot be found: it is "
            + unreadable(entry) + " and its size is only given after its data");
      }
      new EntryStream(zip, label, -1, false).transferTo(OutputStream.nullOutputStream());
    }

    private boolean readable(ZipArchiveInputStream zip, ZipArchiveEntry entry, String child) {
      if (javaMethod(entry) && zip.canReadEntryData(entry)) {
        return true;
      }
      problem(child + ": not read (" + unreadable(entry) + ")");
      return false;
    }

    private static String unreadable(ZipArchiveEntry entry) {
      if (entry.getGeneralPurposeBit().usesEncryption()) {
        return "encrypted";
      }
      if (!javaMethod(entry)) {
        return method(entry) + ", which Java archives do not use";
      }
      return "stored, with its size given only after its data";
    }

    /**
     * Stored or deflated: all that the JDK reads, so all that a class loader sees in a real jar. Other methods are
     * never unpacked here, which also keeps their decoders' memory (bzip2's blocks, zstd's native windows) out of
     * reach.
     */
    private static boolean javaMethod(ZipArchiveEntry entry) {
      return entry.getMethod() == ZipMethod.STORED.getCode() || entry.getMethod() == ZipMethod.DEFLATED.getCode();
    }

    /** Whether the library can pass over the entry by its stated size, without unpacking it. */
    private static boolean skippable(ZipArchiveEntry entry) {
      return !entry.getGeneralPurposeBit().usesDataDescriptor()
          && entry.getCompressedSize() != ArchiveEntry.SIZE_UNKNOWN;
    }

    private static String method(ZipArchiveEntry entry) {
      ZipMethod method = ZipMethod.getMethodByCode(entry.getMethod());
      return "compression method " + (method != null ? method.name().toLowerCase(Locale.ROOT) : entry.getMethod());
    }

    /**
     * Finds the first local file header, past a launch script that "fully executable" jars (Spring Boot's) put before
     * the archive. The archive's own offsets do not matter to a stream.
     */
    private InputStream zipStart(InputStream in) throws IOException {
      PushbackInputStream start = new PushbackInputStream(in, 4);
      int window = 0;
      long read = 0;
      int b;
      while ((b = start.read()) >= 0) {
        window = window << 8 | b;
        read++;
        if (read >= 4 && (window == LOCAL_FILE_HEADER || read == 4 && window == END_OF_CENTRAL_DIRECTORY)) {
          start.unread(new byte[] {'P', 'K', (byte) (window >> 8), (byte) window});
          return start;
        }
        if (read - 4 >= limits.maxPrefixBytes()) {
          break;
        }
      }
      throw new Unreadable(read == 0 ? "an empty file, not a zip archive"
          : "not a zip archive (no zip entry in its first " + Math.min(read, limits.maxPrefixBytes() + 4L) + " bytes)");
    }

    private void identify(Contents contents, String label, String fileName, String checksum) {
      Optional<MavenCoordinates> named = ArchiveFileName.coordinates(fileName);
      List<MavenCoordinates> poms = List.copyOf(contents.poms);
      MavenCoordinates own = ownPom(poms, fileName, named);
      Evidence evidence = Evidence.POM_PROPERTIES;
      if (own == null && poms.size() == 1) {
        own = poms.get(0);
      }
      if (own == null) {
        Optional<MavenCoordinates> manifest =
            contents.manifest == null ? Optional.empty() : contents.manifest.coordinates(named);
        if (manifest.isPresent()) {
          own = manifest.get();
          evidence = Evidence.MANIFEST;
        } else if (named.isPresent()) {
          own = named.get();
          evidence = Evidence.FILE_NAME;
        }
      }
      for (MavenCoordinates pom : poms) {
        add(new JavaArchivePackage(pom, label, pom.equals(own) ? checksum : null, Evidence.POM_PROPERTIES));
      }
      if (own != null && !poms.contains(own)) {
        add(new JavaArchivePackage(own, label, checksum, evidence));
      }
    }

    private void add(JavaArchivePackage found) {
      if (packages.size() < limits.maxPackages()) {
        packages.add(found);
      } else if (!tooManyPackages) {
        tooManyPackages = true;
        problem(path + ": more than " + limits.maxPackages() + " packages; the rest are not listed");
      }
    }

    void problem(String description) {
      if (problems.size() < limits.maxProblems()) {
        problems.add(description);
      } else {
        unlistedProblems++;
      }
    }

    private void exhausted(String description) {
      exhausted = true;
      problem(description);
    }

    private void failIfTheSourceFailed() throws IOException {
      if (source.failure != null) {
        throw source.failure;
      }
    }

    JavaArchiveListing listing() {
      List<String> all = new ArrayList<>(problems);
      if (unlistedProblems > 0) {
        all.add(path + ": " + unlistedProblems + " more problems not listed");
      }
      return new JavaArchiveListing(packages, all);
    }

    /**
     * The bytes of the zip entry being read, counted against the file's budget; a nested archive's stream also stops
     * once it expands more than allowed.
     */
    private final class EntryStream extends InputStream {

      private final ZipArchiveInputStream zip;
      private final String label;
      /** The depth of the archive these bytes are, when they are one; -1 otherwise. */
      private final int depth;
      private final boolean ratioChecked;
      private long produced;
      private boolean breached;

      EntryStream(ZipArchiveInputStream zip, String label, int depth, boolean ratioChecked) {
        this.zip = zip;
        this.label = label;
        this.depth = depth;
        this.ratioChecked = ratioChecked;
      }

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (breached || exhausted) {
          throw new IOException(label + ": reading stopped at a limit");
        }
        int n = zip.read(buffer, offset, length);
        if (n <= 0) {
          return n;
        }
        produced += n;
        unpacked += n;
        if (unpacked > limits.maxUnpackedBytes()) {
          exhausted(path + ": more than " + limits.maxUnpackedBytes() + " bytes unpacked from it and the archives in"
              + " it; reading stopped in " + label);
          throw new IOException("the file unpacks to more than " + limits.maxUnpackedBytes() + " bytes");
        }
        if (ratioChecked && produced > RATIO_GRACE_BYTES
            && produced / Math.max(1, zip.getCompressedCount()) > limits.maxCompressionRatio()) {
          breached = true;
          expanding = this;
          throw new IOException(label + ": expands more than " + limits.maxCompressionRatio() + " times");
        }
        return n;
      }
    }
  }

  /** What one archive holds that names packages. */
  private static final class Contents {
    boolean zip;
    final Set<MavenCoordinates> poms = new LinkedHashSet<>();
    JarManifest manifest;
  }

  /**
   * The pom.properties that is the archive itself: the one whose {@code artifactId-version} the file name starts with
   * or ends with ({@code io.quarkus.gizmo.gizmo-1.1.jar}), else one whose artifact the file name has.
   */
  static MavenCoordinates ownPom(List<MavenCoordinates> poms, String fileName, Optional<MavenCoordinates> named) {
    String base = ArchiveFileName.base(fileName);
    MavenCoordinates byArtifact = null;
    for (MavenCoordinates pom : poms) {
      String artifactVersion = pom.artifactId() + "-" + pom.version();
      if (base.equals(artifactVersion) || base.startsWith(artifactVersion + "-")
          || base.endsWith("." + artifactVersion)) {
        return pom;
      }
      boolean sameArtifact = base.equals(pom.artifactId()) || named.map(n -> n.artifactId().equals(pom.artifactId())
          || n.artifactId().endsWith("." + pom.artifactId())).orElse(false);
      if (byArtifact == null && sameArtifact) {
        byArtifact = pom;
      }
    }
    return byArtifact;
  }

  private static String reason(Exception e) {
    if (e instanceof Unreadable) {
      return e.getMessage();
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : printable(e.getMessage());
    String shown = message.length() > 300 ? message.substring(0, 300) + "…" : message;
    return "not a readable zip archive (" + shown + ")";
  }

  /** Control characters of a name, which could forge lines in a report, shown as {@code ?}. */
  static String printable(String text) {
    return text.replaceAll("\\p{Cntrl}", "?");
  }

  private static String quote(String name) {
    String shown = name.length() > MAX_SHOWN_NAME ? name.substring(0, MAX_SHOWN_NAME) + "…" : name;
    return "'" + printable(shown) + "'";
  }

  /** A limit of the whole file was reached: every level stops reading and lists what it found. */
  private static final class Stop extends Exception {
    Stop() {
      super(null, null, false, false);
    }
  }

  /** This archive cannot be read further; the message says why. */
  private static final class Unreadable extends IOException {
    Unreadable(String message) {
      super(message);
    }
  }

  /** The file's own stream; remembers whether it failed, which is the layer's failure, not the archive's. */
  private static final class Source extends FilterInputStream {
    IOException failure;

    Source(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      try {
        return super.read(buffer, offset, length);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return super.skip(n);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public void close() {
      // the caller's stream: never closed here
    }
  }

  /** Computes the SHA-1 of every byte that passes. */
  private static final class Hashing extends FilterInputStream {
    private final MessageDigest sha1;

    Hashing(InputStream in) {
      super(in);
      try {
        sha1 = MessageDigest.getInstance("SHA-1");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-1", e);
      }
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        sha1.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        sha1.update(buffer, offset, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // skipped bytes must be hashed too
      byte[] buffer = new byte[8192];
      long skipped = 0;
      while (skipped < n) {
        int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
        if (read < 0) {
          break;
        }
        skipped += read;
      }
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    String checksum() {
      return "sha1:" + HexFormat.of().formatHex(sha1.digest());
    }
  }

  /**
   * The zip reader, with file names in UTF-8 (what the JDK writes) and without the decoder commons-compress opens for a
   * zstd entry as soon as it sees one: its native memory would outlive the entry until a garbage collection, and an
   * archive can hold many such entries. Zstd entries are never read here, so their decoder only refuses.
   */
  private static final class JarStream extends ZipArchiveInputStream {
    JarStream(InputStream in) {
      super(in, "UTF-8", true, false);
    }

    @Override
    protected InputStream createZstdInputStream(InputStream in) {
      return new InputStream() {
        @Override
        public int read() throws IOException {
          throw new IOException("zstd entries are not read");
        }
      };
    }
  }

  /** The archive's reader must not close the stream below it. */
  private static final class Unclosable extends FilterInputStream {
    Unclosable(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
      // the stream belongs to the caller
    }
  }
}
