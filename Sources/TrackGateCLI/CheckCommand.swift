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

    @Argument(help: ArgumentHelp("The downloaded track.", valueName: "audio"))
    var audio: String

    @Option(help: ArgumentHelp("The request JSON that made the track.", valueName: "request.json"))
    var request: String

    @Option(help: ArgumentHelp("The task answer JSON (\"Get Music\"), to check its reported duration.", valueName: "task.json"))
    var task: String?

    @OptionGroup var gateOptions: GateOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        let report = try gateOptions.gate().check(audioPath: audio, requestPath: request, taskPath: task)
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
