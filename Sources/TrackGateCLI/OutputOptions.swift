import ArgumentParser
import Foundation
import TrackGate

/// One track and what it was made from, as `check` and `process` take them.
struct TrackInputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The downloaded track.", valueName: "audio"))
    var audio: String

    @Option(help: ArgumentHelp("The request JSON that made the track.", valueName: "request.json"))
    var request: String

    @Option(help: ArgumentHelp("The task answer JSON (Nuro's \"Get Music\", Sonic's or Producer's task answer), to "
                               + "check its reported duration.", valueName: "task.json"))
    var task: String?

    @Option(help: ArgumentHelp("Which clip of a Sonic or Producer answer the track is (its clip_id). Default: the clip "
                               + "whose clip_id or download name is the file's name, or the answer's only clip.",
                               valueName: "clip_id"))
    var clip: String?

    func validate() throws {
        if clip != nil && task == nil {
            throw ValidationError("--clip names a clip of a Sonic or Producer task answer: give the answer with --task")
        }
    }
}

/// The gate's options, shared by `check` and `process`.
struct GateOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A JSON file overriding gate thresholds.", valueName: "policy.json"))
    var policy: String?

    @Flag(help: "Treat warnings as failures.")
    var strict = false

    /// The gate these options describe; an unreadable policy is a usage error.
    func gate() throws -> Gate {
        var gatePolicy = Policy()
        if let policy {
            guard FileManager.default.isReadableFile(atPath: policy) else {
                printError("\(policy): no such file, or not readable")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            do { gatePolicy = try Policy.load(path: policy) } catch {
                printError("\(error)")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
        }
        return Gate(policy: gatePolicy, strict: strict)
    }
}

/// Whether to draw each track's picture (`NAME.svg`).
struct PlotOptions: ParsableArguments {
    @Flag(help: "Do not draw NAME.svg (waveform, loudness, section changes and defects of the track).")
    var noPlots = false
}

/// The batch-level report files of `batch` and `report`.
struct ReportFileOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write every track's report to this JSON Lines file (batch: in input order; report: by id).",
                               valueName: "file.jsonl"))
    var report: String?

    @Option(help: ArgumentHelp("Write a JUnit XML report (one test case per track) for CI systems.", valueName: "file.xml"))
    var junit: String?

    func validate() throws {
        if let report, report == junit { throw ValidationError("--report and --junit name the same file") }
    }
}

struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON Lines (one object per input) instead of text for people.")
    var json = false

    /// Prints one track's report (text, or a JSON line; an unreadable input as
    /// one line on standard error) and ends with the exit code it calls for.
    func show(_ report: TrackReport) throws {
        if json {
            try JSONLinesWriter().write(report)
        } else if report.unreadable && report.durationS == nil {
            printError(report.error ?? "unreadable input")
        } else {
            printText(report.renderText())
        }
        try finish(with: report.exitStatus)
    }
}

/// Writes one compact JSON object per line to standard output.
struct JSONLinesWriter {
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .throw
        return encoder
    }()

    func write<T: Encodable>(_ value: T) throws {
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}

/// Writes a line to standard error, for messages that must not mix with results.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("trackgate: \(TerminalText.field(message))\n".utf8))
}

/// Prints human output to standard output, escaped for the terminal (`TerminalText`).
func printText(_ text: String) {
    print(TerminalText.escaped(text))
}
