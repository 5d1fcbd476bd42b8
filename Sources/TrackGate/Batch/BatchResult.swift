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
    /// `error_kind` of the report, when the verdict is `error`.
    public let errorKind: String?
    public let durationS: Double?
    public let requestedDurationS: Double?
    public let integratedLUFS: Double?
    public let truePeakDBTP: Double?
    /// The section plan test: `confirmed`, `not_confirmed` or `not_applicable`
    /// (nil when the track was not analysed), and its p-value.
    public let planStatus: String?
    public let planPValue: Double?
    /// The track's picture, when one was drawn.
    public let plot: String?
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
        BatchResult(index: index, digest: digest, reportJSON: Data(), resume: resume, seconds: seconds)
    }

    /// What the result was made from, minus the checks that passed.
    private var digest: ReportDigest {
        ReportDigest(id: id, file: file, verdict: verdict, durationS: durationS, requestedDurationS: requestedDurationS,
                     checks: problems, error: error, errorKind: errorKind, unreadable: exitStatus == .unreadable,
                     loudness: .init(integratedLUFS: integratedLUFS, truePeakDBTP: truePeakDBTP),
                     plan: planStatus.map { .init(status: $0, pValue: planPValue) }, plot: plot)
    }

    init(index: Int, digest: ReportDigest, reportJSON: Data, resume: Resume, seconds: Double) {
        self.index = index
        self.id = digest.id
        self.file = digest.file
        self.verdict = digest.verdict
        self.exitStatus = digest.exitStatus
        self.problems = digest.checks.filter { $0.status != .pass }
        self.error = digest.error
        self.errorKind = digest.errorKind
        self.durationS = digest.durationS
        self.requestedDurationS = digest.requestedDurationS
        self.integratedLUFS = digest.loudness?.integratedLUFS
        self.truePeakDBTP = digest.loudness?.truePeakDBTP
        self.planStatus = digest.plan?.status
        self.planPValue = digest.plan?.pValue
        self.plot = digest.plot
        self.reportJSON = reportJSON
        self.resume = resume
        self.seconds = seconds
    }

    public init(index: Int, report: TrackReport, resume: Resume, seconds: Double) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.init(index: index, digest: .init(report), reportJSON: (try? encoder.encode(report)) ?? Data("{}".utf8),
                  resume: resume, seconds: seconds)
    }

}

/// The parts of a track report a rerun reads back from an earlier sidecar.
struct ReportDigest: Sendable, Decodable {
    var id: String
    var file: String
    var verdict: TrackReport.Verdict
    var durationS: Double?
    var requestedDurationS: Double?
    var checks: [TrackReport.Check]
    var error: String?
    var errorKind: String?
    var unreadable = false
    var loudness: Loudness?
    var plan: Plan?
    var plot: String?
    var fingerprint: Fingerprint?
    var output: Output?

    struct Output: Sendable, Decodable { var audio: String? }

    struct Plan: Sendable, Decodable {
        var status: String
        var pValue: Double?
        enum CodingKeys: String, CodingKey { case status, pValue = "p_value" }
    }

    struct Loudness: Sendable, Decodable {
        var integratedLUFS: Double?
        var truePeakDBTP: Double?
        enum CodingKeys: String, CodingKey { case integratedLUFS = "integrated_lufs", truePeakDBTP = "true_peak_dbtp" }
    }

    enum CodingKeys: String, CodingKey {
        case id, file, verdict, durationS = "duration_s", requestedDurationS = "requested_duration_s", checks, error
        case errorKind = "error_kind", loudness, plan = "plan_alignment", plot, fingerprint, output
    }

    init(id: String, file: String, verdict: TrackReport.Verdict, durationS: Double?, requestedDurationS: Double?,
         checks: [TrackReport.Check], error: String?, errorKind: String? = nil, unreadable: Bool, loudness: Loudness?,
         plan: Plan? = nil, plot: String?) {
        self.id = id
        self.file = file
        self.verdict = verdict
        self.durationS = durationS
        self.requestedDurationS = requestedDurationS
        self.checks = checks
        self.error = error
        self.errorKind = errorKind
        self.unreadable = unreadable
        self.loudness = loudness
        self.plan = plan
        self.plot = plot
    }

    /// The digest of a report just made, with its numbers as its file holds
    /// them (`ReportNumber`), so a track's page row reads the same whether it
    /// was run now or taken from its sidecar (a resumed batch, `report`).
    init(_ report: TrackReport) {
        let seconds = { (x: Double?) in x.map(ReportNumber.thousandths) }
        let level = { (x: Double?) in x.map(ReportNumber.tenThousandths) }
        self.init(id: report.id, file: report.file, verdict: report.verdict, durationS: seconds(report.durationS),
                  requestedDurationS: seconds(report.requestedDurationS), checks: report.checks, error: report.error,
                  errorKind: report.errorKind?.name, unreadable: report.unreadable,
                  loudness: report.loudness.map { Loudness(integratedLUFS: level($0.integratedLUFS), truePeakDBTP: level($0.truePeakDBTP)) },
                  plan: report.planAlignment.map { Plan(status: $0.status.rawValue, pValue: level($0.pValue)) }, plot: report.plot)
        fingerprint = report.fingerprint
        output = report.output.map { Output(audio: $0.audio) }
    }

    var exitStatus: ExitStatus { ExitStatus(verdict: verdict, unreadable: unreadable) }

    /// A report file (a sidecar `OUT/ID.json`) as the digest of it. The file
    /// does not say `unreadable`; its `error_kind` tells it (`InputErrorKind.isUnreadable`).
    static func decode(_ data: Data) throws -> ReportDigest {
        var digest = try JSONDecoder().decode(ReportDigest.self, from: data)
        digest.unreadable = digest.verdict == .error && InputErrorKind.isUnreadable(name: digest.errorKind)
        return digest
    }
}
