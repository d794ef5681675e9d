package io.portcullis.scanner.analysis.os;

import java.util.Objects;

/**
 * The distribution an image is built on, from {@code /etc/os-release} or {@code /usr/lib/os-release}.
 *
 * @param id {@code ID} ({@code debian}, {@code ubuntu}, {@code alpine}); {@code linux} when the file names none, as
 *     os-release(5) prescribes
 * @param versionId {@code VERSION_ID} ({@code 12}, {@code 3.21.3}); null when absent, as on Debian testing
 * @param versionCodename {@code VERSION_CODENAME} ({@code bookworm}); null when absent
 * @param prettyName {@code PRETTY_NAME}; null when absent
 */
public record OsRelease(String id, String versionId, String versionCodename, String prettyName) {

  public OsRelease {
    Objects.requireNonNull(id, "id");
  }
}
