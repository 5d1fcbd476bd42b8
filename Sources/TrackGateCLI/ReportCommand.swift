import ArgumentParser
import AudioIO
import Foundation
import TrackGate

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "One answer for a batch run in shards: its page, reports and exit code from the track reports in OUT.",
        discussion: """
        A batch spread over a job array (`batch --shard I/N`, on Kubernetes, Slurm, GNU parallel \
        or several machines) leaves one report per track, OUT/ID.json, in the output folder(s). \
        Once the shards are done, `report` reads them and gives what one `batch` would have: \
        OUT/index.html, the summary, --report JSON Lines, --junit XML and the exit code, every \
        track once, ordered by id. It neither reads audio nor judges again: verdicts are the \
        reports'.

        With --inputs (the batch's INPUT arguments: folders or manifests), the tracks they list \
        are the batch: a listed track without a report is an error track (no_report) naming its \
        missing shard, a broken manifest line is reported as `batch` does, and reports for tracks \
        no longer listed are left out. Without --inputs, every report found is the batch. Give \
        OUT first: --inputs takes every value up to the next option.

        A report file that is damaged (cut short, edited, saved as UTF-16) is an error track \
        (broken_report) saying where it goes wrong; other JSON files are skipped and counted.

        A track reported in two folders counts once when both reports agree (same inputs, \
        settings and verdict); when they differ it is an error track (conflicting_reports). \
        Reports made with different settings are named in a note.

        Exit codes, as for batch: 0 every track passed or warned, 1 a track failed, 2 a track \
        could not be read or has no report, 64 usage.

        Examples:
          trackgate report delivery/ --inputs downloads/
          trackgate report delivery/ --inputs tracks.jsonl --junit gate.xml
          trackgate report a/out b/out --inputs downloads/ --page summary.html
        """
    )

    // Optional here so that a folder swallowed by --inputs gets a message that says so.
    @Argument(help: ArgumentHelp("Output folders of the batch's runs (their --out), before --inputs.", valueName: "out"))
    var folders: [String] = []

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("The batch's inputs (folders or .jsonl manifests), to tell tracks without a report.", valueName: "input"))
    var inputs: [String] = []

    @OptionGroup var reportFiles: ReportFileOptions

    @Option(help: ArgumentHelp("Where to write the batch's page (default: index.html in the first folder).", valueName: "file.html"))
    var page: String?

    @Flag(help: "Write no page.")
    var noPage = false

    @OptionGroup var output: OutputOptions

    @Flag(name: .shortAndLong, help: "No per-track lines, no summary: only the exit code and the files.")
    var quiet = false

    func validate() throws {
        guard !folders.isEmpty else {
            throw ValidationError(inputs.isEmpty
                ? "give the batch's output folder (its --out)"
                : "give the batch's output folder before --inputs (--inputs takes every value up to the next option)")
        }
        for folder in folders {
            if let input = inputs.first(where: { FilePaths.resolved($0) == FilePaths.resolved(folder) }) {
                throw ValidationError("\(folder) is the input folder \(input): give the batch's --out folder")
            }
        }
        if let page {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: page, isDirectory: &isDirectory), isDirectory.boolValue {
                throw ValidationError("--page \(page) is a folder: give a file name, e.g. \((page as NSString).appendingPathComponent("index.html"))")
            }
        }
        try checkSourceDateEpoch()
        if page != nil && noPage { throw ValidationError("--page and --no-page contradict each other") }
        if let page, [reportFiles.report, reportFiles.junit].contains(page) {
            throw ValidationError("--page names the same file as --report or --junit")
        }
    }

    func run() throws {
        let merge: ReportMerge
        do {
            merge = try ReportMerge.merge(folders: folders, expected: inputs.isEmpty ? nil : BatchInventory.collect(inputs))
        } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.unreadable.rawValue)
        }
        guard merge.reportsRead > 0 || merge.tracks.contains(where: { $0.result.errorKind == InputErrorKind.brokenReport.name }) else {
            // Nothing of the batch's: a wrong folder, most likely; write nothing.
            let listed = merge.tracks.isEmpty ? "" : " (\(merge.tracks.count) track\(merge.tracks.count == 1 ? "" : "s") listed)"
            printError("no track reports in \(folders.joined(separator: ", "))\(listed): is this the batch's --out folder, and has a shard run?")
            throw ExitCode(ExitStatus.unreadable.rawValue)
        }
        let summary = merge.summary
        let results = merge.tracks.map(\.result)
        let missing = results.filter { $0.errorKind == InputErrorKind.noReport.name }.count
        var headline = "\(results.count) track\(results.count == 1 ? "" : "s") from \(merge.reportsRead) report\(merge.reportsRead == 1 ? "" : "s") in "
            + folders.joined(separator: ", ")
        if missing > 0 { headline += "; \(missing) listed track\(missing == 1 ? " has" : "s have") no report" }

        let text = !output.json && !quiet
        let pagePath = noPage ? nil : page ?? (folders[0] as NSString).appendingPathComponent("index.html")
        let sink = try ReportSink(path: reportFiles.report, junit: reportFiles.junit, keep: false, echoJSON: output.json)
        do throws(AudioIOError) {
            if reportFiles.report != nil || output.json {
                for track in merge.tracks { sink.add(track.result, report: try track.reportLine()) }
            }
            if text {
                for result in results { if let line = BatchCommand.line(for: result) { printText(line) } }
            }
            try sink.commit(seconds: 0, results: results)
            if let pagePath {
                let folder = (pagePath as NSString).deletingLastPathComponent
                if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
                let settings = [("folders", folders.joined(separator: " ")),
                                ("inputs", inputs.isEmpty ? "not given: every report found" : inputs.joined(separator: " ")),
                                ("reports read", String(merge.reportsRead))] + merge.notes.map { ("note", $0) }
                let html = BatchIndexPage.render(results, summary: summary, headline: headline, settings: settings,
                                                 pageFolder: folder.isEmpty ? "." : folder)
                try AtomicFile.write(Array(html.utf8), to: pagePath, replaceExisting: true)
            }
        } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.unreadable.rawValue)
        }
        if !quiet {
            let lines = [summary.renderText(headline: headline)] + merge.notes.map { "note: \($0)" }
            let shown = TerminalText.escaped(lines.joined(separator: "\n"))
            if output.json { FileHandle.standardError.write(Data((shown + "\n").utf8)) } else { print(shown) }
        }
        try finish(with: summary.exitStatus)
    }
}
