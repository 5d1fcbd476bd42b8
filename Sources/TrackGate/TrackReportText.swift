import Foundation

extension TrackReport {
    /// The verdict line, then one line per check (worst first), then the boundaries.
    public func renderText() -> String {
        guard verdict != .error || error == nil || durationS != nil else {
            return "\(TerminalText.field(file)): ERROR: \(TerminalText.field(error ?? "unknown error"))"
        }
        var head = "\(TerminalText.field(file)): \(verdict.rawValue.uppercased())"
        if let durationS {
            head += requestedDurationS.map { String(format: " (%.2f s of %.0f s requested", durationS, $0) }
                ?? String(format: " (%.2f s, %@ request", durationS, service ?? "no duration")
            if let l = loudness?.integratedLUFS { head += String(format: ", %.1f LUFS", l) }
            if let tp = loudness?.truePeakDBTP { head += String(format: ", %.1f dBTP", tp) }
            head += ")"
        }
        var lines = [head]
        let ordered = checks.enumerated().sorted { ($0.element.status, -$0.offset) > ($1.element.status, -$1.offset) }
        for (_, check) in ordered {
            lines.append("  \(check.status.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)) "
                         + "\(check.id.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)) \(TerminalText.field(check.message))")
        }
        if let lyricSections {
            lines.append("  lyrics   sections in order: " + lyricSections.map { TerminalText.field($0) }.joined(separator: ", "))
        }
        if let instrumental { lines.append("  vocals   none asked for: \(TerminalText.field(instrumental))") }
        if let plan = planAlignment, plan.boundaries > 0 {
            let what = plan.status == .notApplicable ? "not tested (\(plan.reason ?? ""))"
                : "\(plan.status == .confirmed ? "confirmed" : "not confirmed") (\(Gate.pText(plan.pValue)), "
                    + "\(plan.boundariesMatched) of \(plan.boundaries) changes stand out)"
            lines.append("  plan     \(what)")
        }
        for b in boundaries {
            let found = b.detectedS.map { String(format: "contrast %.2f, %@, strongest change at %.2f s", b.strength,
                                                 Gate.pText(b.pValue), $0) } ?? "no change found"
            lines.append(String(format: "  boundary %6.1f s: %@ (%@)", b.expectedS, b.status.rawValue, found))
        }
        for c in unrequestedChanges {
            lines.append(String(format: "  unrequested change at %.2f s, strength %.2f", c.timeS, c.strength))
        }
        if let output { lines += output.renderText() }
        if let plot { lines.append("  picture  \(TerminalText.field(plot))") }
        if let plotError { lines.append("  no picture: \(TerminalText.field(plotError))") }
        if let error { lines.append("  error: \(TerminalText.field(error))") }
        return lines.joined(separator: "\n")
    }
}

extension OutputReport {
    /// What was done and written, a few lines for people.
    func renderText() -> [String] {
        var lines: [String] = []
        if let audio {
            let coding = if let bitDepth { bitDepth == "32f" ? "32-bit float" : bitDepth + "-bit" }
                else { bitrateKbps.map { "\($0) kbit/s" } ?? "lossy" }
            var what = "  wrote    \(TerminalText.field(audio)) (\(format.uppercased()) \(coding), \(sampleRate) Hz"
            if let resampler { what += ", resampled from \(sourceSampleRate) Hz by \(resampler["engine"] ?? "?") \(resampler["quality"] ?? "?")" }
            lines.append(what + ")")
        } else if let notWritten {
            lines.append("  no audio written: \(TerminalText.field(notWritten))")
        }
        if audio != nil || loudness != nil {
            var gain = String(format: "  gain     %+.2f dB", gainDB)
            if makeupDB != 0 {
                let takers = peakHandling == .limited ? (resampler == nil ? "the limiter" : "the resampler and the limiter")
                    : resampler == nil ? "the chain after the gain" : "the resampler's roll-off"
                gain += String(format: " (%+.2f dB of it makes up for what %@ take%@)", makeupDB, takers,
                               takers.hasPrefix("the resampler and") ? "" : "s")
            }
            switch peakHandling {
            case .limited: gain += String(format: "; limiter: up to %.2f dB for %.2f s", limiterMaxReductionDB ?? 0, limiterActiveS ?? 0)
            case .capped: gain += String(format: "; capped under the ceiling, %.2f LU short of the target", shortfallLU ?? 0)
            case .none: gain += "; no limiting needed"
            }
            lines.append(gain)
        }
        if let l = loudness, l.error == nil {
            lines.append(String(format: "  output   %@ LUFS, LRA %@ LU, true peak %@ dBTP%@",
                                Self.number(l.integratedLUFS), Self.number(l.loudnessRangeLU), Self.number(l.truePeakDBTP),
                                verified ? ", verified" : ", NOT verified"))
            if let headroom = encodedHeadroomDB {
                lines[lines.count - 1] += " after decoding" + (headroom > 0
                    ? String(format: " (%.2f dB of headroom taken for the encoder's overshoot)", headroom) : "")
            }
        }
        if let gainTags, !gainTags.isEmpty {
            lines.append("  tags     " + gainTags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        }
        for note in notes { lines.append("  note     \(TerminalText.field(note))") }
        lines.append("  report   \(TerminalText.field(report))")
        return lines
    }

    static func number(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "n/a" }
}
