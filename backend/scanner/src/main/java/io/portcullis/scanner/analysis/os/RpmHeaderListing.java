package io.portcullis.scanner.analysis.os;

import java.util.ArrayList;
import java.util.List;

/**
 * The headers one rpm database yielded, before they become packages; kept apart so the tests can compare every
 * decoded field (vendor too, which {@link OsPackage} does not carry) with {@code rpm -qa}.
 *
 * @param headers every decoded header in database order, {@code gpg-pubkey} pseudo-packages included
 * @param malformedRecords blobs that could not be decoded
 */
record RpmHeaderListing(List<RpmHeader> headers, int malformedRecords) {

  RpmHeaderListing {
    headers = List.copyOf(headers);
  }

  /** The installed packages, without the signing keys rpm lists as {@code gpg-pubkey} packages. */
  PackageListing toPackages(String foundBy, String path) {
    List<OsPackage> packages = new ArrayList<>();
    for (RpmHeader header : headers) {
      if (!header.isPseudoPackage()) {
        packages.add(header.toPackage(foundBy, path));
      }
    }
    return new PackageListing(packages, malformedRecords);
  }
}
