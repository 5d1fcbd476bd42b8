import AudioCore

/// A streaming loudness meter: ITU-R BS.1770-4 with the EBU R 128 measures
/// (EBU Tech 3341 momentary, short-term, integrated; Tech 3342 loudness range)
/// and BS.1770-4 Annex 2 true peak.
///
/// Feed it blocks of planar samples with `add`, in order, then read
/// `measurement`. It keeps the K-filter state, the last 3 s of 5 ms energies,
/// and one energy per 100 ms for gating (about 290 kB per hour of audio).
///
/// ```swift
/// var meter = LoudnessMeter(sampleRate: 48_000, channelWeights: [1, 1])
/// meter.add(left, right)            // any number of times
/// let m = meter.measurement         // m.integratedLUFS, m.maxTruePeakDBTP, ...
/// ```
public struct LoudnessMeter: Sendable, BlockConsumer {
    public let sampleRate: Int
    /// BS.1770-4 channel weights G_i: 1.0 for L, R, C; 1.41 for surrounds; 0 for LFE.
    public let channelWeights: [Double]
    public let grid: MeasurementGrid

    private var kWeighting: KWeightingFilter
    /// Sum of squares of K-weighted samples in the sub-block being filled, per channel.
    private var partialEnergy: [Double]
    private var partialLength = 0
    /// Weighted energy sums of the last 3 s of sub-blocks (a ring).
    private var recent: [Double]
    private var recentHead = 0
    /// Running sums of the last 400 ms and 3 s of `recent`, re-summed exactly every hop.
    private var momentarySum = 0.0
    private var shortTermSum = 0.0
    private var subBlocks = 0
    private var framesSeen = 0

    private var gatingBlocks: [Double] = []
    private var shortTermValues: [Double] = []
    private var maxMomentary = -Double.infinity
    private var maxShortTerm = -Double.infinity
    /// Latest momentary and short-term energies (nil before their window is full).
    public private(set) var momentaryEnergy: Double?
    public private(set) var shortTermEnergy: Double?

    private var peaks: TruePeakMeter
    private let measuresTruePeak: Bool
    private var nonFinite = 0

    /// - Parameters:
    ///   - channelWeights: one weight per channel, in file order.
    ///   - truePeak: measure true peak as well (the oversampling is most of the cost).
    public init(sampleRate: Int, channelWeights: [Double], truePeak: Bool = true) {
        precondition(sampleRate > 0 && !channelWeights.isEmpty)
        self.sampleRate = sampleRate
        self.channelWeights = channelWeights
        grid = MeasurementGrid(sampleRate: sampleRate)
        kWeighting = KWeightingFilter(sampleRate: sampleRate, channelWeights: channelWeights)
        partialEnergy = Array(repeating: 0, count: channelWeights.count)
        recent = Array(repeating: 0, count: grid.shortTermSubBlocks)
        // Without true peak the meter still keeps sample peaks, which cost nothing.
        measuresTruePeak = truePeak
        peaks = truePeak ? TruePeakMeter(channelCount: channelWeights.count, sampleRate: sampleRate)
            : TruePeakMeter(channelCount: channelWeights.count, filter: OversamplingFilter(factor: 1))
    }

    public var channelCount: Int { channelWeights.count }

    /// Short-term (3 s) energies every 100 ms from 3 s on: the series loudness
    /// range is computed from (Tech 3342 asks for 10 Hz or more), and the curve
    /// a plot of the track shows. Convert with `LoudnessGating.loudness(energy:)`.
    public var shortTermEnergies: [Double] { shortTermValues }

    /// Momentary loudness now (LUFS), once 400 ms have been seen.
    public var momentaryLUFS: Double? { momentaryEnergy.map(LoudnessGating.loudness(energy:)) }
    /// Short-term loudness now (LUFS), once 3 s have been seen.
    public var shortTermLUFS: Double? { shortTermEnergy.map(LoudnessGating.loudness(energy:)) }

    /// Adds a block of frames: one buffer per channel, equal lengths.
    /// NaN and infinite samples are measured as silence and counted.
    public mutating func add(_ channels: [UnsafeBufferPointer<Float>]) {
        precondition(channels.count == channelCount, "expected \(channelCount) channels")
        let frames = channels.first?.count ?? 0
        precondition(channels.allSatisfy { $0.count == frames }, "channels differ in length")
        guard frames > 0 else { return }
        if NonFiniteSamples.any(in: channels) {
            let silenced = NonFiniteSamples.silenced(channels)
            nonFinite += silenced.count
            add(silenced.channels)
            return
        }
        peaks.add(channels)
        filter(channels, frames: frames)
        framesSeen += frames
    }

    /// Adds frames held in arrays, one per channel.
    public mutating func add(_ channels: [[Float]]) {
        channels.withUnsafeChannelPointers { add($0) }
    }

    // MARK: Filtering and windows

    private mutating func filter(_ channels: [UnsafeBufferPointer<Float>], frames: Int) {
        var offset = 0
        while offset < frames {
            let take = min(frames - offset, grid.subBlockLength - partialLength)
            kWeighting.accumulate(channels, range: offset ..< offset + take, into: &partialEnergy)
            partialLength += take
            offset += take
            if partialLength == grid.subBlockLength { closeSubBlock() }
        }
    }

    private mutating func closeSubBlock() {
        var weighted = 0.0
        for c in 0..<channelCount {
            weighted += channelWeights[c] * partialEnergy[c]
            partialEnergy[c] = 0
        }
        partialLength = 0
        // The 3 s ring is full-length, so the value overwritten is the one leaving
        // the short-term window; the one leaving the momentary window is 400 ms back.
        let leavingMomentary = recent[(recentHead + recent.count - grid.momentarySubBlocks) % recent.count]
        shortTermSum += weighted - recent[recentHead]
        momentarySum += weighted - leavingMomentary
        recent[recentHead] = weighted
        recentHead = (recentHead + 1) % recent.count
        subBlocks += 1
        if subBlocks % grid.subBlocksPerHop == 0 {
            momentarySum = windowSum(grid.momentarySubBlocks)
            shortTermSum = windowSum(grid.shortTermSubBlocks)
        }

        if subBlocks >= grid.momentarySubBlocks {
            let e = max(0, momentarySum) / Double(grid.momentarySubBlocks * grid.subBlockLength)
            momentaryEnergy = e
            maxMomentary = max(maxMomentary, e)
        }
        if subBlocks >= grid.shortTermSubBlocks {
            let e = max(0, shortTermSum) / Double(grid.shortTermSubBlocks * grid.subBlockLength)
            shortTermEnergy = e
            maxShortTerm = max(maxShortTerm, e)
        }
        if subBlocks % grid.subBlocksPerHop == 0 {
            // Each energy exists once its window has been filled.
            if let m = momentaryEnergy { gatingBlocks.append(m) }
            if let s = shortTermEnergy { shortTermValues.append(s) }
        }
    }

    /// Sum of the last `count` sub-block energies, summed afresh: the running sums
    /// are reset to it every hop, so no rounding error builds up over an hour.
    private func windowSum(_ count: Int) -> Double {
        let start = recentHead - count
        if start >= 0 { return Self.sum(recent, start ..< recentHead) }
        return Self.sum(recent, (recent.count + start) ..< recent.count) + Self.sum(recent, 0 ..< recentHead)
    }

    private static func sum(_ x: [Double], _ range: Range<Int>) -> Double {
        var acc = SIMD4<Double>(repeating: 0)
        var i = range.lowerBound
        while i + 4 <= range.upperBound {
            acc += SIMD4(x[i], x[i + 1], x[i + 2], x[i + 3])
            i += 4
        }
        var total = acc.sum()
        while i < range.upperBound { total += x[i]; i += 1 }
        return total
    }

    // MARK: Results

    /// Everything measured so far.
    public var measurement: LoudnessMeasurement {
        var unavailable: [LoudnessMeasurement.Quantity: String] = [:]
        let duration = Double(framesSeen) / Double(sampleRate)
        let short = duration < 0.4 ? "shorter than one 400 ms block" : nil
        let silent = "silent: no 400 ms block above -70 LUFS"

        let integrated = LoudnessGating.integrated(blockEnergies: gatingBlocks)
        if integrated == nil { unavailable[.integrated] = short ?? silent }
        let momentary = maxMomentary > 0 ? LoudnessGating.loudness(energy: maxMomentary) : nil
        if momentary == nil { unavailable[.maxMomentary] = short ?? "silent" }
        let shortTerm = maxShortTerm > 0 ? LoudnessGating.loudness(energy: maxShortTerm) : nil
        if shortTerm == nil {
            unavailable[.maxShortTerm] = duration < 3 ? "shorter than one 3 s short-term window" : "silent"
        }
        let range = LoudnessGating.loudnessRange(shortTermEnergies: shortTermValues)
        if range == nil {
            unavailable[.loudnessRange] = duration < 3
                ? "shorter than one 3 s short-term window" : "silent: no 3 s window above -70 LUFS"
        }

        let samplePeaks = peaks.samplePeak.map(Decibels.level)
        let truePeaks = measuresTruePeak ? peaks.truePeak.map(Decibels.level)
            : Array(repeating: nil, count: channelCount)
        if samplePeaks.allSatisfy({ $0 == nil }) {
            unavailable[.samplePeak] = "digital silence"
            unavailable[.truePeak] = "digital silence"
        }
        if !measuresTruePeak { unavailable[.truePeak] = "not measured" }
        return LoudnessMeasurement(
            integratedLUFS: integrated, loudnessRangeLU: range, maxMomentaryLUFS: momentary,
            maxShortTermLUFS: shortTerm, samplePeakDBFS: samplePeaks, truePeakDBTP: truePeaks,
            unavailable: unavailable, nonFiniteSamples: nonFinite, duration: duration)
    }
}
