import Foundation

extension TrackReport {
    /// The verdict line, then one line per check (worst first), then the boundaries.
    public func renderText() -> String {
        guard verdict != .error || error == nil || durationS != nil else {
            return "\(file): ERROR: \(error ?? "unknown error")"
        }
        var head = "\(file): \(verdict.rawValue.uppercased())"
        if let durationS, let requestedDurationS {
            head += String(format: " (%.2f s of %.0f s requested", durationS, requestedDurationS)
            if let l = loudness?.integratedLUFS { head += String(format: ", %.1f LUFS", l) }
            if let tp = loudness?.truePeakDBTP { head += String(format: ", %.1f dBTP", tp) }
            head += ")"
        }
        var lines = [head]
        let ordered = checks.enumerated().sorted { ($0.element.status, -$0.offset) > ($1.element.status, -$1.offset) }
        for (_, check) in ordered {
            lines.append("  \(check.status.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)) "
                         + "\(check.id.padding(toLength: 17, withPad: " ", startingAt: 0)) \(check.message)")
        }
        for b in boundaries {
            let found = b.detectedS.map { String(format: "change at %.2f s, strength %.2f", $0, b.strength) } ?? "no change found"
            lines.append(String(format: "  boundary %6.1f s: %@ (%@)", b.expectedS, b.status, found))
        }
        for c in unrequestedChanges {
            lines.append(String(format: "  unrequested change at %.2f s, strength %.2f", c.timeS, c.strength))
        }
        if let error { lines.append("  error: \(error)") }
        return lines.joined(separator: "\n")
    }
}
