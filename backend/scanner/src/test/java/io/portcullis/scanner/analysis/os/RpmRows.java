package io.portcullis.scanner.analysis.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;

/** Decoded headers as the rows of the corpus' {@code rpm -qa --qf} oracle files, so the two compare as text. */
final class RpmRows {

  private RpmRows() {}

  // %{NAME}\t%{EPOCHNUM}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\t%{VENDOR}; rpm prints "(none)" for a missing tag
  static List<String> of(RpmHeaderListing listing) {
    return listing.headers().stream()
        .map(h -> String.join("\t", h.name(), String.valueOf(h.epoch() == null ? 0 : h.epoch()), h.version(),
            h.release(), none(h.architecture()), none(h.sourceRpm()), none(h.vendor())))
        .sorted()
        .collect(Collectors.toList());
  }

  static List<String> expected(String relative) throws IOException {
    return Files.readAllLines(SharedTestData.pkgdb(relative), StandardCharsets.UTF_8).stream()
        .filter(line -> !line.isBlank())
        .peek(line -> assertThat(line.split("\t", -1)).as(line).hasSize(7))
        .sorted()
        .collect(Collectors.toList());
  }

  private static String none(String value) {
    return value == null ? "(none)" : value;
  }
}
