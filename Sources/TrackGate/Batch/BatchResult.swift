import Foundation

/// What a batch keeps of one track once it is done: enough for the summary,
/// JUnit and progress, plus the full report as one JSON line. Small, so a
/// batch of any size holds all of them.
public struct BatchResult: Sendable {
    /// The track's place in the batch's listing; reports follow this order.
    public let index: Int
    public let id: String
    /// The audio file, or where the track was listed when it has none.
    public let file: String
    public let verdict: TrackReport.Verdict
    public let exitStatus: ExitStatus
    /// Checks that warned or failed.
    public let problems: [TrackReport.Check]
    public let error: String?
    public let durationS: Double?
    /// The full track report, compact JSON, no newline.
    public let reportJSON: Data
    public let resume: Resume
    /// Wall time spent on the track, s.
    public let seconds: Double

    public enum Resume: Sendable, Equatable {
        /// No earlier outputs (or no output folder).
        case fresh
        /// An earlier run's outputs are complete and current; nothing was redone.
        case current
        /// Earlier outputs existed but were redone, for these reasons.
        case redone([String])
    }

    /// The result without its report JSON, for keeping thousands of them.
    public func droppingReport() -> BatchResult {
        BatchResult(index: index, id: id, file: file, verdict: verdict, exitStatus: exitStatus, problems: problems,
                    error: error, durationS: durationS, reportJSON: Data(), resume: resume, seconds: seconds)
    }

    private init(index: Int, id: String, file: String, verdict: TrackReport.Verdict, exitStatus: ExitStatus,
                 problems: [TrackReport.Check], error: String?, durationS: Double?, reportJSON: Data, resume: Resume,
                 seconds: Double) {
        self.index = index
        self.id = id
        self.file = file
        self.verdict = verdict
        self.exitStatus = exitStatus
        self.problems = problems
        self.error = error
        self.durationS = durationS
        self.reportJSON = reportJSON
        self.resume = resume
        self.seconds = seconds
    }

    init(index: Int, report: TrackReport, resume: Resume, seconds: Double) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.init(index: index, digest: .init(report), reportJSON: (try? encoder.encode(report)) ?? Data("{}".utf8),
                  resume: resume, seconds: seconds)
    }

    init(index: Int, digest: ReportDigest, reportJSON: Data, resume: Resume, seconds: Double) {
        self.init(index: index, id: digest.id, file: digest.file, verdict: digest.verdict, exitStatus: digest.exitStatus,
                  problems: digest.checks.filter { $0.status != .pass }, error: digest.error, durationS: digest.durationS,
                  reportJSON: reportJSON, resume: resume, seconds: seconds)
    }
}

/// The parts of a track report a rerun reads back from an earlier sidecar.
struct ReportDigest: Sendable, Decodable {
    var id: String
    var file: String
    var verdict: TrackReport.Verdict
    var durationS: Double?
    var checks: [TrackReport.Check]
    var error: String?
    var unreadable = false
    var fingerprint: Fingerprint?
    var output: Output?

    struct Output: Sendable, Decodable { var audio: String? }

    enum CodingKeys: String, CodingKey {
        case id, file, verdict, durationS = "duration_s", checks, error, fingerprint, output
    }

    init(_ report: TrackReport) {
        id = report.id
        file = report.file
        verdict = report.verdict
        durationS = report.durationS
        checks = report.checks
        error = report.error
        unreadable = report.unreadable
        fingerprint = report.fingerprint
        output = report.output.map { Output(audio: $0.audio) }
    }

    var exitStatus: ExitStatus { ExitStatus(verdict: verdict, unreadable: unreadable) }
}
