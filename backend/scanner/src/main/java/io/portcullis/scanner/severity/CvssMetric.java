package io.portcullis.scanner.severity;

import java.util.List;

/**
 * One metric of a CVSS vector grammar: its abbreviation, the values the specification allows (the "not defined" value
 * included where there is one) and the group it belongs to. Base metrics are the mandatory ones in every version.
 */
record CvssMetric(String name, Group group, List<String> values) {

  /** The metric groups; v2 and v3 call the threat group "temporal". */
  enum Group {
    BASE,
    THREAT,
    ENVIRONMENTAL,
    SUPPLEMENTAL
  }

  boolean mandatory() {
    return group == Group.BASE;
  }
}
