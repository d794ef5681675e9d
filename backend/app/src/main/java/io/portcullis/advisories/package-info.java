/**
 * Advisories: the reference data that image findings are matched and ranked against, the same for every tenant. OSV
 * records of the configured ecosystems are imported from the public OSV export or a local mirror and refreshed
 * incrementally by their {@code modified} time; EPSS scores and the CISA KEV catalogue are refreshed daily. Every
 * import runs without a tenant, is recorded as a run with its counts and the reasons for rejected records, and is shown
 * to administrators, who may start one.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Advisories")
package io.portcullis.advisories;
