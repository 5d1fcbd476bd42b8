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

        It writes nothing unless asked: with --plot-dir DIR it also draws DIR/NAME.svg, the \
        waveform with defects shaded, short-term loudness against the target (-14 LUFS), and \
        the novelty curve with the requested section boundaries. NAME is the audio file's name \
        without its extension.

        Exit codes: 0 pass or warn (warn fails with --strict), 1 fail or an invalid request, \
        2 an input that cannot be read.
        """
    )

    @OptionGroup var track: TrackInputOptions

    @OptionGroup var gateOptions: GateOptions

    @Option(help: ArgumentHelp("Draw the track's picture, NAME.svg, in this folder (created if missing; an older "
                               + "picture is replaced). Without it, check writes no file.", valueName: "dir"))
    var plotDir: String?

    @Flag(help: ArgumentHelp("Draw no picture even with --plot-dir.", visibility: .hidden))
    var noPlots = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        let gate = try gateOptions.gate()
        let plotDir = noPlots ? nil : self.plotDir
        var outcome = gate.evaluate(audioPath: track.audio, request: .file(track.request), task: track.task.map(JSONSource.file), clip: track.clip,
                                    envelopeColumns: plotDir != nil ? TrackPlot.envelopeColumns : nil)
        if let plotDir {
            try? FileManager.default.createDirectory(atPath: plotDir, withIntermediateDirectories: true)
            let path = (plotDir as NSString).appendingPathComponent("\(TrackID.of(audioPath: track.audio)).svg")
            outcome.report.attachPlot(analysis: outcome.analysis, policy: gate.policy,
                                      targetLUFS: FinishSettings().targetLUFS, path: path)
        }
        let report = outcome.report
        try output.show(report)
    }
}
