import ArgumentParser
import AudioIO
import Foundation
import Synchronization
import TrackGate

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Check or process many tracks on all cores: resumable, shardable, with reports for CI.",
        discussion: """
        INPUT is a folder or a JSON Lines manifest. In a folder, a track is NAME.<wav|flac|ogg|mp3|...> \
        with NAME.request.json (and optionally NAME.task.json) beside it; NAME is its id. Folders are \
        not searched recursively. A manifest has one track a line:
          {"id": "song-01", "audio": "dl/song-01.wav", "request": "req/song-01.json", "task": {...}}
        where request and task are paths (relative to the manifest) or JSON objects, and id defaults \
        to the audio file's name. Ids name the outputs, so they must be plain file names.

        Each track is processed as by `process` (or checked as by `check` with --check-only), \
        writing OUT/ID.json and, when written, OUT/ID.wav|flac|mp3|opus. A broken track (corrupt audio, \
        missing or invalid request) gets verdict `error` and the batch goes on.

        Reruns are cheap: a track whose outputs in OUT are complete and current (same audio \
        content, same request and task, same settings and version) is not redone. Outputs that \
        are not current are replaced: OUT belongs to the batch. A run stopped at any moment, \
        even by kill -9, leaves no partial file under a final name; rerunning the same command \
        finishes it. Ctrl-C (or SIGTERM) stops taking new tracks, lets started ones finish and \
        writes the reports; exit code 130.

        Unless --no-plots, each track also gets OUT/ID.svg, its picture. The batch gets \
        OUT/index.html: the summary and a table of every track (sortable, filterable by \
        verdict) that opens each picture, all in one file that needs no network.

        --shard I/N keeps the tracks whose id hashes to share I of N (I from 0): run N machines \
        with I = 0 ... N-1 over the same inputs and OUT and each track is done exactly once. \
        A shard writes its page as OUT/index-shard-I-of-N.html; when all are done, \
        `trackgate report OUT --inputs INPUT...` makes the batch's page, reports and exit code.

        Exit codes: 0 every track passed or warned, 1 a track failed, 2 a track could not be \
        read, 64 usage; the highest wins. 130 when interrupted.

        Examples:
          trackgate batch downloads/ --out delivery/ --report delivery/report.jsonl
          trackgate batch tracks.jsonl --check-only --junit gate.xml --jobs 8
          trackgate batch downloads/ --out delivery/ --target-lufs -16 --true-peak-dbtp -1.5
          trackgate batch downloads/ --out delivery/ --shard $JOB_COMPLETION_INDEX/10
        """
    )

    @Argument(help: ArgumentHelp("Folders of tracks, or JSON Lines manifests (.jsonl).", valueName: "input"))
    var inputs: [String]

    @Option(help: ArgumentHelp("Folder for each track's outputs and report (required unless --check-only).", valueName: "dir"))
    var out: String?

    @Flag(help: "Only gate the tracks: no audio is written (with --out, each track's report still is).")
    var checkOnly = false

    @OptionGroup(title: "Finishing") var finishing: FinishOptions

    @OptionGroup var gateOptions: GateOptions

    @Flag(help: "Write tracks even when the gate or the verification fails them.")
    var force = false

    @Option(name: .customLong("jobs"), parsing: .unconditional, help: ArgumentHelp("Tracks worked on at once (default: all cores).", valueName: "n"))
    var jobsOption: Int?

    var jobs: Int { jobsOption ?? ProcessInfo.processInfo.activeProcessorCount }

    @Option(help: ArgumentHelp("Only this deterministic share of the tracks, I of N counting from 0.", valueName: "I/N"))
    var shard: String?

    @OptionGroup var reportFiles: ReportFileOptions

    @OptionGroup var plotOptions: PlotOptions

    @OptionGroup var output: OutputOptions

    @Flag(name: .shortAndLong, help: "No progress, no per-track lines, no summary: only the exit code and the files.")
    var quiet = false

    func validate() throws {
        if out == nil && !checkOnly {
            throw ValidationError("--out is required (or --check-only, to gate without writing audio)")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let shard { _ = try parsedShard(shard) }
        // Outputs named like the inputs would be listed as tracks by the next run.
        if let out {
            if let input = inputs.first(where: { FilePaths.resolved($0) == FilePaths.resolved(out) }) {
                throw ValidationError("--out \(out) is the input folder \(input); choose a folder of its own")
            }
        }
    }

    private func parsedShard(_ text: String) throws -> Shard {
        do { return try Shard(parsing: text) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let gate = try gateOptions.gate()
        let shard = try shard.map(parsedShard) ?? .all
        let tracks = BatchInventory.collect(inputs).filter { shard.contains($0.id) }
        let runner = BatchRunner(gate: gate, finisher: Finisher(settings: finishing.settings), checkOnly: checkOnly,
                                 force: force, outputDirectory: out, jobs: jobs, plots: !plotOptions.noPlots)
        // A shard's page has a name of its own: shards share OUT, and the batch's
        // page is `report`'s to write once they are all done.
        let page = out.map { ($0 as NSString).appendingPathComponent(BatchIndexPage.fileName(for: shard)) }
        // Workers actually started: never more than there are tracks.
        let activeJobs = min(jobs, max(tracks.count, 1))
        let sink = try ReportSink(path: reportFiles.report, junit: reportFiles.junit, keep: page != nil || reportFiles.junit != nil,
                                  echoJSON: output.json)
        let progress = ProgressDisplay(total: tracks.count, quiet: quiet)
        let cancellation = BatchCancellation()
        let interrupts = InterruptHandler { cancellation.cancel() }
        let ticker = DispatchSource.makeTimerSource(queue: .global())
        ticker.schedule(deadline: .now() + 0.25, repeating: 0.25)
        ticker.setEventHandler { progress.tick() }
        ticker.resume()

        let text = !output.json && !quiet
        runner.run(tracks, cancellation: cancellation, finished: { progress.add($0) }, ordered: { result in
            sink.add(result)
            if text, let line = Self.line(for: result) { progress.printAbove(line) }
        })
        ticker.cancel()
        interrupts.stop()
        progress.end()

        let summary = progress.summary
        let seconds = progress.elapsed
        // A signal after the last track started stops nothing: the batch is complete.
        let interrupted = cancellation.isCancelled && summary.done < summary.total
        do {
            try sink.commit(seconds: seconds)
            if let page {
                let html = BatchIndexPage.render(sink.kept, summary: summary,
                                                 headline: summary.headline(seconds: seconds, jobs: activeJobs, interrupted: false),
                                                 settings: pageSettings(shard: shard))
                try AtomicFile.write(Array(html.utf8), to: page, replaceExisting: true)
            }
        } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.unreadable.rawValue)
        }
        if !quiet {
            let table = tracks.isEmpty
                ? "no tracks in \(inputs.joined(separator: ", "))\(shard == .all ? "" : " for shard \(shard)")"
                : summary.renderText(seconds: seconds, jobs: activeJobs, interrupted: interrupted)
            var shown = TerminalText.escaped(table)
            if shard.count > 1 && !tracks.isEmpty, let out {
                shown += "\nshard \(shard) of the batch: once every shard is done, "
                    + "trackgate report \(([out, "--inputs"] + inputs).map(TerminalText.shellQuoted).joined(separator: " ")) "
                    + "gives the whole batch's page, reports and exit code"
            }
            if output.json { FileHandle.standardError.write(Data((shown + "\n").utf8)) } else { print(shown) }
        }
        if interrupted { throw ExitCode(130) }
        try finish(with: summary.exitStatus)
    }

    /// What the page's settings table shows.
    private func pageSettings(shard: Shard) -> [(String, String)] {
        let f = finishing.settings
        var rows: [(String, String)] = [("inputs", inputs.joined(separator: " ")), ("mode", checkOnly ? "check only" : "process")]
        if !checkOnly {
            rows += [("target", String(format: "%.1f LUFS", f.targetLUFS)), ("true-peak ceiling", String(format: "%.1f dBTP", f.ceilingDBTP)),
                     ("peaks", f.peakHandling.rawValue), ("sample rate", f.sampleRate.map { "\($0) Hz" } ?? "source rate"),
                     ("format", f.tagsOnly ? "the source's (tags only)" : f.format.isLossy
                        ? "\(f.format.container.rawValue), \(f.format.bitrateKbps.map { "\($0) kbit/s" } ?? "default bit rate")"
                        : "\(f.format.container.rawValue), \(f.format.sampleFormat.rawValue)"),
                     ("gain tags", f.gainTagStyle.rawValue),
                     ("resampler", "\(f.resampler.rawValue) \(f.resampleQuality.rawValue)"), ("dither", f.dither ? "TPDF" : "none"),
                     ("force", force ? "yes" : "no")]
        } else if !plotOptions.noPlots {
            rows.append(("target drawn", String(format: "%.1f LUFS", f.targetLUFS)))
        }
        rows += [("policy", gateOptions.policy ?? "defaults"), ("strict", gateOptions.strict ? "yes" : "no"),
                 ("jobs", String(jobs)), ("shard", shard.description)]
        return rows
    }

    /// One line for a track that did not simply pass.
    static func line(for r: BatchResult) -> String? {
        switch r.verdict {
        case .pass where r.problems.isEmpty: return nil
        case .error:
            // A listing problem names its place itself ("m.jsonl:7: ..."), which
            // is also the track's id when the line gave none: say it once.
            let error = TerminalText.field(r.error ?? "the track could not be checked")
            let id = TerminalText.field(r.id)
            return error.hasPrefix("\(id):") ? "error  \(error)" : "error  \(id): \(error)"
        default:
            let worst = r.problems.filter { $0.status == (r.verdict == .fail ? .fail : .warn) }
            let shown = worst.isEmpty ? r.problems : worst
            return "\(r.verdict.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0))  \(TerminalText.field(r.id)): "
                + shown.map { "\($0.id): \(TerminalText.field($0.message))" }.joined(separator: "; ")
        }
    }
}

/// Ctrl-C and SIGTERM (what Kubernetes and Slurm send before killing) ask the
/// batch to stop after the tracks in hand; a second one ends the process at
/// once (temporaries it leaves are hidden and removed by the rerun).
final class InterruptHandler {
    private let sources: [any DispatchSourceSignal]

    init(_ onFirst: @escaping @Sendable () -> Void) {
        let count = Atomic<Int>(0)
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if count.add(1, ordering: .relaxed).newValue == 1 {
                    FileHandle.standardError.write(Data("\ntrackgate: stopping after the tracks in hand (again to quit now)\n".utf8))
                    onFirst()
                } else {
                    exit(130)
                }
            }
            source.resume()
            return source
        }
    }

    func stop() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
