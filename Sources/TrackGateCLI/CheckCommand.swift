import ArgumentParser
import Foundation
import TrackGate

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "The QA gate for one track: does it match its request, and is it free of defects?",
        discussion: """
        Decodes the track once and checks, against the request (and the task answer, when \
        given): its duration, each requested section boundary (BGM v2.0 segments), silence \
        at either end, dropouts, clipping, an ending that stops without decaying, DC offset, \
        NaN or infinite samples, identical or inverted stereo channels, true peak and \
        loudness. Each check passes, warns or fails; the verdict is the worst of them. \
        Thresholds, with their reasons, are the defaults of the policy (see the README); \
        --policy overrides any of them.

        It also draws NAME.svg in --plot-dir (the current folder by default): the waveform \
        with defects shaded, short-term loudness against -14 LUFS, and the novelty curve \
        with the requested section boundaries. --no-plots turns it off.

        Exit codes: 0 pass or warn (warn fails with --strict), 1 fail or an invalid request, \
        2 an input that cannot be read.
        """
    )

    @OptionGroup var track: TrackInputOptions

    @OptionGroup var gateOptions: GateOptions

    @Option(help: ArgumentHelp("Folder for NAME.svg, the track's picture (created if missing; an older picture is replaced).",
                               valueName: "dir"))
    var plotDir = "."

    @OptionGroup var plotOptions: PlotOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        let gate = try gateOptions.gate()
        let plots = !plotOptions.noPlots
        var outcome = gate.evaluate(audioPath: track.audio, request: .file(track.request), task: track.task.map(JSONSource.file),
                                    envelopeColumns: plots ? TrackPlot.envelopeColumns : nil)
        if plots {
            try? FileManager.default.createDirectory(atPath: plotDir, withIntermediateDirectories: true)
            let path = (plotDir as NSString).appendingPathComponent("\(Gate.trackID(track.audio)).svg")
            outcome.report.attachPlot(analysis: outcome.analysis, policy: gate.policy,
                                      targetLUFS: FinishSettings().targetLUFS, path: path)
        }
        let report = outcome.report
        try output.show(report)
    }
}
