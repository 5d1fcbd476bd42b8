import AudioCore
import AudioIO

/// What `trackgate info` reports for one file: its format and metadata, or why it could not be read.
public struct AudioFileReport: Sendable, Codable, Equatable {
    public let file: String
    public let container: String?
    public let codec: String?
    public let bitDepth: Int?
    public let sampleRate: Int?
    public let channels: Int?
    public let channelLayout: [ChannelPosition]?
    /// Frames: counted by decoding with `--decode`, otherwise as the header
    /// announces them (`null` when the header leaves the length open).
    public let frames: Int?
    public let durationS: Double?
    /// True when `frames` was counted by decoding every frame (nil for an error).
    public let decoded: Bool?
    public let fileSizeBytes: UInt64?
    public let tags: AudioTags?
    public let bext: BroadcastInfo?
    /// Set, and everything else nil, when the file could not be read.
    public let error: String?
    /// The error's kind (`missing`, `not_audio`, `truncated`, ...), for scripts.
    public let errorKind: AudioIOError.Kind?

    enum CodingKeys: String, CodingKey {
        case file, container, codec, bitDepth = "bit_depth", sampleRate = "sample_rate", channels
        case channelLayout = "channel_layout", frames, durationS = "duration_s", decoded, fileSizeBytes = "file_size_bytes"
        case tags, bext, error, errorKind = "error_kind"
    }

    /// - Parameter decodedFrames: the frames counted by decoding, when the file was decoded.
    public init(info: AudioFileInfo, decodedFrames: Int? = nil) {
        file = info.path
        container = info.encoding.container
        codec = info.encoding.codec
        bitDepth = info.encoding.bitDepth
        sampleRate = info.sampleRate
        channels = info.channelCount
        channelLayout = info.channelLayout
        frames = decodedFrames ?? info.frameCount
        durationS = frames.map { Double($0) / Double(info.sampleRate) }
        decoded = decodedFrames != nil
        fileSizeBytes = info.fileSize
        tags = info.tags
        bext = info.broadcastInfo
        error = nil
        errorKind = nil
    }

    public init(error: AudioIOError) {
        file = error.path
        container = nil; codec = nil; bitDepth = nil; sampleRate = nil; channels = nil
        channelLayout = nil; frames = nil; durationS = nil; fileSizeBytes = nil; tags = nil; bext = nil
        decoded = nil
        self.error = error.detail
        errorKind = error.kind
    }

    /// Opens the file and reads its description; with `decode`, also decodes
    /// every frame, which catches damage that headers cannot show (a cut FLAC or
    /// MP3 stream) and reports the length that decodes rather than the announced one.
    public static func inspect(path: String, decode: Bool = false) -> AudioFileReport {
        do throws(AudioIOError) {
            var file = try SoundFile(path: path)
            if decode {
                var block = AudioBlock(channelCount: file.info.channelCount)
                while try file.read(into: &block) {}
                return AudioFileReport(info: file.info, decodedFrames: file.position)
            }
            return AudioFileReport(info: file.info)
        } catch {
            return AudioFileReport(error: error)
        }
    }

    public var exitStatus: ExitStatus { error == nil ? .success : .unreadable }

    /// A few aligned lines for people.
    public func renderText() -> String {
        guard error == nil, let sampleRate, let channels else {
            return "\(TerminalText.field(file)): \(TerminalText.field(error ?? "unreadable"))"
        }
        let depth = bitDepth.map { " \($0)-bit" } ?? ""
        let layout = channelLayout.map { " (" + $0.map(\.rawValue).joined(separator: ", ") + ")" } ?? ""
        var lines = [
            TerminalText.field(file),
            "  format    \(container ?? "?") / \(codec ?? "?")\(depth)",
            "  audio     \(sampleRate) Hz, \(channels) channel\(channels == 1 ? "" : "s")\(layout)",
            "  length    " + (frames.map { frames in
                "\(DurationText.clock(durationS ?? 0)) (\(frames) frames\(decoded == true ? ", decoded" : ""))"
            } ?? "unknown: the header does not say (--decode counts it)"),
        ]
        for (key, value) in tags?.entries ?? [] {
            lines.append("  \(key.padding(toLength: 9, withPad: " ", startingAt: 0)) \(TerminalText.field(value))")
        }
        if let bext {
            lines.append("  bext      \(bext.description.isEmpty ? "(no description)" : TerminalText.field(bext.description))")
            if let l = bext.loudness {
                func shown(_ value: Double?, _ unit: String) -> String { value.map { "\($0) \(unit)" } ?? "not set" }
                lines.append("            \(shown(l.integratedLUFS, "LUFS")), LRA \(shown(l.rangeLU, "LU")), "
                    + "true peak \(shown(l.maxTruePeakDBTP, "dBTP"))")
            }
        }
        return lines.joined(separator: "\n")
    }
}

import Foundation
