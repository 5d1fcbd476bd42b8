/// The outline of a waveform for drawing: the lowest and highest sample of
/// each channel in each of `columns` equal slices of the track, the way an
/// editor draws a track too long to show sample by sample.
///
/// Streaming: it needs the track's length up front (from the file header) and
/// keeps two floats per column and channel.
public struct WaveformEnvelope: Sendable {
    public let columns: Int
    public let frameCount: Int
    /// Per channel, per column; +inf / -inf where a column saw no finite sample.
    public private(set) var minimum: [[Float]]
    public private(set) var maximum: [[Float]]
    private var position = 0

    public init(channelCount: Int, frameCount: Int, columns: Int) {
        precondition(channelCount > 0 && columns > 0)
        self.columns = columns
        self.frameCount = max(frameCount, 1)
        minimum = Array(repeating: Array(repeating: .infinity, count: columns), count: channelCount)
        maximum = Array(repeating: Array(repeating: -.infinity, count: columns), count: channelCount)
    }

    /// The column frame `frame` falls in.
    @inline(__always) private func column(_ frame: Int) -> Int {
        min(columns - 1, frame * columns / frameCount)
    }

    public mutating func add(_ channels: [UnsafeBufferPointer<Float>]) {
        guard let n = channels.first?.count, n > 0 else { return }
        var start = 0
        while start < n {
            let c = column(position + start)
            // Frames up to the next column's first frame (ceil(c+1) * frameCount / columns).
            let nextColumnFrame = ((c + 1) * frameCount + columns - 1) / columns
            let end = c == columns - 1 ? n : min(n, max(start + 1, nextColumnFrame - position))
            for (k, channel) in channels.enumerated() {
                var lo = minimum[k][c], hi = maximum[k][c]
                for i in start..<end {
                    let x = channel[i]
                    // NaN compares false both ways and is skipped.
                    if x < lo { lo = x }
                    if x > hi { hi = x }
                }
                minimum[k][c] = lo
                maximum[k][c] = hi
            }
            start = end
        }
        position += n
    }
}
