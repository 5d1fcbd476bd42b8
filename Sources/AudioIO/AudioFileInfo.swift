/// What a file says about itself, read when it is opened.
public struct AudioFileInfo: Sendable, Hashable, Codable {
    /// The path as the caller gave it.
    public let path: String
    public let encoding: AudioEncoding
    /// Frames per second.
    public let sampleRate: Int
    public let channelCount: Int
    /// Frames in the file. For MP3 this is libsndfile's scan of the stream.
    public let frameCount: Int
    /// The file's channel map, when it has one (WAVE_FORMAT_EXTENSIBLE, CAF, ...).
    public let channelLayout: [ChannelPosition]?
    public let tags: AudioTags
    /// The Broadcast Wave `bext` chunk, when present.
    public let broadcastInfo: BroadcastInfo?
    /// Cue markers (frame positions) of a WAV `cue ` chunk; empty when there is none.
    public let cuePoints: [Int]
    /// Size of the file in bytes.
    public let fileSize: UInt64

    /// Duration in seconds.
    public var duration: Double { sampleRate > 0 ? Double(frameCount) / Double(sampleRate) : 0 }
}
