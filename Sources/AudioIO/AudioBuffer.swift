/// A whole signal in memory, one contiguous `[Float]` per channel (planar).
///
/// Samples are nominally in [-1, 1]; float files may hold values beyond that,
/// and NaN or infinity, which are kept as they are so checks can see them.
public struct AudioBuffer: Sendable, Equatable {
    public var sampleRate: Int
    /// `channels[c][i]` is sample `i` of channel `c`; all channels have one length.
    public var channels: [[Float]]

    public init(sampleRate: Int, channels: [[Float]]) {
        precondition(Set(channels.map(\.count)).count <= 1, "channels must have equal lengths")
        self.sampleRate = sampleRate
        self.channels = channels
    }

    public var channelCount: Int { channels.count }
    public var frameCount: Int { channels.first?.count ?? 0 }
    public var duration: Double { sampleRate > 0 ? Double(frameCount) / Double(sampleRate) : 0 }
}
