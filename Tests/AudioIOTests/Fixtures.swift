import AudioIO
import Foundation
import Testing
import TrackGateTestSupport

/// Writes `data` to `name` in `dir` and returns the path.
func put(_ data: Data, _ name: String, in dir: TemporaryDirectory) throws -> String {
    let path = dir.file(name)
    try data.write(to: URL(fileURLWithPath: path))
    return path
}

/// Runs ffmpeg quietly; a failure is a test failure with ffmpeg's own words.
func ffmpeg(_ arguments: [String]) throws {
    guard ExternalTool.find("ffmpeg") != nil else {
        Issue.record("ffmpeg is not installed: run scripts/setup.sh (the tests use it as an independent encoder)")
        throw CancellationError()
    }
    let result = try ExternalTool.run("ffmpeg", ["-nostdin", "-loglevel", "error", "-y"] + arguments)
    if result.status != 0 { Issue.record("ffmpeg \(arguments.joined(separator: " ")) failed: \(result.stderr)") }
}

/// The error a throwing call raised, or nil. Any other error type is recorded as a failure.
func audioError(_ body: () throws -> Void) -> AudioIOError? {
    do {
        try body()
        return nil
    } catch let error as AudioIOError {
        return error
    } catch {
        Issue.record("expected an AudioIOError, got \(error)")
        return nil
    }
}

func rms(_ x: ArraySlice<Float>) -> Double {
    (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, x.count))).squareRoot()
}
