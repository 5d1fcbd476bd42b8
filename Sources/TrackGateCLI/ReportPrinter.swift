import TrackGate

/// A per-input result the commands print: text for people, JSON for machines.
protocol PrintableReport: Encodable {
    var exitStatus: ExitStatus { get }
    /// True when the input could not be read at all; such reports go to standard error.
    var isUnreadable: Bool { get }
    func renderText() -> String
}

extension AudioFileReport: PrintableReport {
    var isUnreadable: Bool { error != nil }
}

extension RequestReport: PrintableReport {
    var isUnreadable: Bool { error != nil }
}

/// Runs a command over its inputs, printing each report as it is made, and
/// returns the combined exit status (the most serious one wins).
struct ReportPrinter {
    let options: OutputOptions
    /// Put a blank line between multi-line text reports.
    var separateWithBlankLine = false
    /// Printed once before the first text report (a table's column titles).
    var header: String?

    func run<Report: PrintableReport>(_ inputs: [String], _ makeReport: (String) -> Report) throws -> ExitStatus {
        var status = ExitStatus.success
        let writer = JSONLinesWriter()
        var printedText = false
        for input in inputs {
            let report = makeReport(input)
            status = max(status, report.exitStatus)
            if options.json {
                try writer.write(report)
            } else if report.isUnreadable {
                printError(report.renderText())
            } else {
                if !printedText, let header { printText(header) }
                printText((separateWithBlankLine && printedText ? "\n" : "") + report.renderText())
                printedText = true
            }
        }
        return status
    }
}
