import AudioCore
import AudioDSP
import AudioIO
import Foundation
import RequestModel

/// Turns a checked track into a delivery file: gain → resampler → true-peak
/// limiter → writer (which dithers as it quantises), in one streaming pass, then verification of the
/// written file read back from disk.
///
/// The limiter runs after the resampler, at the delivery rate, so the ceiling
/// holds for the samples actually delivered (a resampler reconstructs peaks
/// differently at the new rate). With `--peak cap` no limiter runs at all.
/// Memory is a few blocks, whatever the length of the track.
public struct Finisher: Sendable {
    public var settings: FinishSettings

    public init(settings: FinishSettings = FinishSettings()) {
        self.settings = settings
    }

    /// The gain decision, before any audio is written.
    public struct Plan: Sendable, Equatable {
        /// Gain from the measured loudness to the target (or to the cap), dB.
        public var gainDB: Double
        /// Extra gain that restores what the limiter takes, dB.
        public var makeupDB: Double = 0
        /// With `cap`: the loudness the track will lack, LU.
        public var shortfallLU: Double?
        /// Whether the gain alone would cross the ceiling (less the margin).
        public var needsLimiting = false
        /// Why the track is not normalised (a silent track has no loudness).
        public var skipped: String?
        /// Room kept under the ceiling for a lossy encoder's overshoot, dB: the
        /// limiter's ceiling (or the cap) is this much lower. 0 until a decoded
        /// delivery measures over the ceiling.
        public var headroomDB: Double = 0
    }

    /// One static gain to the target; `cap` lowers it under the ceiling,
    /// `limit` keeps it and lets the limiter deal with the peaks.
    ///
    /// - Parameter headroomDB: room to keep under the ceiling for a lossy encoder (`Plan.headroomDB`).
    public func plan(_ loudness: LoudnessReport, headroomDB: Double = 0) -> Plan {
        guard let integrated = loudness.integratedLUFS else {
            return Plan(gainDB: 0, skipped: "no measurable loudness (silent track): left at its level", headroomDB: headroomDB)
        }
        var plan = Plan(gainDB: settings.targetLUFS - integrated, headroomDB: headroomDB)
        let allowed = settings.peakAim(headroomDB: headroomDB)
        if let peak = loudness.truePeakDBTP, peak + plan.gainDB > allowed {
            switch settings.peakHandling {
            case .cap:
                plan.shortfallLU = peak + plan.gainDB - allowed
                plan.gainDB = allowed - peak
            case .limit:
                plan.needsLimiting = true
            }
        }
        return plan
    }

    /// A make-up gain and how the output loudness moves with it.
    public struct Makeup: Sendable, Equatable {
        public var makeupDB: Double
        /// d(output loudness) / d(make-up) at `makeupDB`, 0...1: limiting takes part of every extra dB.
        public var slope: Double
    }

    /// Limiting lowers the integrated loudness; this predicts by how much
    /// (`LimiterPreview`) and finds the make-up that restores it by secant steps
    /// on the prediction. The render is then verified by measuring the written file.
    ///
    /// - Parameter preview: the windows the analysis pass recorded
    ///   (`TrackAnalysis.limiterPreview`), used when they answer for the gains
    ///   the search asks about (`LimiterPreview.reliableGainDB`). Otherwise (no
    ///   preview, more make-up than it was measured for, or a track whose ending
    ///   is much quieter than its start) the source is read once more with the
    ///   gain known, for up to `LimiterPreview.defaultHeadroomDB` of make-up.
    public func makeup(for plan: Plan, preview: LimiterPreview?, source: AudioSource) throws(AudioIOError) -> Makeup {
        guard plan.needsLimiting, plan.skipped == nil else { return Makeup(makeupDB: 0, slope: 1) }
        let parameters = settings.limiterParameters(headroomDB: plan.headroomDB)
        if let preview, preview.parameters == parameters, preview.goal.targetLUFS == settings.targetLUFS,
           let found = Self.searchMakeup(preview, gainDB: plan.gainDB, targetLUFS: settings.targetLUFS,
                                         limit: preview.reliableGainDB - plan.gainDB - Self.slopeStepDB) {
            return found
        }
        var file = try SoundFile(source: source)
        let info = file.info
        // At the source rate: a resampler in this pass would cost as much again
        // (soxr was 15 % of a whole job), for peaks that move by hundredths of a
        // dB; its own small loss of loudness is left to the verification.
        var fresh = LimiterPreview(
            channelCount: info.channelCount, sampleRate: info.sampleRate,
            channelWeights: ChannelWeighting.weights(layout: info.channelLayout, channelCount: info.channelCount),
            parameters: parameters, goal: .init(targetLUFS: settings.targetLUFS, knownGainDB: plan.gainDB))
        var block = AudioBlock(channelCount: info.channelCount, capacity: 16_384)
        while try file.read(into: &block) {
            block.feed(&fresh)
        }
        fresh.finish()
        return Self.searchMakeup(fresh, gainDB: plan.gainDB, targetLUFS: settings.targetLUFS, limit: fresh.headroomDB - Self.slopeStepDB, clamp: true)!
    }

    /// The step (dB) over which the output's slope against make-up is measured.
    static let slopeStepDB = 0.05

    /// Secant steps on the preview's predictions for the make-up over `gainDB`
    /// that reaches `targetLUFS`. Nil when it needs more than `limit` dB
    /// (unless `clamp`, which settles for `limit`).
    static func searchMakeup(_ preview: LimiterPreview, gainDB: Double, targetLUFS: Double, limit: Double,
                             clamp: Bool = false) -> Makeup? {
        guard limit >= 0 else { return nil }
        var search = MakeupSearch(targetLUFS: targetLUFS, tolerance: 0.001)
        var m = 0.0
        for _ in 0..<12 {
            guard let predicted = preview.integratedLUFS(gainDB: gainDB + m),
                  let next = search.next(makeup: m, measured: predicted) else { break }
            if next > limit && !clamp { return nil }
            m = min(limit, next)
        }
        let step = slopeStepDB
        let slope = preview.integratedLUFS(gainDB: gainDB + m).flatMap { a in
            preview.integratedLUFS(gainDB: gainDB + m + step).map { b in min(1, max(0.05, (b - a) / step)) }
        } ?? 1
        return Makeup(makeupDB: m, slope: slope)
    }

    /// The plan for the next render, given what the written file measured; nil
    /// when the delivery is within `MakeupSearch.precision` of its goal.
    ///
    /// - `limit`: a secant step on the make-up (`search`); the limiter in the
    ///   chain catches whatever peaks the extra gain raises.
    /// - `cap`: loudness and true peak both move dB for dB with the gain (nothing
    ///   dynamic runs), so the largest gain that keeps the measured peak under the
    ///   ceiling (less the margin) and does not pass the target is exact; the
    ///   shortfall is then what the written file lacks.
    public func correct(_ plan: Plan, measured: LoudnessReport, search: inout MakeupSearch) -> Plan? {
        guard plan.skipped == nil, let integrated = measured.integratedLUFS else { return nil }
        var next = plan
        switch settings.peakHandling {
        case .limit:
            guard let makeup = search.next(makeup: plan.makeupDB, measured: integrated) else { return nil }
            next.makeupDB = makeup
        case .cap:
            let toTarget = settings.targetLUFS - integrated
            let toCeiling = measured.truePeakDBTP.map { settings.peakAim(headroomDB: plan.headroomDB) - $0 } ?? toTarget
            let step = min(toTarget, toCeiling)
            let shortfall = settings.targetLUFS - (integrated + step)
            let wasShort = plan.shortfallLU ?? 0
            guard abs(step) >= MakeupSearch.precision || abs(shortfall - wasShort) >= MakeupSearch.precision else { return nil }
            next.gainDB += step
            next.shortfallLU = shortfall >= MakeupSearch.precision / 2 ? shortfall : nil
        }
        return next
    }

    /// What one finishing pass did.
    public struct Rendering: ~Copyable {
        public var file: FinishedOutputFile
        public var limiterMaxReductionDB: Double?
        public var limiterActiveS: Double?
    }

    /// Streams the source through the chain into a temporary file beside `outputPath`.
    public func render(source: AudioSource, plan: Plan, tags: DeliveryTags,
                       to outputPath: String, replaceExisting: Bool) throws(AudioIOError) -> Rendering {
        var file = try SoundFile(source: source)
        let info = file.info
        let channels = info.channelCount
        let outputRate = settings.outputRate(for: info.sampleRate)
        // Optional so it can be taken out and closed after the local functions that write to it.
        var writer: SoundFileWriter? = try SoundFileWriter(path: outputPath, format: settings.format, sampleRate: outputRate,
                                         channelCount: channels, tags: tags.tags, broadcastInfo: tags.broadcastInfo,
                                         cuePoints: tags.cuePoints, dither: settings.dither, replaceExisting: replaceExisting)
        var limiter: TruePeakLimiter? = settings.peakHandling == .limit
            ? TruePeakLimiter(channelCount: channels, sampleRate: outputRate,
                              parameters: settings.limiterParameters(headroomDB: plan.headroomDB))
            : nil

        // The writer dithers and quantises as it interleaves.
        func deliver(_ buffers: [UnsafeBufferPointer<Float>]) throws(AudioIOError) {
            try writer!.write(channels: buffers)
        }
        func limit(_ buffers: [UnsafeBufferPointer<Float>]) throws(AudioIOError) {
            if limiter != nil { try limiter!.process(buffers, emit: deliver) } else { try deliver(buffers) }
        }

        let gain = Decibels.gain(plan.gainDB + plan.makeupDB)
        var block = AudioBlock(channelCount: channels, capacity: 16_384)
        if outputRate != info.sampleRate {
            var resampler = try Resampler(engine: settings.resampler, quality: settings.resampleQuality,
                                          channelCount: channels, inputRate: info.sampleRate, outputRate: outputRate)
            while try file.read(into: &block) {
                block.applyGain(gain)
                try block.withChannels { (b) throws(AudioIOError) in try resampler.process(b, emit: limit) }
            }
            try resampler.finish(emit: limit)
        } else {
            while try file.read(into: &block) {
                block.applyGain(gain)
                try block.withChannels { (b) throws(AudioIOError) in try limit(b) }
            }
        }
        if limiter != nil { try limiter!.finish(emit: deliver) }
        let finished = try writer.take()!.close()
        return Rendering(
            file: finished,
            limiterMaxReductionDB: limiter.map { -(Decibels.level(Double($0.minimumGain)) ?? 0) },
            limiterActiveS: limiter.map { Double($0.limitedFrames) / Double(outputRate) })
    }

    /// The checks a written file must pass: the loudness target (unless capped,
    /// when it must reach what the cap allows) and the ceiling.
    public func verify(_ measured: LoudnessReport, plan: Plan) -> [TrackReport.Check] {
        let tolerance = settings.loudnessTolerance
        var checks: [TrackReport.Check] = []
        if let skipped = plan.skipped {
            checks.append(.init(id: .outputLoudness, status: .fail, message: "not normalised: \(skipped)"))
        } else if let integrated = measured.integratedLUFS {
            let goal = settings.targetLUFS - (plan.shortfallLU ?? 0)
            let off = integrated - goal
            var message = String(format: "%.2f LUFS written for a target of %.1f LUFS", integrated, settings.targetLUFS)
            if let shortfall = plan.shortfallLU {
                message += String(format: " (capped %.2f LU short to keep the true peak under %.1f dBTP)", shortfall, settings.ceilingDBTP)
            }
            checks.append(.init(id: .outputLoudness, status: abs(off) <= tolerance ? .pass : .fail,
                                message: abs(off) <= tolerance ? message : message + String(format: "; %.2f LU off", off)))
        } else {
            checks.append(.init(id: .outputLoudness, status: .fail, message: "the written file has no measurable loudness"))
        }
        if let peak = measured.truePeakDBTP {
            let ok = peak <= settings.ceilingDBTP
            checks.append(.init(id: .outputTruePeak, status: ok ? .pass : .fail, message: String(
                format: "true peak %.2f dBTP written, ceiling %.1f dBTP", peak, settings.ceilingDBTP)))
        } else {
            checks.append(.init(id: .outputTruePeak, status: .pass, message: "the written file is silent"))
        }
        return checks
    }
}
