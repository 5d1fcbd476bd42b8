import Foundation

/// The human-readable form of loudness reports: one aligned row per file.
public struct LoudnessTable {
    let fileWidth: Int

    public init(files: [String]) {
        fileWidth = min(60, max(4, files.map(\.count).max() ?? 4))
    }

    public var header: String {
        pad("file", fileWidth) + "  integrated    range   max M   max S  sample pk   true pk"
            + "\n" + pad("", fileWidth) + "        LUFS       LU    LUFS    LUFS       dBFS      dBTP"
    }

    public func row(_ r: LoudnessReport) -> String {
        let file = TerminalText.field(r.file)
        let name = file.count > fileWidth ? "…" + file.suffix(fileWidth - 1) : file
        return pad(String(name), fileWidth) + "  "
            + cell(r.integratedLUFS, 10, 1) + cell(r.loudnessRangeLU, 9, 1) + cell(r.maxMomentaryLUFS, 8, 1)
            + cell(r.maxShortTermLUFS, 8, 1) + cell(r.samplePeakDBFS, 11, 2) + cell(r.truePeakDBTP, 10, 2)
    }

    /// Reasons for the dashes in a row, one indented line each.
    public func notes(_ r: LoudnessReport) -> [String] {
        var notes = r.unavailable.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }
        if r.nonFiniteSamples > 0 { notes.append("  \(r.nonFiniteSamples) NaN/infinite samples were measured as silence") }
        return notes
    }

    private func cell(_ value: Double?, _ width: Int, _ decimals: Int) -> String {
        let text = value.map { String(format: "%.\(decimals)f", $0) } ?? "—"
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - s.count))
    }
}
