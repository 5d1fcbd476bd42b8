import AudioCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams through a track once and collects the raw measurements behind the
/// defect checks of generated audio: silent stretches (leading, trailing, and
/// dropouts between them), flat tops (clipping), samples beyond full scale,
/// each channel's level, DC offset, non-finite samples, how alike the two
/// channels of a stereo file are, and how the track ends.
///
/// Clipping is lost samples, not loud ones: a clipped waveform has flat tops,
/// runs of identical extreme values, at whatever level they sit (a generator
/// that clipped and then normalised to -3 dBFS leaves them at -3 dBFS). A float
/// sample above full scale is intact and is counted apart (`overSamples`).
///
/// It judges nothing: thresholds and severities belong to the gate's policy.
/// State is one level per 10 ms frame (about 1.4 MB per hour) and a few sums.
public struct DefectScanner: Sendable, BlockConsumer {
    public let sampleRate: Int
    public let channelCount: Int
    /// Frame length for levels: 10 ms.
    public let frameLength: Int
    /// Shortest flat top: three identical samples. Two in a row happen at the crest
    /// of a low note in 16-bit audio (a 30 Hz sine peaking at full scale stays
    /// within half a step of its peak for about three samples, so three is the
    /// limit a clean 16-bit master can reach only by chance at its very peak).
    public static let flatTopMinimumSamples = 3
    /// Flat tops count only within this many dB of their channel's peak: clipping
    /// flattens the loudest parts, and equal neighbours in quiet passages are
    /// quantisation, not clipping. 1 dB covers asymmetric clipping.
    public static let flatTopWithinPeakDB: Float = 1
    /// Flat tops lower than this (dBFS) are not looked for: a track that quiet is
    /// failed by its loudness, and equal low-level samples are common.
    public static let flatTopFloorDBFS: Float = -40
    /// The peak flat tops are measured against is the level at least this many
    /// 10 ms frames reach: one click above a clipped track must not hide its
    /// clipping (a track clipped at -3 dBFS reaches it in hundreds of frames).
    public static let robustPeakFrames = 10
    /// Runs kept per 0.05 dB level bin for the picture and the report.
    static let examplesPerLevel = 32

    struct FlatTopBin: Sendable {
        var level: Float
        var count = 0
        var samples = 0
        var examples: [(start: Int, length: Int)] = []
    }

    private var framePosition = 0
    /// Level of each 10 ms frame: the loudest channel's RMS, dBFS (-inf for digital silence).
    public private(set) var frameLevels: [Float] = []
    private var sums: [Double]
    private var squares: [Double]
    private var crossLR = 0.0
    private var differenceSquares = 0.0
    /// Per channel: the largest finite magnitude so far, the last sample seen,
    /// and the open run of identical samples (length 0 when none is open).
    private var peaks: [Float]
    private var previous: [Float]
    private var runLength: [Int]
    private var runStart: [Int]
    /// Flat tops found so far, per channel, in bins of 0.05 dB of their level:
    /// filtered against each channel's final robust peak when the findings are
    /// made. Bins bound the memory whatever the track holds (a square wave has a
    /// flat top every half cycle): a few thousand at most, with a count, a sample
    /// total and the first `examplesPerLevel` runs each.
    private var flatTops: [[Int: FlatTopBin]]
    /// Per channel, the `robustPeakFrames` largest 10 ms frame peaks.
    private var framePeaks: [[Float]]
    private var openFramePeak: [Float]
    private var overs = 0
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
        peaks = Array(repeating: 0, count: channelCount)
        flatTops = Array(repeating: [:], count: channelCount)
        framePeaks = Array(repeating: [], count: channelCount)
        openFramePeak = Array(repeating: 0, count: channelCount)
        previous = Array(repeating: 0, count: channelCount)
        runLength = Array(repeating: 0, count: channelCount)
        runStart = Array(repeating: 0, count: channelCount)
        laneSum = Array(repeating: .zero, count: channelCount)
        laneSquare = Array(repeating: .zero, count: channelCount)
    }

    /// Adds one block: a buffer per channel, equal lengths.
    public mutating func add(_ channels: [UnsafeBufferPointer<Float>]) {
        precondition(channels.count == channelCount)
        guard NonFiniteSamples.any(in: channels) else { return addFinite(channels) }
        // Rare: count them, then measure the block with them as silence.
        let silenced = NonFiniteSamples.silenced(channels)
        nonFinite += silenced.count
        silenced.channels.withUnsafeChannelPointers { addFinite($0) }
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
                if top > 1 { for i in 0..<take where abs(x[i]) > 1 { overs += 1 } }
                peaks[c] = max(peaks[c], top)
                openFramePeak[c] = max(openFramePeak[c], top)
                scanFlatTops(c, x, count: take, at: frames + offset, top: top)
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
            peak = TruePeakEstimator.maxMagnitude(peak, v)
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

    /// The level below which identical neighbours are not followed: 1 dB under
    /// the running peak, and never under `flatTopFloorDBFS`.
    @inline(__always) private func flatTopThreshold(_ c: Int) -> Float {
        max(robustPeak(c) * Self.withinPeak, Self.floor)
    }

    /// The level `robustPeakFrames` frames reach (the lowest kept while fewer have passed).
    @inline(__always) private func robustPeak(_ c: Int) -> Float {
        framePeaks[c].min() ?? openFramePeak[c]
    }

    private static let withinPeak = Decibels.gain(Double(-flatTopWithinPeakDB))
    private static let floor = Decibels.gain(Double(flatTopFloorDBFS))

    /// Follows runs of identical samples at or above the threshold through a
    /// stretch that starts at frame `start`. Most stretches hold no two equal
    /// neighbours that loud: a SIMD pass says so and the scalar walk is skipped.
    private mutating func scanFlatTops(_ c: Int, _ x: UnsafePointer<Float>, count: Int, at start: Int, top: Float) {
        let threshold = flatTopThreshold(c)
        let last = x[count - 1]
        defer { previous[c] = last }
        guard top >= threshold || runLength[c] > 0 else { return }
        if runLength[c] == 0 && !Self.hasLoudEqualNeighbours(x, count: count, previous: previous[c], threshold: threshold) {
            return
        }
        var prev = previous[c]
        for i in 0..<count {
            let v = x[i]
            if v == prev && abs(v) >= threshold {
                if runLength[c] == 0 {
                    runLength[c] = 2
                    runStart[c] = start + i - 1
                } else {
                    runLength[c] += 1
                }
            } else if runLength[c] > 0 {
                closeRun(c, level: abs(prev))
            }
            prev = v
        }
    }

    private mutating func closeRun(_ c: Int, level: Float) {
        if runLength[c] >= Self.flatTopMinimumSamples {
            let key = Int((20 * log10(level) * 20).rounded(.down))
            var bin = flatTops[c][key] ?? FlatTopBin(level: level)
            bin.count += 1
            bin.samples += runLength[c]
            if bin.examples.count < Self.examplesPerLevel { bin.examples.append((runStart[c], runLength[c])) }
            flatTops[c][key] = bin
        }
        runLength[c] = 0
    }

    /// Whether two neighbouring samples (the first against `previous`) are equal
    /// and at least `threshold` in magnitude.
    @inline(__always)
    private static func hasLoudEqualNeighbours(_ x: UnsafePointer<Float>, count: Int, previous: Float, threshold: Float) -> Bool {
        if x[0] == previous && abs(x[0]) >= threshold { return true }
        let raw = UnsafeRawPointer(x)
        var hit = SIMDMask<SIMD8<Float>.MaskStorage>(repeating: false)
        var i = 1
        while i + 8 <= count {
            let v = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            let w = raw.loadUnaligned(fromByteOffset: 4 * (i - 1), as: SIMD8<Float>.self)
            let magnitude = unsafeBitCast(unsafeBitCast(v, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
            hit .|= (v .== w) .& (magnitude .>= SIMD8(repeating: threshold))
            i += 8
        }
        if any(hit) { return true }
        while i < count {
            if x[i] == x[i - 1] && abs(x[i]) >= threshold { return true }
            i += 1
        }
        return false
    }

    private mutating func closeFrame() {
        for c in 0..<channelCount {
            let top = openFramePeak[c]
            if framePeaks[c].count < Self.robustPeakFrames {
                framePeaks[c].append(top)
            } else if let lowest = framePeaks[c].indices.min(by: { framePeaks[c][$0] < framePeaks[c][$1] }),
                      top > framePeaks[c][lowest] {
                framePeaks[c][lowest] = top
            }
            openFramePeak[c] = 0
        }
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
        for c in 0..<channelCount where copy.runLength[c] > 0 { copy.closeRun(c, level: abs(copy.previous[c])) }
        // Flat tops within 1 dB of the robust peak, or above it.
        var flatTopCount = 0, flatTopSamples = 0
        var examples: [(channel: Int, start: Int, length: Int, level: Float)] = []
        for c in 0..<channelCount {
            let threshold = max(copy.robustPeak(c) * Self.withinPeak, Self.floor)
            for bin in copy.flatTops[c].values where bin.level >= threshold {
                flatTopCount += bin.count
                flatTopSamples += bin.samples
                examples += bin.examples.map { (c, $0.start, $0.length, bin.level) }
            }
        }
        let tops = examples.sorted { ($0.start, $0.channel) < ($1.start, $1.channel) }
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
            clipRuns: tops.map {
                ClipRun(start: Double($0.start) / Double(sampleRate), samples: $0.length,
                        levelDBFS: Double(20 * log10($0.level)), channel: $0.channel)
            },
            flatTopCount: flatTopCount, clippedSamples: flatTopSamples, dcOffset: copy.sums.map { $0 / n },
            nonFiniteSamples: nonFinite,
            channelCorrelation: correlation, channelsIdentical: identical,
            channelPeakDBFS: copy.peaks.map { Decibels.level(Double($0)) },
            channelRMSDBFS: copy.squares.map { $0 > 0 ? 10 * log10($0 / n) : nil },
            overSamples: overs)
    }
}

/// A flat top: a run of identical samples at the top of a channel's range.
public struct ClipRun: Sendable, Equatable {
    /// Seconds from the start.
    public let start: Double
    public let samples: Int
    /// The level the waveform is flattened at, dBFS.
    public let levelDBFS: Double
    /// The channel (0-based).
    public let channel: Int

    public init(start: Double, samples: Int, levelDBFS: Double, channel: Int) {
        self.start = start
        self.samples = samples
        self.levelDBFS = levelDBFS
        self.channel = channel
    }
}

/// The raw measurements of a `DefectScanner`, and the time spans derived from them.
public struct DefectFindings: Sendable, Equatable {
    public let sampleRate: Int
    /// Seconds per entry of `frameLevels` (10 ms).
    public let frameDuration: Double
    public let duration: Double
    /// Loudest channel's RMS per frame, dBFS.
    public let frameLevels: [Float]
    /// Flat tops, in time order: all of them, or when there are very many, the
    /// first 32 at each level (0.05 dB) they sit at, the first of all included.
    public let clipRuns: [ClipRun]
    /// How many flat tops there are in all.
    public let flatTopCount: Int
    /// Samples in flat tops, in all.
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
    /// Each channel's largest finite magnitude, dBFS (nil for digital silence).
    public let channelPeakDBFS: [Double?]
    /// Each channel's RMS over the whole track, dBFS (nil for digital silence).
    public let channelRMSDBFS: [Double?]
    /// Samples beyond full scale (|x| > 1): possible in float files and lossy
    /// decodes, where they are intact; fixed point would clip them.
    public let overSamples: Int

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
