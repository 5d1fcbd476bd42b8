import Foundation

/// Runs an installed tool (ffmpeg, ffprobe) as an independent implementation to
/// check TrackGate against.
public enum ExternalTool {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The tool's full path, or nil when it is not installed.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// - Parameters:
    ///   - directory: the working directory (default: this process's).
    ///   - environment: variables set for the tool on top of this process's.
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.executableURL = URL(fileURLWithPath: executable.contains("/") ? executable : (find(executable) ?? executable))
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain both pipes at once: a tool that fills one while we wait on the
        // other would block forever (ffmpeg's ebur128 logs every 100 ms to stderr).
        let errorOutput = PipeDrain(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = errorOutput.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// ffmpeg's `ebur128` summary of a file: integrated loudness (LUFS) and true
    /// peak (dBTP), each printed to 0.1.
    public static func ffmpegLoudness(_ path: String) throws -> (integrated: Double, truePeak: Double)? {
        let result = try run("ffmpeg", ["-hide_banner", "-nostats", "-i", path, "-af", "ebur128=peak=true", "-f", "null", "-"])
        guard result.status == 0, let summary = result.stderr.range(of: "Summary:") else { return nil }
        let lines = result.stderr[summary.upperBound...].split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        func value(after prefix: String) -> Double? {
            lines.first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count).split(separator: " ").first ?? "") }
        }
        guard let i = value(after: "I:"), let peak = value(after: "Peak:") else { return nil }
        return (i, peak)
    }

    /// ffprobe's view of a file's tags, keys lower-cased: the format's (RIFF
    /// INFO, ID3v2, FLAC's comment) and the first stream's (Ogg comment headers).
    public static func ffprobeTags(_ path: String) throws -> [String: String] {
        let result = try run("ffprobe", ["-v", "error", "-show_entries", "format_tags:stream_tags", "-of", "json", path])
        guard result.status == 0,
              let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else { return [:] }
        var tags = (object["format"] as? [String: Any])?["tags"] as? [String: Any] ?? [:]
        let stream = ((object["streams"] as? [[String: Any]])?.first?["tags"] as? [String: Any]) ?? [:]
        tags.merge(stream) { format, _ in format }
        return Dictionary(tags.map { ($0.key.lowercased(), "\($0.value)") }) { a, _ in a }
    }

    /// ffprobe's figure for the first audio stream: `bit_rate`, `sample_rate`, `codec_name`, ...
    public static func ffprobeStream(_ path: String, _ entry: String) throws -> String? {
        let result = try run("ffprobe", ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=\(entry)",
                                         "-of", "default=noprint_wrappers=1:nokey=1", path])
        guard result.status == 0 else { return nil }
        let value = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty || value == "N/A" ? nil : value
    }

    /// The number of frames ffmpeg decodes from a file (as 32-bit float, at its own rate and channels).
    public static func ffmpegDecodedFrames(_ path: String, channels: Int) throws -> Int? {
        let result = try run("sh", ["-c", "ffmpeg -v error -i \"$0\" -f f32le - | wc -c", path])
        guard result.status == 0, let bytes = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return bytes / (4 * channels)
    }
}

/// Reads a pipe to its end on a background thread.
private final class PipeDrain: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
