import ArgumentParser
import TrackGate

@main
struct TrackGateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trackgate",
        abstract: "Check and finish AI-generated music tracks against the request that made them.",
        discussion: """
        Exit codes (the same for every subcommand):
          0   every input passed (warnings allowed)
          1   at least one track failed the gate or a request is invalid
          2   at least one input could not be read (missing, corrupt, not audio, not JSON)
          64  usage error
        When inputs disagree, the highest applicable code wins (2 over 1 over 0).
        `batch` exits 130 when stopped by Ctrl-C or SIGTERM.

        Examples:
          trackgate validate samples/requests/*.json
          trackgate info samples/tracks/*.flac --json
          trackgate loudness samples/tracks/*.flac
          trackgate check samples/tracks/battle-loop.flac --request samples/tracks/battle-loop.request.json
          trackgate process samples/tracks/battle-loop.flac --request samples/tracks/battle-loop.request.json --out out/
          trackgate batch samples/tracks --out out/ --report out/report.jsonl
          trackgate report out/ --inputs samples/tracks
        """,
        version: TrackGateVersion.current,
        subcommands: [ValidateCommand.self, InfoCommand.self, LoudnessCommand.self, CheckCommand.self, ProcessCommand.self, BatchCommand.self,
                      ReportCommand.self]
    )
}

/// Ends the process with the contract's exit code.
func finish(with status: ExitStatus) throws {
    if status != .success { throw ExitCode(status.rawValue) }
}
