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
        no longer listed are left out. Without --inputs, every report found is the batch.

        A track reported in two folders counts once when both reports agree (same inputs, \
        settings and verdict); when they differ it is an error track (conflicting_reports). \
        Reports made with different settings are named in a note.

        Exit codes, as for batch: 0 every track passed or warned, 1 a track failed, 2 a track \
        could not be read or has no report, 64 usage.

        Examples:
          trackgate report delivery/ --inputs downloads/
          trackgate report delivery/ --inputs tracks.jsonl --junit gate.xml --report all.jsonl
          trackgate report node-a/out node-b/out --inputs downloads/ --page summary/index.html
        """
    )

    @Argument(help: ArgumentHelp("Output folders of the batch's runs (their --out).", valueName: "out"))
    var folders: [String]

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("The batch's inputs (folders or .jsonl manifests), to tell tracks without a report.", valueName: "input"))
    var inputs: [String] = []

    @Option(help: ArgumentHelp("Write every track's report to this JSON Lines file, ordered by id.", valueName: "file.jsonl"))
    var report: String?

    @Option(help: ArgumentHelp("Write a JUnit XML report (one test case per track) for CI systems.", valueName: "file.xml"))
    var junit: String?

    @Option(help: ArgumentHelp("Where to write the batch's page (default: index.html in the first folder).", valueName: "file.html"))
    var page: String?

    @Flag(help: "Write no page.")
    var noPage = false

    @OptionGroup var output: OutputOptions

    @Flag(name: .shortAndLong, help: "No per-track lines, no summary: only the exit code and the files.")
    var quiet = false

    func validate() throws {
        if let report, report == junit { throw ValidationError("--report and --junit name the same file") }
        if page != nil && noPage { throw ValidationError("--page and --no-page contradict each other") }
        if let page, [report, junit].contains(page) { throw ValidationError("--page names the same file as --report or --junit") }
    }

    func run() throws {
        let merge: ReportMerge
        do {
            merge = try ReportMerge.merge(folders: folders, expected: inputs.isEmpty ? nil : BatchInventory.collect(inputs))
        } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.unreadable.rawValue)
        }
        guard !merge.tracks.isEmpty else {
            printError("no track reports in \(folders.joined(separator: ", "))\(inputs.isEmpty ? "" : " and no tracks in \(inputs.joined(separator: ", "))")"
                       + ": is this the batch's --out folder?")
            throw ExitCode(ExitStatus.unreadable.rawValue)
        }
        let summary = merge.summary
        let results = merge.tracks.map(\.result)
        let missing = results.filter { $0.errorKind == "no_report" }.count
        var headline = "\(results.count) tracks from \(merge.reportsRead) report\(merge.reportsRead == 1 ? "" : "s") in "
            + folders.joined(separator: ", ")
        if missing > 0 { headline += "; \(missing) listed track\(missing == 1 ? " has" : "s have") no report" }

        let text = !output.json && !quiet
        let pagePath = noPage ? nil : page ?? (folders[0] as NSString).appendingPathComponent("index.html")
        let sink = try ReportSink(path: report, junit: junit, keep: false, echoJSON: output.json)
        do throws(AudioIOError) {
            if report != nil || output.json {
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
