/**
 * Findings: each image's stored inventory and what matching it against the advisories finds — one finding per
 * vulnerability of each package, with the evidence, the fix, the severity, EPSS and KEV. Re-matching updates the set:
 * new findings open, vanished ones are marked fixed with the time; nothing is deleted. When the advisories change,
 * every stored inventory is matched again without pulling any image.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Findings")
package io.portcullis.findings;
