import Foundation

/// The batch's totals, accumulated as tracks finish: counts per verdict, the
/// checks that failed most often, and throughput.
public struct BatchSummary: Sendable {
    public private(set) var total: Int
    public private(set) var done = 0
    public private(set) var counts: [TrackReport.Verdict: Int] = [:]
    /// Tracks taken from an earlier run unchanged.
    public private(set) var current = 0
    /// Tracks redone because an earlier run's outputs were stale.
    public private(set) var redone = 0
    /// Failing checks by id, counted once per track.
    public private(set) var failingChecks: [CheckID: Int] = [:]
    /// Audio seconds of the tracks this run worked on (not those taken as current).
    public private(set) var audioSeconds = 0.0
    public private(set) var exitStatus = ExitStatus.success

    public init(total: Int) { self.total = total }

    public mutating func add(_ result: BatchResult) {
        done += 1
        counts[result.verdict, default: 0] += 1
        exitStatus = max(exitStatus, result.exitStatus)
        for id in Set(result.problems.filter { $0.status == .fail }.map(\.id)) { failingChecks[id, default: 0] += 1 }
        switch result.resume {
        case .current: current += 1
        case .redone: redone += 1; audioSeconds += result.durationS ?? 0
        case .fresh: audioSeconds += result.durationS ?? 0
        }
    }

    public func count(_ verdict: TrackReport.Verdict) -> Int { counts[verdict] ?? 0 }

    /// The `limit` most frequent failing checks, most frequent first (ties by id).
    public func mostCommonFailures(_ limit: Int = 5) -> [(id: CheckID, tracks: Int)] {
        failingChecks.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit).map { ($0.key, $0.value) }
    }

    /// The table printed at the end of a batch.
    public func renderText(seconds: Double, jobs: Int, interrupted: Bool) -> String {
        renderText(headline: headline(seconds: seconds, jobs: jobs, interrupted: interrupted))
    }

    /// The table's first line for a run: tracks done, time, throughput.
    public func headline(seconds: Double, jobs: Int, interrupted: Bool) -> String {
        let worked = done - current
        var head = "\(done) of \(total) tracks in \(DurationText.elapsed(seconds))"
        if worked > 0 && seconds > 0 {
            // Tracks that could not be read add no audio: no realtime figure without any.
            let realtime = audioSeconds > 0 ? String(format: ", %.0fx realtime", audioSeconds / seconds) : ""
            head += String(format: " (%.1f tracks/s%@, %d job%@)", Double(worked) / seconds, realtime, jobs, jobs == 1 ? "" : "s")
        }
        if interrupted { head += "; interrupted: rerun the same command to finish" }
        return head
    }

    /// The table under a first line of the caller's: counts per verdict, resume
    /// counts, the most common failing checks.
    public func renderText(headline: String) -> String {
        var lines = [headline]
        for verdict in [TrackReport.Verdict.pass, .warn, .fail, .error] {
            lines.append("  \(verdict.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0))\(String(format: "%7d", count(verdict)))")
        }
        if current > 0 { lines.append("  \(current) taken from an earlier run (inputs and settings unchanged)") }
        if redone > 0 { lines.append("  \(redone) redone: an earlier run's outputs were not current (changed inputs or settings) or in error") }
        let failures = mostCommonFailures()
        if !failures.isEmpty {
            lines.append("most common failing checks:")
            let width = failures.map(\.id.rawValue.count).max() ?? 0
            for (id, tracks) in failures {
                lines.append("  \(id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0))  \(tracks) track\(tracks == 1 ? "" : "s")")
            }
        }
        return lines.joined(separator: "\n")
    }
}
