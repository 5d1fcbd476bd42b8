import ArgumentParser
import TrackGate

struct LoudnessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loudness",
        abstract: "Measure loudness to ITU-R BS.1770-4 / EBU R 128, and sample and true peak.",
        discussion: """
        For each file: integrated loudness (gated, LUFS), loudness range (EBU Tech 3342, LU), \
        the largest momentary (400 ms) and short-term (3 s) loudness (LUFS, evaluated every \
        5 ms), and the largest sample peak (dBFS) and true peak (dBTP, 4x oversampled below \
        96 kHz, 2x up to 192 kHz) over all channels.

        Channel weights follow BS.1770-4: 1.0 for left, right and centre, 1.41 for \
        surrounds, 0 for LFE, taken from the file's channel map where it has one, otherwise \
        from the usual order for its channel count (L R C LFE Ls Rs).

        A level that does not exist, such as the loudness of silence or of a file shorter \
        than one 400 ms block, is shown as a dash (null under --json) with the reason \
        below it; it is never a made-up number.
        """
    )

    @Argument(help: ArgumentHelp("Audio files.", valueName: "audio"))
    var files: [String]

    @Flag(name: .long, help: "Skip true peak (faster; true_peak_dbtp is then null).")
    var noTruePeak = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        let table = LoudnessTable(files: files)
        var printer = ReportPrinter(options: output)
        printer.header = table.header
        try finish(with: printer.run(files) { file in
            LoudnessRow(report: LoudnessReport.measure(path: file, truePeak: !noTruePeak), table: table)
        })
    }
}

/// A loudness report as one row of the table (text) or its JSON object.
struct LoudnessRow: PrintableReport {
    let report: LoudnessReport
    let table: LoudnessTable

    var exitStatus: ExitStatus { report.exitStatus }
    var isUnreadable: Bool { report.error != nil }

    func renderText() -> String {
        guard report.error == nil else { return "\(TerminalText.field(report.file)): \(TerminalText.field(report.error!))" }
        return ([table.row(report)] + table.notes(report)).joined(separator: "\n")
    }

    func encode(to encoder: any Encoder) throws { try report.encode(to: encoder) }
}
