import AudioCore

/// What a file says about itself, read when it is opened.
public struct AudioFileInfo: Sendable, Hashable, Codable {
    /// The path as the caller gave it.
    public let path: String
    public let encoding: AudioEncoding
    /// Frames per second.
    public let sampleRate: Int
    public let channelCount: Int
    /// Frames the file announces: its header's count (FLAC STREAMINFO, an MP3's
    /// Xing/LAME header or a count of its frame headers, the WAV `data` size),
    /// nil when the header leaves the length open (a FLAC from a streaming
    /// encoder). An announcement, not a measurement: decoding can end sooner,
    /// which `SoundFile.read` reports as `.truncated`; what decodes is the duration.
    public let frameCount: Int?
    /// The file's channel map, when it has one (WAVE_FORMAT_EXTENSIBLE, CAF, ...).
    public let channelLayout: [ChannelPosition]?
    public let tags: AudioTags
    /// The Broadcast Wave `bext` chunk, when present.
    public let broadcastInfo: BroadcastInfo?
    /// Cue markers (frame positions) of a WAV `cue ` chunk; empty when there is none.
    public let cuePoints: [Int]
    /// Size of the file in bytes.
    public let fileSize: UInt64

    /// The announced duration in seconds (nil when the length is unknown until decoded).
    public var duration: Double? { frameCount.map { sampleRate > 0 ? Double($0) / Double(sampleRate) : 0 } }
}
