import Foundation
import Synchronization
import TrackGate

/// The batch's progress on standard error: a live bar on a terminal, a plain
/// line every `interval` seconds otherwise (CI logs, `nohup`), nothing with `--quiet`.
final class ProgressDisplay: Sendable {
    enum Mode { case bar, lines, silent }

    private struct State {
        var summary: BatchSummary
        var lastLine = DispatchTime.now()
        var barShown = false
    }

    private let mode: Mode
    private let start = DispatchTime.now()
    private let interval: Double
    private let state: Mutex<State>

    init(total: Int, quiet: Bool, interval: Double = 10) {
        mode = quiet ? .silent : isatty(STDERR_FILENO) == 1 ? .bar : .lines
        self.interval = interval
        state = Mutex(State(summary: BatchSummary(total: total)))
    }

    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

    var summary: BatchSummary { state.withLock { $0.summary } }

    func add(_ result: BatchResult) {
        state.withLock { $0.summary.add(result) }
    }

    /// Prints `text` on standard output without tearing the bar.
    func printAbove(_ text: String) {
        state.withLock { s in
            if s.barShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            FileHandle.standardOutput.write(Data((TerminalText.escaped(text) + "\n").utf8))
            if s.barShown { FileHandle.standardError.write(Data(bar(s.summary).utf8)) }
        }
    }

    /// Redraws the bar, or prints a line when one is due.
    func tick() {
        state.withLock { s in
            switch mode {
            case .silent: return
            case .bar:
                FileHandle.standardError.write(Data(((s.barShown ? "\r\u{1B}[K" : "") + bar(s.summary)).utf8))
                s.barShown = true
            case .lines:
                let now = DispatchTime.now()
                guard Double(now.uptimeNanoseconds - s.lastLine.uptimeNanoseconds) / 1e9 >= interval else { return }
                s.lastLine = now
                FileHandle.standardError.write(Data("trackgate: \(status(s.summary))\n".utf8))
            }
        }
    }

    /// Takes the bar off the screen before the summary is printed.
    func end() {
        state.withLock { s in
            if s.barShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            s.barShown = false
        }
    }

    private func bar(_ summary: BatchSummary) -> String {
        let width = 24
        let filled = summary.total == 0 ? width : width * summary.done / summary.total
        let line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + status(summary)
        // A line longer than the terminal wraps, and "\r" then redraws only its tail.
        var size = winsize()
        let columns = ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        return String(line.prefix(columns - 1))
    }

    private func status(_ s: BatchSummary) -> String {
        let seconds = max(elapsed, 1e-3)
        let worked = s.done - s.current
        var parts = ["\(s.done)/\(s.total) tracks"]
        if worked > 0 {
            let rate = Double(worked) / seconds
            parts.append(String(format: "%.1f tracks/s", rate))
            parts.append(String(format: "%.0fx realtime", s.audioSeconds / seconds))
            parts.append("ETA " + DurationText.elapsed(Double(s.total - s.done) / rate))
        }
        parts.append("\(s.count(.fail)) failed")
        if s.count(.error) > 0 { parts.append("\(s.count(.error)) errors") }
        return parts.joined(separator: "  ")
    }
}
