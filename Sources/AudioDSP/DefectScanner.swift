#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams through a track once and collects the raw measurements behind the
/// defect checks of generated audio: silent stretches (leading, trailing, and
/// dropouts between them), runs of full-scale samples, DC offset, non-finite
/// samples, how alike the two channels of a stereo file are, and how the track ends.
///
/// It judges nothing: thresholds and severities belong to the gate's policy.
/// State is one level per 10 ms frame (about 1.4 MB per hour) and a few sums.
public struct DefectScanner: Sendable {
    public let sampleRate: Int
    public let channelCount: Int
    /// Frame length for levels: 10 ms.
    public let frameLength: Int
    /// A sample at or above this magnitude counts as full scale (one 16-bit step below 1.0).
    public static let fullScale: Float = 32_766 / 32_768

    private var frameEnergy: Double = 0
    private var framePosition = 0
    /// Level of each 10 ms frame: the loudest channel's RMS, dBFS (-inf for digital silence).
    public private(set) var frameLevels: [Float] = []
    private var sums: [Double]
    private var squares: [Double]
    private var crossLR = 0.0
    private var differenceSquares = 0.0
    private var clipRun: [Int]
    private var clipRuns: [(start: Int, length: Int)] = []
    private var clippedSamples = 0
    private var nonFinite = 0
    private var frames = 0
    private var channelEnergy: [Double]

    public init(sampleRate: Int, channelCount: Int) {
        precondition(sampleRate > 0 && channelCount > 0)
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        frameLength = max(1, sampleRate / 100)
        sums = Array(repeating: 0, count: channelCount)
        squares = Array(repeating: 0, count: channelCount)
        clipRun = Array(repeating: 0, count: channelCount)
        channelEnergy = Array(repeating: 0, count: channelCount)
    }

    /// Adds one block: a buffer per channel, equal lengths.
    public mutating func add(_ channels: [UnsafeBufferPointer<Float>]) {
        precondition(channels.count == channelCount)
        var bad = 0
        for c in channels { for x in c where !x.isFinite { bad += 1 } }
        if bad > 0 {
            // Rare: count them, then measure the block with them as silence.
            nonFinite += bad
            channels.map { $0.map { $0.isFinite ? $0 : 0 } }.withUnsafeChannelPointers { addFinite($0) }
            return
        }
        addFinite(channels)
    }

    /// The measuring loop, one channel at a time over each stretch up to the next frame end.
    private mutating func addFinite(_ channels: [UnsafeBufferPointer<Float>]) {
        let n = channels.first?.count ?? 0
        var offset = 0
        while offset < n {
            let take = min(n - offset, frameLength - framePosition)
            for c in 0..<channelCount {
                let x = channels[c]
                var sum = 0.0, square = 0.0
                var run = clipRun[c]
                for i in offset ..< offset + take {
                    let v = x[i]
                    let d = Double(v)
                    sum += d
                    square += d * d
                    if abs(v) >= Self.fullScale {
                        run += 1
                    } else if run > 0 {
                        recordClipRun(length: run, endingAt: frames + i)
                        run = 0
                    }
                }
                clipRun[c] = run
                sums[c] += sum
                squares[c] += square
                channelEnergy[c] += square
            }
            if channelCount == 2 {
                let l = channels[0], r = channels[1]
                var cross = 0.0, difference = 0.0
                for i in offset ..< offset + take {
                    let a = Double(l[i]), b = Double(r[i])
                    cross += a * b
                    difference += (a - b) * (a - b)
                }
                crossLR += cross
                differenceSquares += difference
            }
            framePosition += take
            offset += take
            if framePosition == frameLength { closeFrame() }
        }
        frames += n
    }

    private mutating func recordClipRun(length: Int, endingAt end: Int) {
        clippedSamples += length
        // Two full-scale samples in a row happen in clean masters; three or more
        // in one channel are the flat top of a clipped waveform.
        if length >= 3 { clipRuns.append((end - length, length)) }
    }

    private mutating func closeClipRun(_ c: Int, endingAt end: Int) {
        recordClipRun(length: clipRun[c], endingAt: end)
        clipRun[c] = 0
    }

    private mutating func closeFrame() {
        let loudest = channelEnergy.max() ?? 0
        frameLevels.append(loudest > 0 ? Float(10 * log10(loudest / Double(framePosition))) : -.infinity)
        for c in 0..<channelCount { channelEnergy[c] = 0 }
        framePosition = 0
    }

    /// Everything measured so far (a partial last frame is included).
    public var findings: DefectFindings {
        var copy = self
        if copy.framePosition > 0 { copy.closeFrame() }
        for c in 0..<channelCount where copy.clipRun[c] > 0 { copy.closeClipRun(c, endingAt: frames) }
        let n = Double(max(1, frames))
        var correlation: Double?
        var identical = false
        if channelCount == 2, squares[0] > 0, squares[1] > 0 {
            correlation = crossLR / (squares[0] * squares[1]).squareRoot()
            identical = differenceSquares / n < 1e-10   // RMS difference below -100 dBFS
        }
        return DefectFindings(
            sampleRate: sampleRate, frameDuration: Double(frameLength) / Double(sampleRate),
            duration: Double(frames) / Double(sampleRate), frameLevels: copy.frameLevels,
            clipRuns: copy.clipRuns.map { ClipRun(start: Double($0.start) / Double(sampleRate), samples: $0.length) },
            clippedSamples: copy.clippedSamples, dcOffset: sums.map { $0 / n }, nonFiniteSamples: nonFinite,
            channelCorrelation: correlation, channelsIdentical: identical)
    }
}

/// A run of three or more full-scale samples in one channel.
public struct ClipRun: Sendable, Equatable {
    /// Seconds from the start.
    public let start: Double
    public let samples: Int
}

/// The raw measurements of a `DefectScanner`, and the time spans derived from them.
public struct DefectFindings: Sendable, Equatable {
    public let sampleRate: Int
    /// Seconds per entry of `frameLevels` (10 ms).
    public let frameDuration: Double
    public let duration: Double
    /// Loudest channel's RMS per frame, dBFS.
    public let frameLevels: [Float]
    public let clipRuns: [ClipRun]
    /// Samples at full scale, in runs of any length.
    public let clippedSamples: Int
    /// Mean sample value per channel.
    public let dcOffset: [Double]
    public let nonFiniteSamples: Int
    /// Pearson correlation of the two channels of a stereo file (nil otherwise,
    /// or when a channel is silent): near +1 for mono stored as stereo, near -1
    /// when one channel is the other inverted.
    public let channelCorrelation: Double?
    /// The two channels differ by less than -100 dBFS RMS.
    public let channelsIdentical: Bool

    /// A stretch of time, in seconds.
    public struct Span: Sendable, Equatable {
        public let start: Double
        public let end: Double
        public var duration: Double { end - start }
    }

    /// Stretches whose level stays below `thresholdDBFS` for at least `minimum` seconds.
    public func silences(below thresholdDBFS: Float, minimum: Double) -> [Span] {
        var spans: [Span] = []
        var runStart: Int?
        for (i, level) in frameLevels.enumerated() {
            if level < thresholdDBFS {
                if runStart == nil { runStart = i }
            } else if let s = runStart {
                spans.append(Span(start: Double(s) * frameDuration, end: Double(i) * frameDuration))
                runStart = nil
            }
        }
        if let s = runStart { spans.append(Span(start: Double(s) * frameDuration, end: duration)) }
        return spans.filter { $0.duration >= minimum }
    }

    /// Level (dBFS) of the loudest part of the track: the 95th percentile of
    /// frame levels, so a few stray peaks do not set it.
    public var loudLevel: Float? {
        let levels = frameLevels.filter { $0.isFinite }.sorted()
        return levels.isEmpty ? nil : levels[min(levels.count - 1, Int(Double(levels.count) * 0.95))]
    }

    /// How far (dB) the last `window` seconds of audio sit below the track's
    /// median level over windows of the same length, audio ending where the
    /// level last rises above `silenceDBFS`. A track that fades or decays ends
    /// well below its typical level; one cut off mid-phrase ends near it.
    public func endingDrop(window: Double = 0.5, silenceDBFS: Float) -> Double? {
        guard let last = frameLevels.lastIndex(where: { $0 >= silenceDBFS }) else { return nil }
        let count = max(1, Int((window / frameDuration).rounded()))
        func energy(_ range: ClosedRange<Int>) -> Double {
            frameLevels[range].reduce(0.0) { $0 + ($1.isFinite ? pow(10, Double($1) / 10) : 0) } / Double(range.count)
        }
        let silence = pow(10, Double(silenceDBFS) / 10)
        let windows = stride(from: 0, through: last + 1 - count, by: count).map { energy($0 ... $0 + count - 1) }
            .filter { $0 > silence }.sorted()
        let tail = energy(max(0, last + 1 - count) ... last)
        guard !windows.isEmpty, tail > 0 else { return nil }
        return 10 * log10(windows[windows.count / 2] / tail)
    }
}
