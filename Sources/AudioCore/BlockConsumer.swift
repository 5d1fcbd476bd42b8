/// An analyser fed a track block by block, as libebur128's state is: it keeps
/// only what it needs between blocks and is asked for its results at the end.
///
/// Every block holds one buffer per channel, all of the same length (planar
/// float samples at the track's rate, nominally within -1...1). A consumer
/// gives the same result whatever the block sizes, and treats NaN and
/// infinite samples by `NonFiniteSamples`' rule.
public protocol BlockConsumer {
    /// Takes the next frames.
    mutating func add(_ channels: [UnsafeBufferPointer<Float>])
}
