import AudioCore
import AudioDSP
import AudioIO
import Foundation
import RequestModel

/// The QA gate: one track against the request that made it (and, optionally,
/// the task answer that delivered it), judged by a `Policy`.
public struct Gate: Sendable {
    public var policy: Policy
    /// Treat warnings as failures.
    public var strict: Bool

    public init(policy: Policy = Policy(), strict: Bool = false) {
        self.policy = policy
        self.strict = strict
    }

    /// Checks the track at `audioPath`. Never throws: unreadable inputs give a
    /// report whose verdict is `error`.
    public func check(audioPath: String, requestPath: String, taskPath: String? = nil, id: String? = nil) -> TrackReport {
        evaluate(audioPath: audioPath, request: .file(requestPath), task: taskPath.map(JSONSource.file), id: id).report
    }

    /// Everything the gate read and measured, for the stages after it (`Finisher`).
    public struct Outcome: Sendable {
        public var report: TrackReport
        /// The request as parsed JSON, when it could be read (valid or not).
        public var requestJSON: JSONValue?
        public var taskJSON: JSONValue?
        public var request: TrackRequest?
        /// What the task answer says of this track (Nuro's task, or the Sonic
        /// or Producer clip the file is).
        public var task: AnswerEntry?
        /// Why an answer with several clips gave none for this file.
        public var taskNote: String?
        /// Present unless the audio could not be read (or was never reached).
        public var analysis: TrackAnalysis?
        /// The audio file as opened for the analysis: later stages read this
        /// one open file, never the path again (`AudioSource`).
        public var source: AudioSource?

        /// The report carrying the request and task answer as given, as sidecars
        /// do: a report file then says everything about how its track was judged.
        public var reportWithInputs: TrackReport {
            var full = report
            full.request = requestJSON
            full.task = taskJSON
            return full
        }
    }

    /// `check`, keeping the inputs and measurements for later stages.
    ///
    /// - Parameter envelopeColumns: also outline the waveform for a picture (`TrackPlot`).
    ///
    /// - Parameter source: the audio already opened for this job (a batch opens
    ///   it first, to fingerprint the bytes it will judge); opened here when nil.
    /// - Parameter finishing: the settings the track will be finished with, so
    ///   the one analysis pass records what finishing needs (`TrackAnalysis`).
    /// - Parameter clip: the `clip_id` of the Sonic or Producer clip the file
    ///   is, when its name does not say (nil: found from the track's id or file name).
    public func evaluate(audioPath: String, request: JSONSource, task: JSONSource? = nil, id: String? = nil,
                         clip: String? = nil, envelopeColumns: Int? = nil, source: AudioSource? = nil,
                         finishing: FinishSettings? = nil) -> Outcome {
        let id = id ?? TrackID.of(audioPath: audioPath)
        var outcome = Outcome(report: TrackReport(id: id, file: audioPath, error: nil, unreadable: false))
        switch request.read() {
        case .failure(let failure):
            outcome.report.error = failure.description
            outcome.report.errorKind = failure.kind
            outcome.report.unreadable = true
            return outcome
        case .success(let document):
            let json = document.value
            outcome.requestJSON = json
            let validation = RequestValidator().validate(json)
            let errors = validation.errors.map(\.description).joined(separator: "; ")
            // A request that broke a rule of the reference still made a track: it is
            // judged against everything the request says (validate stays strict).
            guard let readable = validation.readable else {
                outcome.report.checks = [.init(id: .request, status: .fail, message: errors)]
                outcome.report.error = "\(request.origin): no expectation can be read from the request "
                    + "(no duration and no section plan): \(errors)"
                outcome.report.errorKind = .invalidRequest
                return outcome
            }
            outcome.request = readable
            let kind = readable.kind.name
            if validation.isValid && !document.warnings.isEmpty {
                // A key given twice: which value did the service use? The gate
                // judges by the last, and says so.
                outcome.report.checks.append(.init(
                    id: .request, status: .warn,
                    message: "valid \(kind) request, but " + document.warnings.map(\.message).joined(separator: "; ")))
            } else if validation.isValid {
                outcome.report.checks.append(.init(id: .request, status: .pass, message: "valid \(kind) request"))
            } else {
                let count = validation.errors.count
                outcome.report.checks.append(.init(
                    id: .request, status: policy.requestRulesFail ? .fail : .warn,
                    message: "the \(kind) request breaks \(count) rule\(count == 1 ? "" : "s") of the reference (\(errors)); "
                        + document.warnings.map { "\($0.message); " }.joined()
                        + "judged against what it asks: " + Self.expectationText(readable.expectedStructure)))
            }
        }
        if let task {
            switch task.read() {
            case .failure(let failure):
                outcome.report.error = failure.description
                outcome.report.errorKind = failure.kind
                outcome.report.unreadable = true
                return outcome
            case .success(let document):
                outcome.taskJSON = document.value
                let reading = ServiceAnswer.validate(document.value)
                guard let answer = reading.answer else {
                    outcome.report.error = "\(task.origin): invalid task answer: "
                        + reading.issues.filter { $0.severity == .error }.map(\.description).joined(separator: "; ")
                    outcome.report.errorKind = .invalidTask
                    return outcome
                }
                (outcome.task, outcome.taskNote) = answer.entry(clip: clip, fileStems: [id, TrackID.of(audioPath: audioPath)])
            }
        }
        do throws(AudioIOError) {
            let opened: AudioSource
            if let source { opened = source } else { opened = try AudioSource(path: audioPath) }
            let source = opened
            outcome.source = source
            outcome.analysis = try TrackAnalysis.analyse(source: source, envelopeColumns: envelopeColumns, finishing: finishing)
        } catch {
            outcome.report.error = error.description
            outcome.report.errorKind = .file(error.kind)
            outcome.report.unreadable = true
            return outcome
        }
        outcome.report = judge(outcome.analysis!, request: outcome.request!, task: outcome.task, taskNote: outcome.taskNote,
                               into: outcome.report)
        return outcome
    }

    /// Applies the policy to measurements already made.
    ///
    /// - Parameter taskNote: why a task answer was given but says nothing of
    ///   this track (none of its clips is this file); the `task_duration` check warns with it.
    public func judge(_ analysis: TrackAnalysis, request: TrackRequest, task: AnswerEntry?, taskNote: String? = nil,
                      into base: TrackReport) -> TrackReport {
        var report = base
        let expected = request.expectedStructure
        let d = analysis.defects
        report.durationS = analysis.duration
        report.requestedDurationS = expected.duration
        report.service = request.service.rawValue
        report.lyricSections = expected.lyricSections.isEmpty ? nil : expected.lyricSections
        report.instrumental = expected.instrumental
        report.loudness = analysis.loudness
        var checks = report.checks
        if let requested = expected.duration {
            checks.append(durationCheck(actual: analysis.duration, requested: requested))
        } else {
            checks.append(unrequestedDurationCheck(actual: analysis.duration, expected: expected, request: request))
        }
        report.clipID = task.flatMap { $0.service == .nuro ? nil : $0.id }
        if let task {
            checks.append(taskStateCheck(task, request: request))
            checks.append(taskDurationCheck(actual: analysis.duration, task: task))
        } else if let taskNote {
            checks.append(.init(id: .taskDuration, status: .warn, message: taskNote))
        }
        let (boundaryCheck, boundaries, changes, alignment) = self.boundaries(expected: expected, novelty: analysis.novelty,
                                                                              planCurve: analysis.planCurve)
        checks.append(boundaryCheck)
        checks += silenceChecks(d)
        checks.append(clippingCheck(d))
        checks.append(overCheck(d, encoding: analysis.info.encoding))
        checks.append(endingCheck(d))
        checks.append(dcCheck(d))
        checks.append(nonFiniteCheck(d))
        checks += channelChecks(d, channels: analysis.info.channelCount)
        checks.append(silentChannelCheck(d, layout: analysis.info.channelLayout))
        checks.append(truePeakCheck(analysis.loudness, overs: d.overSamples))
        checks.append(loudnessCheck(analysis.loudness))
        report.checks = checks
        report.boundaries = boundaries
        report.planAlignment = TrackReport.PlanReport(alignment)
        report.unrequestedChanges = changes
        report.verdict = verdict(checks)
        return report
    }

    /// The worst check decides; with `strict`, a warning fails.
    public func verdict(_ checks: [TrackReport.Check]) -> TrackReport.Verdict {
        switch checks.map(\.status).max() ?? .pass {
        case .pass: .pass
        case .warn: strict ? .fail : .warn
        case .fail: .fail
        }
    }

    // MARK: Checks

    func grade(_ value: Double, _ limit: Policy.Limit) -> TrackReport.Status {
        if let fail = limit.fail, value > fail { return .fail }
        if let warn = limit.warn, value > warn { return .warn }
        return .pass
    }

    func durationCheck(actual: Double, requested: Double) -> TrackReport.Check {
        let difference = actual - requested
        let minimum = policy.durationMinimumS / requested
        let relative = abs(difference) / requested
        let status = grade(relative, .init(warn: policy.duration.warn.map { max($0, minimum) },
                                           fail: policy.duration.fail.map { max($0, minimum) }))
        let sign = difference >= 0 ? "+" : "-"
        return .init(id: .duration, status: status, message: String(
            format: "%.2f s delivered for %.0f s requested (%@%.2f s, %@%.1f %%)",
            actual, requested, sign, abs(difference), sign, 100 * relative))
    }

    /// The length of a track whose service takes no duration (Sonic, Producer):
    /// inside the policy's range when it sets one (outside fails), and not far
    /// past the longest track the model is documented to make (warns). The task
    /// answer's own duration is checked by `task_duration`.
    func unrequestedDurationCheck(actual: Double, expected: ExpectedStructure, request: TrackRequest) -> TrackReport.Check {
        let length = String(format: "%.2f s delivered", actual)
        if let range = policy.durationRangeS {
            if let low = range.min, actual < low {
                return .init(id: .duration, status: .fail, message: length + String(format: ", under the policy's %.0f s minimum", low))
            }
            if let high = range.max, actual > high {
                return .init(id: .duration, status: .fail, message: length + String(format: ", over the policy's %.0f s maximum", high))
            }
        }
        let model: String = switch request {
        case .sonic(let r): r.model ?? "Sonic"
        case .producer(let r): r.model.map { "Producer (\($0))" } ?? "Producer"
        case .nuro: "the model"
        }
        var message = length + "; \(request.service.rawValue) requests set no duration"
        if expected.extensionOnly { message += " (an extension holds only the new part until concatenated)" }
        guard let longest = expected.longestDuration else { return .init(id: .duration, status: .pass, message: message) }
        if actual > longest * (1 + policy.longestDurationMargin) {
            return .init(id: .duration, status: .warn, message: length + String(
                format: ", longer than the about %.0f s %@ is documented to make: a joined or looped file?", longest, model))
        }
        message += String(format: "; %@ makes up to about %.0f s", model, longest)
        return .init(id: .duration, status: .pass, message: message)
    }

    /// What the answer says of the track's progress: a file downloaded while
    /// the task ran is a preview (Producer's `audio_url` streams then), and a
    /// failed task's file is not its delivery.
    func taskStateCheck(_ task: AnswerEntry, request: TrackRequest) -> TrackReport.Check {
        if task.service != request.service {
            return .init(id: .taskState, status: .warn, message: "the task answer is \(task.service.rawValue)'s but the "
                             + "request is \(request.service.rawValue)'s: are they of the same task?")
        }
        // Producer's state is its task's status, given for all its clips.
        let what = task.service == .nuro ? "task \(task.id)" : task.service == .producer ? "the task of clip \(task.id)"
            : "clip \(task.id)"
        switch task.progress {
        case .finished:
            return .init(id: .taskState, status: .pass, message: "the answer says \(what) \(task.state ?? "succeeded")")
        case .unknown:
            return .init(id: .taskState, status: .pass, message: "the answer gives no state for \(what)")
        case .unfinished:
            return .init(id: .taskState, status: .warn, message: "the answer says \(what) is \(task.state ?? "unfinished"): "
                             + "a file downloaded before it succeeded may be a preview, not the delivery")
        case .failed:
            return .init(id: .taskState, status: .fail, message: "the answer says \(what) failed: this file is not its delivery")
        }
    }

    func taskDurationCheck(actual: Double, task: AnswerEntry) -> TrackReport.Check {
        guard let reported = task.duration, reported > 0 else {
            // Producer documents its duration as optional; the others report one.
            return .init(id: .taskDuration, status: task.service == .producer ? .pass : .warn,
                         message: "the task answer reports no duration" + (task.service == .nuro ? "" : " for clip \(task.id)")
                             + (task.service == .producer ? " (Producer's answers may leave it out)" : ""))
        }
        let difference = abs(actual - reported)
        return .init(id: .taskDuration, status: grade(difference, policy.taskDuration), message: String(
            format: "the task answer reports %.2f s, the audio lasts %.2f s (%.2f s apart)", reported, actual, difference))
    }

    /// The section plan against the music's changes: each requested boundary
    /// with the strongest change near it, its p-value on this track, and the
    /// plan tested as a whole (`PlanAlignment`), which decides the check.
    func boundaries(expected: ExpectedStructure, novelty: NoveltyCurve, planCurve: NoveltyCurve)
        -> (TrackReport.Check, [TrackReport.Boundary], [TrackReport.Change], PlanAlignment) {
        let search = policy.boundarySearchS, level = policy.planAlignmentP
        let alignment = PlanAlignment.test(curve: planCurve, segments: expected.sections.map { $0.end - $0.start },
                                           level: level)
        let found = expected.boundaries.enumerated().map { i, t -> TrackReport.Boundary in
            let p = i < alignment.boundaryPValues.count ? alignment.boundaryPValues[i] : nil
            let contrast = i < alignment.boundaryContrasts.count ? alignment.boundaryContrasts[i] : nil
            guard let hit = novelty.strongest(near: t, window: search), let contrast else {
                return .init(expectedS: t, detectedS: nil, strength: contrast ?? 0, pValue: p, status: .missing)
            }
            return .init(expectedS: t, detectedS: hit.time, strength: contrast, pValue: p,
                         status: (p ?? 1) <= level ? .confirmed : .weak)
        }
        // Without a plan every change of the music would be "unrequested": listing
        // them says nothing about the track, so none are.
        guard !expected.boundaries.isEmpty else {
            return (.init(id: .boundaries, status: .pass, message: "no section plan was requested"), [], [], alignment)
        }
        let stands = alignment.confirmingStrength ?? .infinity
        let changes = planCurve.peaks(separation: search)
            .filter { peak in peak.strength >= stands && !expected.boundaries.contains { abs($0 - peak.time) <= search } }
            .prefix(policy.unrequestedChanges)
            .map { TrackReport.Change(timeS: $0.time, strength: $0.strength) }
        let status: TrackReport.Status
        var message: String
        switch alignment.status {
        case .confirmed:
            status = .pass
            message = "the track follows its plan (\(Self.pText(alignment.pValue))): "
        case .notConfirmed:
            status = policy.planAlignmentFails ? .fail : .warn
            message = "the plan is not confirmed (\(Self.pText(alignment.pValue)), level \(level)): "
        case .notApplicable:
            status = .pass
            message = "the plan cannot be tested: \(alignment.reason ?? "no reason given"); "
        }
        message += "\(alignment.boundariesMatched) of \(found.count) section changes stand out on this track"
        let weak = found.filter { $0.status != .confirmed }
        if !weak.isEmpty && alignment.status != .notApplicable {
            message += "; not standing out: " + weak.map { b in
                b.detectedS.map { String(format: "%.1f s (contrast %.2f, %@; strongest change nearby at %.2f s)", b.expectedS,
                                         b.strength, Self.pText(b.pValue), $0) }
                    ?? String(format: "%.1f s (no change found)", b.expectedS)
            }.joined(separator: ", ")
        }
        return (.init(id: .boundaries, status: status, message: message), found, Array(changes), alignment)
    }

    /// A p-value for people: "p = 0.03", "p = 0.004", "p < 0.001".
    public static func pText(_ p: Double?) -> String {
        guard let p else { return "p n/a" }
        return p < 0.001 ? "p < 0.001" : String(format: p < 0.01 ? "p = %.3f" : "p = %.2f", p)
    }

    func silenceChecks(_ d: DefectFindings) -> [TrackReport.Check] {
        let threshold = Float(policy.silenceThresholdDBFS)
        let spans = d.silences(below: threshold, minimum: 0.01)
        guard d.frameLevels.contains(where: { $0 >= threshold }) else {
            let check = TrackReport.Check(id: .leadingSilence, status: .fail, message: "the whole track is silent")
            return [check, .init(id: .trailingSilence, status: .fail, message: "the whole track is silent"),
                    .init(id: .dropout, status: .pass, message: "no music to drop out of")]
        }
        let leading = spans.first.flatMap { $0.start <= 0 ? $0.duration : nil } ?? 0
        let trailing = spans.last.flatMap { $0.end >= d.duration - 1e-9 ? $0.duration : nil } ?? 0
        let gaps = spans.filter { $0.start > 0 && $0.end < d.duration - 1e-9 && $0.duration >= policy.dropoutMinimumS }
        var checks = [
            TrackReport.Check(id: .leadingSilence, status: grade(leading, policy.leadingSilence),
                              message: leading > 0 ? String(format: "%.2f s of silence at the start", leading) : "music starts at once"),
            TrackReport.Check(id: .trailingSilence, status: grade(trailing, policy.trailingSilence),
                              message: trailing > 0 ? String(format: "%.2f s of silence at the end", trailing) : "no silence at the end"),
        ]
        if let longest = gaps.max(by: { $0.duration < $1.duration }) {
            var message = String(format: "%.1f s of silence at %.1f s", longest.duration, longest.start)
            if gaps.count > 1 { message += " (\(gaps.count) gaps in all)" }
            checks.append(.init(id: .dropout, status: grade(longest.duration, policy.dropout), message: message))
        } else {
            checks.append(.init(id: .dropout, status: .pass, message: "no silent gaps inside the music"))
        }
        return checks
    }

    func clippingCheck(_ d: DefectFindings) -> TrackReport.Check {
        guard let first = d.clipRuns.first else {
            return .init(id: .clipping, status: .pass, message: "no flat tops")
        }
        let level = d.clipRuns.map(\.levelDBFS).max() ?? 0
        return .init(id: .clipping, status: grade(Double(d.flatTopCount), policy.clipping), message: String(
            format: "%d flat tops (runs of identical samples, %d samples in all) at up to %.1f dBFS, the first at %.2f s",
            d.flatTopCount, d.clippedSamples, level, first.start))
    }

    /// Samples beyond full scale are intact in a float file or a lossy decode:
    /// not clipping, but any conversion to fixed point as they are would clip them.
    func overCheck(_ d: DefectFindings, encoding: AudioEncoding) -> TrackReport.Check {
        guard d.overSamples > 0, let peak = d.channelPeakDBFS.compactMap({ $0 }).max() else {
            return .init(id: .overFullScale, status: .pass, message: "no sample beyond full scale")
        }
        let source = encoding.isLossy ? "the decoded \(encoding.codec.uppercased()) stream" : "this float file"
        return .init(id: .overFullScale, status: policy.overFullScaleWarns ? .warn : .pass, message: String(
            format: "%d samples beyond full scale, up to %+.2f dBFS: intact in %@; process turns them down, "
                + "a fixed-point conversion as they are would clip them", d.overSamples, peak, source))
    }

    func endingCheck(_ d: DefectFindings) -> TrackReport.Check {
        guard let drop = d.endingDrop(silenceDBFS: Float(policy.silenceThresholdDBFS)) else {
            return .init(id: .truncatedEnding, status: .pass, message: "no music to end")
        }
        guard drop < policy.truncatedEndingDropDB else {
            return .init(id: .truncatedEnding, status: .pass,
                         message: String(format: "the music ends %.1f dB below its typical level", drop))
        }
        return .init(id: .truncatedEnding, status: policy.truncatedEndingFails ? .fail : .warn, message: String(
            format: drop >= 0 ? "the music stops without fading: its last 0.5 s are only %.1f dB below its typical level"
                : "the music stops without fading: its last 0.5 s are %.1f dB above its typical level", abs(drop)))
    }

    func dcCheck(_ d: DefectFindings) -> TrackReport.Check {
        let worst = d.dcOffset.map(abs).max() ?? 0
        return .init(id: .dcOffset, status: grade(worst, policy.dcOffset), message: worst > 0
                     ? String(format: "largest channel mean %.4f (%.1f dBFS)", worst, 20 * log10(worst)) : "no DC offset")
    }

    func nonFiniteCheck(_ d: DefectFindings) -> TrackReport.Check {
        .init(id: .nonFinite, status: grade(Double(d.nonFiniteSamples), policy.nonFinite),
              message: d.nonFiniteSamples == 0 ? "all samples are finite"
                  : "\(d.nonFiniteSamples) samples are NaN, infinite or beyond ±10^9 (measured as silence)")
    }

    func channelChecks(_ d: DefectFindings, channels: Int) -> [TrackReport.Check] {
        guard channels == 2 else { return [] }
        let mono = TrackReport.Check(id: .monoAsStereo, status: d.channelsIdentical && policy.monoAsStereoWarns ? .warn : .pass,
                                     message: d.channelsIdentical ? "both channels carry the same signal" : "the channels differ")
        let correlation = d.channelCorrelation
        let inverted = correlation.map { $0 < policy.phaseInvertedCorrelation } ?? false
        let phase = TrackReport.Check(
            id: .phaseInverted, status: inverted ? .fail : .pass,
            message: correlation.map { String(format: "channel correlation %.2f%@", $0, inverted ? ": one channel is the other inverted" : "") }
                ?? "not measured: a channel is silent (see silent_channel)")
        return [mono, phase]
    }

    /// A channel that carries nothing (a generator that wrote one side only), or
    /// far less than the loudest. LFE channels are left out; in surround files a
    /// silent channel only warns (a mix may leave the centre empty).
    func silentChannelCheck(_ d: DefectFindings, layout: [ChannelPosition]?) -> TrackReport.Check {
        let count = d.channelRMSDBFS.count
        guard count >= 2 else { return .init(id: .silentChannel, status: .pass, message: "one channel") }
        let positions = layout?.count == count ? layout : nil
        let judged = (0..<count).filter { c in positions.map { $0[c] != .lfe } ?? true }
        func name(_ c: Int) -> String {
            if count == 2 { return c == 0 ? "left" : "right" }
            return positions.map { "\($0[c].rawValue) (channel \(c + 1))" } ?? "channel \(c + 1)"
        }
        let levels = judged.map { (channel: $0, rms: d.channelRMSDBFS[$0]) }
        guard let loudest = levels.compactMap({ $0.rms }).max(), loudest >= policy.silenceThresholdDBFS else {
            return .init(id: .silentChannel, status: .pass, message: "the whole track is silent (see leading_silence)")
        }
        let silent = levels.filter { ($0.rms ?? -.infinity) < policy.silentChannelDBFS }
        if !silent.isEmpty {
            let names = silent.map { $0.rms == nil ? "the \(name($0.channel)) channel is digital silence"
                : String(format: "the %@ channel is silent (%.0f dBFS RMS)", name($0.channel), $0.rms!) }
            let severity: TrackReport.Status = count == 2 && policy.silentChannelFails ? .fail : .warn
            return .init(id: .silentChannel, status: severity, message: names.joined(separator: "; "))
        }
        let quietest = levels.min { ($0.rms ?? -.infinity) < ($1.rms ?? -.infinity) }!
        let gap = loudest - (quietest.rms ?? loudest)
        let loudestName = name(levels.first { $0.rms == loudest }!.channel)
        let status = grade(gap, policy.channelImbalance)
        return .init(id: .silentChannel, status: status, message: status == .pass
            ? String(format: "every channel carries audio (within %.1f dB of each other)", gap)
            : String(format: "the %@ channel is %.1f dB quieter than the %@", name(quietest.channel), gap, loudestName))
    }

    func truePeakCheck(_ l: LoudnessReport, overs: Int) -> TrackReport.Check {
        guard let peak = l.truePeakDBTP else {
            return .init(id: .truePeak, status: .pass, message: "digital silence")
        }
        var status = grade(peak, policy.truePeak)
        var message = String(format: "true peak %.2f dBTP", peak)
        // Samples beyond full scale are intact (over_full_scale says so): the peak
        // is turned down by process, not already clipped.
        if overs > 0 && status == .fail {
            status = .warn
            message += ": from samples beyond full scale, intact until converted to fixed point"
        }
        return .init(id: .truePeak, status: status, message: message)
    }

    func loudnessCheck(_ l: LoudnessReport) -> TrackReport.Check {
        guard let integrated = l.integratedLUFS else {
            return .init(id: .loudness, status: .fail, message: l.unavailable[LoudnessReport.key(.integrated).rawValue] ?? "no loudness")
        }
        let status = grade(-integrated, .init(warn: policy.loudnessFloor.warn.map { -$0 }, fail: policy.loudnessFloor.fail.map { -$0 }))
        return .init(id: .loudness, status: status, message: String(format: "integrated %.1f LUFS, range %@", integrated,
                                                                           l.loudnessRangeLU.map { String(format: "%.1f LU", $0) } ?? "n/a"))
    }

    // MARK: Inputs

    /// "120 s" or "120 s in sections intro 0-20 s, verse 20-60 s, ..."; "no duration" when none is requested.
    static func expectationText(_ e: ExpectedStructure) -> String {
        guard let duration = e.duration else {
            return "no duration" + (e.lyricSections.isEmpty ? "" : ", sections " + e.lyricSections.joined(separator: ", "))
        }
        let length = "\(DurationText.number(duration)) s"
        guard !e.sections.isEmpty else { return length }
        return length + " in sections " + e.sections.map {
            "\($0.name) \(DurationText.number($0.start))-\(DurationText.number($0.end)) s"
        }.joined(separator: ", ")
    }
}
