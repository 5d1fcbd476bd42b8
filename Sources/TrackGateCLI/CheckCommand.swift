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

        Exit codes: 0 pass or warn (warn fails with --strict), 1 fail or an invalid request, \
        2 an input that cannot be read.
        """
    )

    @OptionGroup var track: TrackInputOptions

    @OptionGroup var gateOptions: GateOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        let report = try gateOptions.gate().check(audioPath: track.audio, requestPath: track.request, taskPath: track.task)
        if output.json {
            try JSONLinesWriter().write(report)
        } else if report.unreadable {
            printError(report.error ?? "unreadable input")
        } else {
            print(report.renderText())
        }
        try finish(with: report.exitStatus)
    }
}
