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
    /// Sums over the open frame, per channel, in eight lanes: sample k of the frame
    /// goes to lane k % 8, so the result does not depend on how blocks cut the audio.
    private var laneSum: [SIMD8<Float>]
    private var laneSquare: [SIMD8<Float>]
    private var laneCross = SIMD8<Float>()
    private var laneDifference = SIMD8<Float>()

    public init(sampleRate: Int, channelCount: Int) {
        precondition(sampleRate > 0 && channelCount > 0)
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        frameLength = max(1, sampleRate / 100)
        sums = Array(repeating: 0, count: channelCount)
        squares = Array(repeating: 0, count: channelCount)
        clipRun = Array(repeating: 0, count: channelCount)
        laneSum = Array(repeating: .zero, count: channelCount)
        laneSquare = Array(repeating: .zero, count: channelCount)
    }

    /// Adds one block: a buffer per channel, equal lengths.
    public mutating func add(_ channels: [UnsafeBufferPointer<Float>]) {
        precondition(channels.count == channelCount)
        guard channels.contains(where: Self.hasNonFinite) else { return addFinite(channels) }
        // Rare: count them, then measure the block with them as silence.
        for c in channels { for x in c where !x.isFinite { nonFinite += 1 } }
        channels.map { $0.map { $0.isFinite ? $0 : 0 } }.withUnsafeChannelPointers { addFinite($0) }
    }

    /// Whether any sample is NaN or infinite: x - x is 0 for every finite x and NaN otherwise.
    private static func hasNonFinite(_ x: UnsafeBufferPointer<Float>) -> Bool {
        guard let base = x.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        var bad = SIMD8<Float>()
        var i = 0
        while i + 8 <= x.count {
            let v = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            bad += v - v
            i += 8
        }
        if bad != SIMD8<Float>() { return true }
        while i < x.count { if !x[i].isFinite { return true }; i += 1 }
        return false
    }

    /// The measuring loop, one channel at a time over each stretch up to the next frame end.
    private mutating func addFinite(_ channels: [UnsafeBufferPointer<Float>]) {
        let n = channels.first?.count ?? 0
        var offset = 0
        while offset < n {
            let take = min(n - offset, frameLength - framePosition)
            for c in 0..<channelCount {
                let x = channels[c].baseAddress! + offset
                let top = Self.accumulate(x, count: take, phase: framePosition, sum: &laneSum[c], square: &laneSquare[c])
                // Runs of full-scale samples are rare: scalar only where one is open or starts.
                if top >= Self.fullScale || clipRun[c] > 0 {
                    var run = clipRun[c]
                    for i in 0..<take {
                        if abs(x[i]) >= Self.fullScale {
                            run += 1
                        } else if run > 0 {
                            recordClipRun(length: run, endingAt: frames + offset + i)
                            run = 0
                        }
                    }
                    clipRun[c] = run
                }
            }
            if channelCount == 2 {
                Self.compare(channels[0].baseAddress! + offset, channels[1].baseAddress! + offset, count: take,
                             phase: framePosition, cross: &laneCross, difference: &laneDifference)
            }
            framePosition += take
            offset += take
            if framePosition == frameLength { closeFrame() }
        }
        frames += n
    }

    /// Adds a stretch that starts at sample `phase` of its frame into the lane sums
    /// and sums of squares; returns its largest magnitude. Frames are 10 ms, so
    /// single-precision lanes lose nothing that matters; frame totals add up in double.
    @inline(__always)
    private static func accumulate(_ x: UnsafePointer<Float>, count: Int, phase: Int,
                                   sum: inout SIMD8<Float>, square: inout SIMD8<Float>) -> Float {
        var i = 0
        var top: Float = 0
        while i < count && (phase + i) & 7 != 0 {
            let v = x[i], lane = (phase + i) & 7
            sum[lane] += v; square[lane] += v * v; top = max(top, abs(v))
            i += 1
        }
        var peak = SIMD8<Float>()
        let raw = UnsafeRawPointer(x)
        while i + 8 <= count {
            let v = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            sum += v
            square += v * v
            peak = TruePeakMeter.maxMagnitude(peak, v)
            i += 8
        }
        top = max(top, peak.max())
        while i < count {
            let v = x[i], lane = (phase + i) & 7
            sum[lane] += v; square[lane] += v * v; top = max(top, abs(v))
            i += 1
        }
        return top
    }

    /// Adds left * right and (left - right)^2 of a stretch into lanes, as `accumulate`.
    @inline(__always)
    private static func compare(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, count: Int, phase: Int,
                                cross: inout SIMD8<Float>, difference: inout SIMD8<Float>) {
        var i = 0
        while i < count && (phase + i) & 7 != 0 {
            let lane = (phase + i) & 7, d = l[i] - r[i]
            cross[lane] += l[i] * r[i]; difference[lane] += d * d
            i += 1
        }
        let lr = UnsafeRawPointer(l), rr = UnsafeRawPointer(r)
        while i + 8 <= count {
            let a = lr.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            let b = rr.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            cross += a * b
            let d = a - b
            difference += d * d
            i += 8
        }
        while i < count {
            let lane = (phase + i) & 7, d = l[i] - r[i]
            cross[lane] += l[i] * r[i]; difference[lane] += d * d
            i += 1
        }
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
        var loudest = 0.0
        for c in 0..<channelCount {
            let energy = Double(laneSquare[c].sum())
            sums[c] += Double(laneSum[c].sum())
            squares[c] += energy
            loudest = max(loudest, energy)
            laneSum[c] = .zero
            laneSquare[c] = .zero
        }
        crossLR += Double(laneCross.sum())
        differenceSquares += Double(laneDifference.sum())
        laneCross = .zero
        laneDifference = .zero
        frameLevels.append(loudest > 0 ? Float(10 * log10(loudest / Double(framePosition))) : -.infinity)
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
        if channelCount == 2, copy.squares[0] > 0, copy.squares[1] > 0 {
            correlation = copy.crossLR / (copy.squares[0] * copy.squares[1]).squareRoot()
            identical = copy.differenceSquares / n < 1e-10   // RMS difference below -100 dBFS
        }
        return DefectFindings(
            sampleRate: sampleRate, frameDuration: Double(frameLength) / Double(sampleRate),
            duration: Double(frames) / Double(sampleRate), frameLevels: copy.frameLevels,
            clipRuns: copy.clipRuns.map { ClipRun(start: Double($0.start) / Double(sampleRate), samples: $0.length) },
            clippedSamples: copy.clippedSamples, dcOffset: copy.sums.map { $0 / n }, nonFiniteSamples: nonFinite,
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
