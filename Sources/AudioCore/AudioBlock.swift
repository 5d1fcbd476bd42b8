/// A reusable planar block of frames for streaming: the reader fills it, DSP
/// stages read it, and no allocation happens per block.
///
/// Storage is one array, channel after channel, each `capacity` long; only the
/// first `frameCount` frames of each channel are valid.
public struct AudioBlock: Sendable {
    public let channelCount: Int
    public let capacity: Int
    /// Valid frames in this block (0 ... capacity).
    public package(set) var frameCount: Int
    @usableFromInline package var storage: [Float]

    /// The most samples (all channels) one block holds: 2^17, 512 KiB, which is
    /// a 65,536-frame stereo block. Files of many channels (up to 1,024) get
    /// shorter blocks, so memory follows what is read, not channels times a fixed length.
    public static let maximumSamples = 1 << 17

    /// - Parameter capacity: frames per channel wanted; lowered (to no less than
    ///   128) when `channelCount` times it would exceed `maximumSamples`.
    public init(channelCount: Int, capacity: Int = 65_536) {
        precondition(channelCount > 0 && capacity > 0)
        self.channelCount = channelCount
        let capacity = min(capacity, max(128, Self.maximumSamples / channelCount))
        self.capacity = capacity
        self.frameCount = 0
        self.storage = [Float](repeating: 0, count: channelCount * capacity)
    }

    /// The valid samples of one channel.
    @inlinable
    public func channel(_ index: Int) -> ArraySlice<Float> {
        storage[index * capacity ..< index * capacity + frameCount]
    }

    /// Lends the valid samples of one channel without copying.
    @inlinable
    public func withChannel<R>(_ index: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[index * capacity ..< index * capacity + frameCount]))
        }
    }

    /// Lends the valid samples of every channel at once, in channel order.
    @inlinable
    public func withChannels<R, E: Error>(_ body: ([UnsafeBufferPointer<Float>]) throws(E) -> R) throws(E) -> R {
        try storage.withUnsafeBufferPointer { (all) throws(E) in
            try body((0..<channelCount).map {
                UnsafeBufferPointer(rebasing: all[$0 * capacity ..< $0 * capacity + frameCount])
            })
        }
    }

    /// Lends the valid samples of every channel for changing in place (a gain stage).
    @inlinable
    public mutating func withMutableChannels<R>(_ body: ([UnsafeMutableBufferPointer<Float>]) throws -> R) rethrows -> R {
        let (count, capacity, frames) = (channelCount, self.capacity, frameCount)
        return try storage.withUnsafeMutableBufferPointer { all in
            try body((0..<count).map { UnsafeMutableBufferPointer(rebasing: all[$0 * capacity ..< $0 * capacity + frames]) })
        }
    }

    /// Lends every channel's storage for writing (a decoder); the caller sets `frameCount` via the return value.
    package mutating func fill(_ body: (UnsafeMutableBufferPointer<Float>) throws -> Int) rethrows {
        frameCount = try storage.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// The one gain stage: multiplies every valid sample by `gain` (linear) in
    /// place, and sets NaN and infinite samples to 0 (`NonFiniteSamples`), so
    /// one bad sample cannot poison the resampler or limiter that follows.
    public mutating func applyGain(_ gain: Float) {
        withMutableChannels { channels in
            for channel in channels {
                for i in channel.indices { channel[i] *= gain }
                NonFiniteSamples.silence(channel)
            }
        }
    }

    /// Hands the valid frames to a consumer (an analyser).
    @inlinable
    public func feed<C: BlockConsumer>(_ consumer: inout C) {
        withChannels { consumer.add($0) }
    }

    /// Replaces the block's content with frames copied from `channels`, starting at `offset`.
    /// Returns the number of frames copied. Used to stream an in-memory buffer.
    public mutating func load(from channels: [[Float]], offset: Int) -> Int {
        precondition(channels.count == channelCount)
        let n = max(0, min(capacity, (channels.first?.count ?? 0) - offset))
        for c in 0..<channelCount {
            storage.replaceSubrange(c * capacity ..< c * capacity + n, with: channels[c][offset ..< offset + n])
        }
        frameCount = n
        return n
    }
}
