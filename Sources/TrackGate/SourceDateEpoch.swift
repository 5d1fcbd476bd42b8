import Foundation

/// The moment TrackGate says its outputs were made (delivery tags, the batch
/// page, the JUnit timestamp): now, or `SOURCE_DATE_EPOCH` when the environment
/// sets it, the reproducible-builds convention
/// (https://reproducible-builds.org/specs/source-date-epoch/): seconds since
/// 1970-01-01 00:00:00 UTC as a non-negative decimal integer. With it, the same
/// inputs and settings give byte-identical delivery files and reports on any
/// machine and day, which is how shards, retries and one machine are compared.
public enum SourceDateEpoch {
    /// The largest value taken: 9999-12-31 23:59:59 UTC, the last moment a
    /// four-digit year (the tags' `yyyy-MM-dd`) can say.
    public static let maximum: Int64 = 253_402_300_799

    /// The date the environment fixes, nil when `SOURCE_DATE_EPOCH` is unset or
    /// empty.
    ///
    /// - Throws: `SourceDateEpochError` for any other value that is not a
    ///   decimal integer from 0 to `maximum` (the specification asks tools to
    ///   refuse a malformed value rather than silently use the current time).
    public static func date(environment: [String: String] = ProcessInfo.processInfo.environment) throws(SourceDateEpochError) -> Date? {
        guard let text = environment["SOURCE_DATE_EPOCH"], !text.isEmpty else { return nil }
        guard text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let seconds = Int64(text), seconds <= maximum else {
            throw SourceDateEpochError(value: text)
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// The date to write: `SOURCE_DATE_EPOCH`'s, or now. A malformed value is
    /// refused before any work (`process` and `batch` check `date()` first);
    /// here it falls back to now.
    public static func now(environment: [String: String] = ProcessInfo.processInfo.environment) -> Date {
        ((try? date(environment: environment)) ?? nil) ?? Date()
    }
}

/// A `SOURCE_DATE_EPOCH` that is not a number of seconds TrackGate can write.
public struct SourceDateEpochError: Error, CustomStringConvertible {
    public let value: String
    public var description: String {
        "SOURCE_DATE_EPOCH=\(value) is not a whole number of seconds since 1970-01-01 UTC (0 to \(SourceDateEpoch.maximum)); "
            + "set it to one, e.g. $(date +%s), or unset it"
    }
}
