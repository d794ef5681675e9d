package io.portcullis.scanner.advisory;

/**
 * How much of one OSV record is read. Advisory feeds are input from outside: each number bounds what a broken or
 * hostile feed could make the parser hold or the database store. The defaults are far above what real records carry
 * (the largest of some 20,000 real records is 190 KiB with 516 affected entries, 118 events in a range and 1,132
 * listed versions), so a record beyond them is garbage, not news.
 *
 * @param maxRecordBytes size of the record's JSON text
 * @param maxAffected entries in {@code affected}
 * @param maxRanges ranges of one affected entry
 * @param maxEvents events of one range
 * @param maxVersions listed versions of one affected entry
 * @param maxIds entries in each of {@code aliases}, {@code related} and {@code upstream}
 * @param maxReferences entries in {@code references}
 * @param maxSeverities scores in one {@code severity} list
 * @param maxCredits entries in {@code credits}
 * @param maxIdLength length of an id (the record's own and the ones it refers to)
 * @param maxNameLength length of an ecosystem or package name
 * @param maxVersionLength length of a version in an event or in {@code versions}
 * @param maxUrlLength length of a URL, package URL or repository
 * @param maxSummaryLength length of the one-line summary
 * @param maxNestingDepth nesting of JSON objects and arrays (the {@code *_specific} objects are free-form)
 */
public record OsvLimits(
    int maxRecordBytes,
    int maxAffected,
    int maxRanges,
    int maxEvents,
    int maxVersions,
    int maxIds,
    int maxReferences,
    int maxSeverities,
    int maxCredits,
    int maxIdLength,
    int maxNameLength,
    int maxVersionLength,
    int maxUrlLength,
    int maxSummaryLength,
    int maxNestingDepth) {

  public static final OsvLimits DEFAULT =
      new OsvLimits(
          4 << 20, 10_000, 500, 5_000, 200_000, 2_000, 10_000, 64, 1_000, 256, 1_024, 1_024, 8_192, 65_536, 64);

  public OsvLimits {
    if (maxRecordBytes <= 0 || maxAffected <= 0 || maxRanges <= 0 || maxEvents <= 0 || maxVersions <= 0
        || maxIds <= 0 || maxReferences <= 0 || maxSeverities <= 0 || maxCredits <= 0 || maxIdLength <= 0
        || maxNameLength <= 0 || maxVersionLength <= 0 || maxUrlLength <= 0 || maxSummaryLength <= 0
        || maxNestingDepth <= 0) {
      throw new IllegalArgumentException("OSV limits must be positive");
    }
  }

  /** These limits with another record size (the one a deployment sets). */
  public OsvLimits withMaxRecordBytes(int bytes) {
    return new OsvLimits(
        bytes, maxAffected, maxRanges, maxEvents, maxVersions, maxIds, maxReferences, maxSeverities, maxCredits,
        maxIdLength, maxNameLength, maxVersionLength, maxUrlLength, maxSummaryLength, maxNestingDepth);
  }
}
