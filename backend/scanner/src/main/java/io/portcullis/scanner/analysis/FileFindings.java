package io.portcullis.scanner.analysis;

import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.analysis.secret.Secret;
import io.portcullis.scanner.sbom.FoundPackage;
import java.util.ArrayList;
import java.util.List;

/**
 * What analyzers found in one file of one layer. Kept per file so that a later layer that deletes or replaces the file
 * takes its findings away with it.
 */
public final class FileFindings {

  /**
   * The most secrets one layer keeps, over all its files; the reader counts the rest as a problem of the layer. A layer
   * of generated files with a token in each would otherwise make a report nobody reads and a cache entry of any size.
   */
  public static final int MAX_SECRETS_PER_LAYER = 1_000;

  private final List<FoundPackage> packages = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private final List<Secret> secrets = new ArrayList<>();
  private int secretsNotShown;
  private OsRelease osRelease;

  public void add(FoundPackage found) {
    packages.add(found);
  }

  public void osRelease(OsRelease release) {
    this.osRelease = release;
  }

  /** Something in the file could not be read; the scan goes on and the problem is reported. */
  public void problem(String description) {
    problems.add(description);
  }

  /** A secret, already redacted. */
  public void secret(Secret secret) {
    secrets.add(secret);
  }

  /** Secrets found in the file beyond those kept. */
  public void secretsNotShown(int count) {
    secretsNotShown = count;
  }

  /**
   * Keeps at most {@code room} of the file's secrets and returns how many it dropped; what the file had counted as not
   * shown is dropped too when none of its secrets could be kept.
   */
  public int keepSecrets(int room) {
    int dropped = Math.max(0, secrets.size() - room);
    if (dropped > 0) {
      secrets.subList(room, secrets.size()).clear();
    }
    if (secrets.isEmpty() && room == 0) {
      dropped += secretsNotShown;
      secretsNotShown = 0;
    }
    return dropped;
  }

  public List<FoundPackage> packages() {
    return packages;
  }

  public OsRelease osRelease() {
    return osRelease;
  }

  public List<String> problems() {
    return problems;
  }

  public List<Secret> secrets() {
    return secrets;
  }

  public int secretsNotShown() {
    return secretsNotShown;
  }

  public boolean isEmpty() {
    return packages.isEmpty() && osRelease == null && problems.isEmpty() && secrets.isEmpty() && secretsNotShown == 0;
  }
}
