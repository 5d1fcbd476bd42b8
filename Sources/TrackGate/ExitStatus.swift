/// The process exit codes of `../shared/reference/cli-contract.md`. Scripts and CI
/// depend on them; never renumber.
public enum ExitStatus: Int32, Sendable, Comparable {
    /// Every track passed (warnings allowed unless `--strict`), every request valid.
    case success = 0
    /// At least one track failed the gate, or a request is invalid.
    case failed = 1
    /// At least one input could not be read: missing, corrupt, not audio, not JSON.
    case unreadable = 2
    /// The command line itself was wrong.
    case usage = 64

    /// What one track's verdict calls for: an error is `unreadable` when an
    /// input could not be read at all, `failed` otherwise (an invalid request).
    public init(verdict: TrackReport.Verdict, unreadable: Bool) {
        switch verdict {
        case .pass, .warn: self = .success
        case .fail: self = .failed
        case .error: self = unreadable ? .unreadable : .failed
        }
    }

    /// When several inputs disagree, the most serious outcome wins: an input that
    /// could not be read at all outranks one that was read and failed.
    public static func < (a: ExitStatus, b: ExitStatus) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .success: 0
        case .failed: 1
        case .unreadable: 2
        case .usage: 3
        }
    }
}
