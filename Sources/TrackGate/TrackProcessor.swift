import AudioDSP
import AudioIO
import Foundation
import RequestModel

/// `trackgate process` for one track: the gate, then (unless the verdict
/// forbids it) the `Finisher`, verification of the written file, and the
/// sidecar report. Never throws: every problem ends up in the report.
///
/// Outputs are `DIR/ID.<wav|flac>` and `DIR/ID.json`. Both appear complete or
/// not at all; existing files are replaced only with `overwrite`, and the input
/// itself never is.
public struct TrackProcessor: Sendable {
    public var gate: Gate
    public var finisher: Finisher
    /// Write tracks whose verdict is `fail` (never those in `error`).
    public var force: Bool
    /// Replace existing outputs.
    public var overwrite: Bool
    /// Draw `DIR/ID.svg` (`TrackPlot`).
    public var plots: Bool

    public init(gate: Gate = Gate(), finisher: Finisher = Finisher(), force: Bool = false, overwrite: Bool = false,
                plots: Bool = false) {
        self.gate = gate
        self.finisher = finisher
        self.force = force
        self.overwrite = overwrite
        self.plots = plots
    }

    public func process(audioPath: String, requestPath: String, taskPath: String? = nil,
                        outputDirectory: String, id: String? = nil, clip: String? = nil) -> TrackReport {
        process(audioPath: audioPath, request: .file(requestPath), task: taskPath.map(JSONSource.file),
                outputDirectory: outputDirectory, id: id, clip: clip)
    }

    /// - Parameter clip: the Sonic or Producer clip the file is (`Gate.evaluate`).
    public func process(audioPath: String, request: JSONSource, task: JSONSource?,
                        outputDirectory: String, id: String? = nil, clip: String? = nil, fingerprint: Fingerprint? = nil,
                        source: AudioSource? = nil) -> TrackReport {
        let id = id ?? TrackID.of(audioPath: audioPath)
        let settings = finisher.settings
        let (audioOut, reportOut, plotOut) = outputPaths(id: id, directory: outputDirectory, audioPath: audioPath)

        if let problem = outputProblem(audioPath: audioPath, id: id, directory: outputDirectory) {
            return TrackReport(id: id, file: audioPath, error: problem, errorKind: .file(.invalidArgument), unreadable: true)
        }

        let outcome = gate.evaluate(audioPath: audioPath, request: request, task: task, id: id, clip: clip,
                                    envelopeColumns: plots ? TrackPlot.envelopeColumns : nil, source: source,
                                    finishing: finisher.settings)
        var report = outcome.reportWithInputs
        report.fingerprint = fingerprint
        let sourceRate = outcome.analysis?.info.sampleRate ?? 0
        let outputRate = settings.outputRate(for: sourceRate)
        var output = OutputReport(
            audio: nil, report: reportOut, notWritten: nil, format: settings.format.container.rawValue,
            bitDepth: settings.format.bitDepth?.rawValue,
            bitrateKbps: settings.format.bitrateKbps(sampleRate: outputRate, channelCount: outcome.analysis?.info.channelCount ?? 2),
            sampleRate: outputRate,
            sourceSampleRate: sourceRate,
            resampler: outputRate == sourceRate ? nil
                : ["engine": settings.resampler.rawValue, "quality": settings.resampleQuality.rawValue],
            dither: settings.dither && !settings.format.sampleFormat.isFloat ? "tpdf" : "none",
            targetLUFS: settings.targetLUFS, ceilingDBTP: settings.ceilingDBTP, gainDB: 0, makeupDB: 0,
            peakHandling: .none, verified: false)

        if report.verdict == .error {
            output.notWritten = "the track could not be checked"
        } else if report.verdict == .fail && !force {
            output.notWritten = "the gate failed the track (--force writes it anyway)"
        } else if let analysis = outcome.analysis, let request = outcome.request, let source = outcome.source {
            do throws(AudioIOError) {
                if settings.tagsOnly {
                    try copyWithGainTags(analysis: analysis, source: source, audioOut: audioOut, output: &output)
                    output.notes.append("tags only: the audio and its format are the source's, unchanged; the gain tags are its measurement")
                } else if let onTarget = nearTarget(analysis), onTarget.copy {
                    try copyWithGainTags(analysis: analysis, source: source, audioOut: audioOut, output: &output)
                    report.checks += finisher.verify(analysis.loudness, plan: finisher.plan(analysis.loudness)).map {
                        TrackReport.Check(id: $0.id, status: $0.status, message: $0.message + " (the source, copied)")
                    }
                    report.verdict = gate.verdict(report.checks)
                    output.notes.append(onTarget.note)
                } else {
                    try finish(analysis: analysis, request: request, task: outcome.task, source: source,
                               audioOut: audioOut, report: &report, output: &output)
                    if let nearTarget = nearTarget(analysis) { output.notes.append(nearTarget.note) }
                }
            } catch {
                // Unwritable (a full disk) or unreadable mid-run: exit code 2, as when found while listing.
                report.verdict = .error
                report.error = error.description
                report.errorKind = .file(error.kind)
                report.unreadable = true
                output.notWritten = "finishing failed"
            }
        }
        report.output = output
        if plots {
            report.attachPlot(analysis: outcome.analysis, policy: gate.policy, targetLUFS: settings.targetLUFS, path: plotOut)
        }
        if !report.save(to: reportOut, replaceExisting: overwrite), let written = report.output?.audio {
            // No delivery without the report that describes it.
            try? FileManager.default.removeItem(atPath: written)
            report.output?.audio = nil
            report.output?.notWritten = "the report could not be written, so the delivery was removed"
        }
        if overwrite { removeEarlierAudio(id: id, directory: outputDirectory, except: report.output?.audio, input: audioPath) }
        return report
    }

    /// The extensions of audio outputs: the delivery formats', and those of
    /// the Ogg files `--tags-only` copies.
    static let audioExtensions = OutputFormat.Container.allCases.map(\.fileExtension) + ["ogg", "oga"]

    /// Removes the track's audio outputs (`ID.wav`, `ID.flac`, ...) other than the one
    /// this run wrote: a file an earlier run wrote and this one did not would
    /// outlive the report that now describes the track. Never the input.
    private func removeEarlierAudio(id: String, directory: String, except written: String?, input: String) {
        let source = FilePaths.resolved(input)
        for ext in Self.audioExtensions {
            let path = (directory as NSString).appendingPathComponent("\(id).\(ext)")
            guard path != written, FilePaths.resolved(path) != source,
                  FileManager.default.fileExists(atPath: path) else { continue }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Removes the temporaries killed runs left for this track's outputs (never
    /// those a live run is writing, see `AtomicFile.removeIfAbandoned`). Reads
    /// the output folder: for one track (`process`); a batch lists its folder
    /// once instead (`OutputFolder`).
    public func removeAbandonedTemporaries(id: String, directory: String, audioPath: String? = nil) {
        let (audioOut, reportOut, plotOut) = outputPaths(id: id, directory: directory, audioPath: audioPath)
        for output in [audioOut, reportOut, plotOut] { AtomicFile.removeTemporaries(of: output) }
    }

    private func finish(analysis: TrackAnalysis, request: TrackRequest, task: AnswerEntry?, source: AudioSource,
                        audioOut: String, report: inout TrackReport, output: inout OutputReport) throws(AudioIOError) {
        var plan = finisher.plan(analysis.loudness)
        // Limiting takes loudness: predict the make-up from the source, render
        // once, and correct by secant steps only if the written file says so.
        let makeup = try finisher.makeup(for: plan, preview: analysis.limiterPreview, source: source)
        plan.makeupDB = makeup.makeupDB
        let settings = finisher.settings
        let outputRate = settings.outputRate(for: analysis.info.sampleRate)
        let tags = DeliveryTags(request: request, task: task, settings: settings, format: settings.format,
                                sourceRate: analysis.info.sampleRate, outputRate: outputRate,
                                channelCount: analysis.info.channelCount, sourceCodec: analysis.info.encoding.codec)
        // Whatever follows the gain (the resampler's roll-off takes loudness from
        // bright tracks: -0.12 LU for pink noise from 44.1 to 48 kHz, -0.9 LU to
        // 22.05 kHz; the limiter takes more), the delivery is measured as written
        // and rendered again, corrected, while it misses the target by
        // `MakeupSearch.precision` or more. Without limiting one correction is exact.
        var search = MakeupSearch(targetLUFS: settings.targetLUFS, initialSlope: makeup.slope)
        var attempt = try renderAndMeasure(source: source, plan: plan, tags: tags, audioOut: audioOut)
        // A lossy encoder puts peaks back over the ceiling (0.5-1.5 dB is common
        // at 128-192 kbit/s): what is verified is the decoded file, so each
        // overshoot lowers the limiter's ceiling (or the cap) by that much and
        // a little more, and the track is rendered and encoded again.
        let lossy = settings.format.isLossy
        for _ in 0..<(lossy ? Self.lossyRenders : Self.pcmRenders) - 1 {
            if lossy, let peak = attempt.measured.truePeakDBTP, peak > settings.ceilingDBTP {
                var next = finisher.plan(analysis.loudness, headroomDB: plan.headroomDB + peak - settings.ceilingDBTP
                                                                          + Self.encoderHeadroomStepDB)
                let more = try finisher.makeup(for: next, preview: analysis.limiterPreview, source: source)
                next.makeupDB = more.makeupDB
                search = MakeupSearch(targetLUFS: settings.targetLUFS, initialSlope: more.slope)
                plan = next
            } else if let corrected = finisher.correct(plan, measured: attempt.measured, search: &search) {
                plan = corrected
            } else {
                break
            }
            // The earlier attempt's temporary file goes as it is replaced.
            attempt = try renderAndMeasure(source: source, plan: plan, tags: tags, audioOut: audioOut)
        }
        let measured = attempt.measured
        let written = attempt.rendering.file.temporaryPath
        let gainTags = GainTags.fields(settings.gainTagStyle, track: measured)
        if settings.format.container == .wav {
            try MetadataPatch.replaceText(tags.loudnessPlaceholder, with: DeliveryTags.loudnessSentence(measured), path: written)
            if tags.broadcastInfo != nil {
                try MetadataPatch.setLoudness(DeliveryTags.broadcastLoudness(measured), path: written)
            }
        } else {
            try TagEditor.set([tags.comment(measured: measured)] + gainTags, path: written)
        }
        output.gainTags = GainTags.byName(gainTags)
        output.encodedHeadroomDB = lossy ? plan.headroomDB : nil

        let checks = finisher.verify(measured, plan: plan)
        report.checks += checks
        report.verdict = gate.verdict(report.checks)
        output.gainDB = plan.gainDB + plan.makeupDB
        output.makeupDB = plan.makeupDB
        output.shortfallLU = plan.shortfallLU
        output.limiterMaxReductionDB = attempt.rendering.limiterMaxReductionDB
        output.limiterActiveS = attempt.rendering.limiterActiveS
        output.peakHandling = plan.shortfallLU != nil ? .capped
            : (attempt.rendering.limiterActiveS ?? 0) > 0 ? .limited : .none
        output.loudness = measured
        output.notes = Self.notes(analysis.defects, gainDB: output.gainDB, policy: gate.policy)
        if !tags.replacedControlCharacters.isEmpty {
            output.notes.append("the request's text holds control characters ("
                + tags.replacedControlCharacters.joined(separator: ", ") + "); in the tags each is written as a space")
        }
        output.verified = checks.allSatisfy { $0.status == .pass }
        if !output.verified && !force {
            output.notWritten = "the written file failed verification (--force keeps it)"
            return   // the temporary file is removed with `attempt`
        }
        // A file written to during the render is not delivered.
        try source.checkUnchanged()
        try attempt.rendering.file.commit()
        output.audio = audioOut
    }

    /// Why the gain is what it is, when the source is out of the ordinary.
    static func notes(_ d: DefectFindings, gainDB: Double, policy: Policy) -> [String] {
        var notes: [String] = []
        let rms = d.channelRMSDBFS
        if rms.count >= 2, rms.contains(where: { ($0 ?? -.infinity) >= policy.silenceThresholdDBFS }) {
            let silent = rms.indices.filter { (rms[$0] ?? -.infinity) < policy.silentChannelDBFS }
            if !silent.isEmpty {
                let names = silent.map { rms.count == 2 ? ($0 == 0 ? "left" : "right") : "channel \($0 + 1)" }
                notes.append(String(format: "the %@ channel%@ silent: the loudness is that of the other%@ alone, and the gain "
                    + "of %+.2f dB brings %@ to the target", names.joined(separator: " and "), silent.count > 1 ? "s are" : " is",
                    rms.count - silent.count > 1 ? "s" : "", gainDB, rms.count - silent.count > 1 ? "them" : "it"))
            }
        }
        if d.overSamples > 0, let peak = d.channelPeakDBFS.compactMap({ $0 }).max() {
            notes.append(String(format: "%d source samples beyond full scale (up to %+.2f dBFS) are turned down by the gain of %+.2f dB",
                                d.overSamples, peak, gainDB))
        }
        return notes
    }

    /// For `--skip-if-within`: whether a source within that many LU of the
    /// target is copied as it is (under the ceiling, and already in the
    /// delivery's container, rate and, for PCM, bit depth) or still finished,
    /// and the note that says which. Nil for a source farther from the target.
    private func nearTarget(_ analysis: TrackAnalysis) -> (copy: Bool, note: String)? {
        let settings = finisher.settings
        guard let within = settings.skipIfWithinLU, let integrated = analysis.loudness.integratedLUFS,
              abs(integrated - settings.targetLUFS) <= within else { return nil }
        let encoding = analysis.info.encoding
        let peakText = analysis.loudness.truePeakDBTP.map { String(format: "%.2f dBTP", $0) } ?? "n/a"
        let finished = (false, String(format: "within %.2f LU of the target but not a delivery as it is "
            + "(%@ in %@ at %d Hz, true peak %@): finished as usual", within, encoding.codec, encoding.container,
            analysis.info.sampleRate, peakText))
        guard let peak = analysis.loudness.truePeakDBTP, peak <= settings.ceilingDBTP else { return finished }
        let container = settings.format.container
        let sameContainer = switch container {
        case .opus: encoding.codec == "opus"
        case .mp3: encoding.container == "mp3"
        case .wav, .flac: encoding.container == container.rawValue && encoding.bitDepth == settings.format.sampleFormat.bitDepth
            && encoding.codec.hasPrefix("pcm") == (container == .wav) && (encoding.codec == "pcm_f32") == settings.format.sampleFormat.isFloat
        }
        guard sameContainer, settings.outputRate(for: analysis.info.sampleRate) == analysis.info.sampleRate else { return finished }
        return (true, String(format: "the source is %.2f LU from the target and its true peak %.2f dBTP is under the ceiling "
            + "(--skip-if-within %.2f): copied unchanged", integrated - settings.targetLUFS, peak, within))
    }

    /// Copies the source to `audioOut` byte for byte, with the gain tags of its
    /// own measurement set (`--tags-only`, `--skip-if-within`).
    private func copyWithGainTags(analysis: TrackAnalysis, source: AudioSource, audioOut: String,
                                  output: inout OutputReport) throws(AudioIOError) {
        let settings = finisher.settings
        var fields: [TagField] = []
        if let rules = GainTagStyle.rules(for: analysis.info.encoding) {
            let style = settings.tagsOnly ? settings.gainTags ?? .standard(for: rules) : settings.gainTagStyle
            if let problem = style.problem(in: rules) {
                throw AudioIOError(.invalidArgument, path: source.path, detail: problem)
            }
            fields = GainTags.fields(style, track: analysis.loudness)
        } else if settings.tagsOnly {
            throw AudioIOError(.invalidArgument, path: source.path, detail: "--tags-only sets tags in FLAC, Ogg and MP3 "
                + "files; this is \(analysis.info.encoding.codec) in \(analysis.info.encoding.container), which has no standard place for gain tags")
        }
        try source.copy(to: audioOut, replaceExisting: overwrite) { (temporary) throws(AudioIOError) in
            if !fields.isEmpty { try TagEditor.set(fields, path: temporary) }
        }
        var loudness = analysis.loudness
        loudness.file = audioOut
        output.audio = audioOut
        output.loudness = loudness
        output.format = settings.tagsOnly ? (audioOut as NSString).pathExtension : output.format
        let encoding = analysis.info.encoding
        output.bitDepth = encoding.isLossy ? nil : encoding.bitDepth.map { encoding.codec == "pcm_f32" ? "32f" : String($0) }
        if encoding.isLossy && settings.tagsOnly { output.bitrateKbps = nil }
        output.sampleRate = analysis.info.sampleRate
        output.resampler = nil
        output.dither = "none"
        output.gainTags = GainTags.byName(fields)
        output.verified = true
    }

    /// Renders per delivery at most: PCM needs one correction at most without
    /// limiting and rarely two with it; a lossy delivery may first need room
    /// for the encoder's overshoot, then the loudness it costs made up.
    static let pcmRenders = 4
    static let lossyRenders = 7
    /// How much more room than the measured overshoot a lossy delivery takes, dB:
    /// the overshoot moves a little as the make-up changes what the encoder gets.
    static let encoderHeadroomStepDB = 0.1

    /// A rendered temporary file and its loudness, read back from disk as any later user will.
    private struct Attempt: ~Copyable {
        var rendering: Finisher.Rendering
        var measured: LoudnessReport
    }

    private func renderAndMeasure(source: AudioSource, plan: Finisher.Plan, tags: DeliveryTags,
                                  audioOut: String) throws(AudioIOError) -> Attempt {
        let rendering = try finisher.render(source: source, plan: plan, tags: tags, to: audioOut, replaceExisting: overwrite)
        var measured = LoudnessReport.measure(path: rendering.file.temporaryPath)
        if let error = measured.error {
            throw AudioIOError(.writeFailed, path: audioOut, detail: "the written file cannot be read back: \(error)")
        }
        measured.file = audioOut
        return Attempt(rendering: rendering, measured: measured)
    }

    /// `DIR/ID.<wav|flac|mp3|opus>` (with `--tags-only`, the source's own
    /// extension, lower-cased), `DIR/ID.json` and `DIR/ID.svg`.
    public func outputPaths(id: String, directory: String, audioPath: String? = nil) -> (audio: String, report: String, plot: String) {
        let dir = directory as NSString
        var ext = finisher.settings.format.container.fileExtension
        if finisher.settings.tagsOnly, let audioPath {
            let own = (audioPath as NSString).pathExtension.lowercased()
            ext = own.isEmpty || own == "json" || own == "svg" ? "audio" : own
        }
        return (dir.appendingPathComponent("\(id).\(ext)"),
                dir.appendingPathComponent("\(id).json"), dir.appendingPathComponent("\(id).svg"))
    }

    /// Why the outputs cannot be written (they exist, or would replace the input),
    /// checked before any work is done; creates a missing output folder.
    public func outputProblem(audioPath: String, id: String, directory: String) -> String? {
        let (audioOut, reportOut, plotOut) = outputPaths(id: id, directory: directory, audioPath: audioPath)
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { return "\(directory): --out names a file, not a folder" }
        } else {
            do {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                return "\(directory): cannot create the output folder: \(error.localizedDescription)"
            }
        }
        let source = FilePaths.resolved(audioPath)
        for path in [audioOut, reportOut] + (plots ? [plotOut] : []) {
            if FilePaths.resolved(path) == source {
                return "\(path): the output would replace the input; choose another --out folder"
            }
            if !overwrite && fm.fileExists(atPath: path) {
                return "\(path): already exists; pass --overwrite to replace it"
            }
        }
        return nil
    }
}
