package io.portcullis.findings;

/**
 * What people decided about an open finding. Whether it is open at all is matching's business (a finding no longer
 * matched is fixed, whatever its triage); triage says what an open one means.
 */
public enum TriageState {
  /** Nobody has decided yet. */
  OPEN("open"),
  /** Someone is looking at it. */
  IN_TRIAGE("in triage"),
  /** Known and accepted until a date, with a justification; reopens when the date passes. */
  ACCEPTED_RISK("accepted risk"),
  /** The match is wrong: the package is not what the advisory is about. */
  FALSE_POSITIVE("false positive"),
  /** The vulnerability is real but cannot be exploited here, for a VEX justification. */
  NOT_AFFECTED("not affected");

  private final String label;

  TriageState(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Whether the finding still counts towards risk: open and in-triage findings do, the others were decided away. */
  public boolean counts() {
    return this == OPEN || this == IN_TRIAGE;
  }

  /** The VEX justifications (CycloneDX and OpenVEX share them) a "not affected" decision must give one of. */
  public static final java.util.List<String> VEX_JUSTIFICATIONS = java.util.List.of(
      "component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
      "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist");
}
