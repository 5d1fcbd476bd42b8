import AudioDSP
import AudioIO
import Foundation
import RequestModel
import Testing
import TrackGate
import TrackGateTestSupport

/// `process` end to end, on music-like tracks in files, checked by reading the
/// outputs back with TrackGate, ffmpeg and ffprobe.
@Suite struct ProcessTests {
    static let rate = 44_100

    struct Fixture {
        let dir: TemporaryDirectory
        let audio: String
        let request: String
        var out: String { dir.file("out") }

        init(_ channels: [[Float]], request: String, name: String = "track", rate: Int = ProcessTests.rate) throws {
            dir = try TemporaryDirectory()
            audio = dir.file("\(name).wav")
            var writer = try SoundFileWriter(path: audio, format: .wav24, sampleRate: rate, channelCount: channels.count)
            try writer.write(AudioBuffer(sampleRate: rate, channels: channels))
            try writer.commit()
            self.request = dir.file("\(name).request.json")
            try Data(request.utf8).write(to: URL(fileURLWithPath: self.request))
        }

        func process(_ settings: FinishSettings = FinishSettings(), force: Bool = false, overwrite: Bool = false,
                     task: String? = nil) throws -> TrackReport {
            var taskPath: String?
            if let task {
                taskPath = dir.file("track.task.json")
                try Data(task.utf8).write(to: URL(fileURLWithPath: taskPath!))
            }
            return TrackProcessor(finisher: Finisher(settings: settings), force: force, overwrite: overwrite)
                .process(audioPath: audio, requestPath: request, taskPath: taskPath, outputDirectory: out)
        }
    }

    static let plan = #"{"type": "bgm", "version": "v2.0", "description": "Night drive", "segments": [{"name": "intro", "duration": 10}, {"name": "verse", "duration": 12}, {"name": "chorus", "duration": 10}]}"#
    static let vocal = #"{"type": "vocal", "lyrics": "[Verse]\nNeon rivers run beneath the bridge tonight\nEvery window hums a song of distant light\nTaxi signals blinking like a heartbeat in the rain\nEvery corner knows the names we used to call\nEvery echo keeps the shadows on the wall\n[Chorus]\nHold on, hold on, we will find our way again\nHold on, hold on, till the morning breaks the rain", "genre": "Pop", "mood": "Happy", "gender": "Female", "timbre": "Warm", "duration": 30}"#

    /// A NUL in a description would end the C string libsndfile writes and cut
    /// the title there; it is written as a space, and the report says so.
    @Test func controlCharactersInTheRequestReachTagsAsSpaces() throws {
        let fixture = try Fixture(Self.music([("verse", 6)]),
                                  request: #"{"type": "bgm", "description": "Calm\u0000piano\u0007 at night", "duration": 6}"#)
        let report = try fixture.process()
        let output = try #require(report.output)
        let audio = try #require(output.audio)
        #expect(try ExternalTool.ffprobeTags(audio)["title"] == "Calm piano  at night")
        #expect(output.notes.contains("the request's text holds control characters (NUL, U+0007); in the tags each is written "
            + "as a space"))
    }

    static func music(_ plan: [(String, Double)], dB: Double = 0, seed: UInt64 = 3, rate: Int = ProcessTests.rate) -> [[Float]] {
        let g = Float(pow(10, dB / 20))
        return MusicSynth(sampleRate: rate, seed: seed).render(plan: plan).channels.map { $0.map { $0 * g } }
    }

    static let sections: [(String, Double)] = [("intro", 10), ("verse", 12), ("chorus", 10)]

    /// The default chain on a quiet track: the written file meets the target and
    /// the ceiling by TrackGate's meter and by ffmpeg's.
    @Test func normalisesToTheTargetUnderTheCeiling() throws {
        let fixture = try Fixture(Self.music(Self.sections, dB: -6), request: Self.plan)
        let r = try fixture.process()
        let output = try #require(r.output)
        #expect(r.verdict != .fail && r.verdict != .error, "\(r.checks.filter { $0.status != .pass }) \(r.error ?? "")")
        let audio = try #require(output.audio)
        #expect(audio == fixture.dir.file("out/track.wav") && output.verified)
        let ours = LoudnessReport.measure(path: audio)
        #expect(abs(ours.integratedLUFS! + 14) <= 0.1)
        #expect(ours.truePeakDBTP! <= -1)
        if let ffmpeg = try ExternalTool.ffmpegLoudness(audio) {
            #expect(abs(ffmpeg.integrated + 14) <= 0.15, "ffmpeg reads \(ffmpeg.integrated) LUFS")
            #expect(ffmpeg.truePeak <= -1 + 0.05, "ffmpeg reads \(ffmpeg.truePeak) dBTP")
        }
        // The report's figures are the file's.
        #expect(output.loudness?.integratedLUFS == ours.integratedLUFS)
        #expect([CheckID.outputLoudness, .outputTruePeak].allSatisfy { id in r.checks.contains { $0.id == id && $0.status == .pass } })
    }

    /// Drums hotter than the rest (12 dB at the default): high crest factor, so the gain to -14 LUFS needs the limiter.
    static func spikyFixture(musicDB: Double = -14) throws -> Fixture {
        var spiky = Self.music(Self.sections, dB: musicDB)
        for c in spiky.indices {
            for i in stride(from: 0, to: spiky[c].count, by: 11_025) where i + 40 < spiky[c].count {
                for k in 0..<40 { spiky[c][i + k] = 0.95 * Float(sin(Double(k) * 0.3)) }
            }
        }
        return try Fixture(spiky, request: Self.plan)
    }

    /// The source is decoded twice, whatever the peak handling: once for the
    /// gate's analysis (which also records what the make-up prediction needs)
    /// and once for the render. (Limited tracks were decoded a third time for
    /// the prediction before.) The delivery is read back once more, from its own file.
    @Test(arguments: [PeakHandling.limit, .cap])
    func decodesTheSourceTwice(peakHandling: PeakHandling) throws {
        let fixture = try Fixture(Self.music(Self.sections, dB: 0), request: Self.plan)
        var settings = FinishSettings()
        settings.peakHandling = peakHandling
        let source = try AudioSource(path: fixture.audio)
        let report = TrackProcessor(finisher: Finisher(settings: settings))
            .process(audioPath: fixture.audio, request: .file(fixture.request), task: nil,
                     outputDirectory: fixture.out, source: source)
        let output = try #require(report.output)
        #expect(output.verified && output.peakHandling == (peakHandling == .limit ? .limited : .capped), "\(output)")
        #expect((output.limiterMaxReductionDB ?? 0) > 1 || peakHandling == .cap, "\(output)")
        #expect(source.decodingPasses == 2)
    }

    /// The make-up comes from the analysis pass's preview when the track needs
    /// little (the same answer as a pass of its own with the gain known, no
    /// decode), and from a pass of its own when it needs more than that preview
    /// was measured for (`LimiterPreview.analysisHeadroomDB`).
    @Test func makeupFromTheAnalysisOrFromAPassOfItsOwn() throws {
        let finisher = Finisher()
        for (fixture, light) in [(try Fixture(Self.music(Self.sections, dB: 0), request: Self.plan), true),
                                 (try Self.spikyFixture(), false)] {
            let source = try AudioSource(path: fixture.audio)
            let analysis = try TrackAnalysis.analyse(source: source, finishing: finisher.settings)
            let plan = finisher.plan(analysis.loudness)
            #expect(plan.needsLimiting)
            let fromAnalysis = try finisher.makeup(for: plan, preview: analysis.limiterPreview, source: source)
            let passes = source.decodingPasses
            let ownPass = try finisher.makeup(for: plan, preview: nil, source: source)
            #expect(source.decodingPasses == passes + 1)
            if light {
                #expect(passes == 1, "the analysis preview answered")
                #expect(ownPass.makeupDB > 0.05 && ownPass.makeupDB < LimiterPreview.analysisHeadroomDB)
                #expect(abs(fromAnalysis.makeupDB - ownPass.makeupDB) < 0.001, "\(fromAnalysis) \(ownPass)")
            } else {
                #expect(passes == 2, "more make-up than the analysis preview holds: a pass of its own")
                #expect(ownPass.makeupDB > LimiterPreview.analysisHeadroomDB)
                #expect(fromAnalysis == ownPass)
            }
        }
    }

    /// A track too peaky for its gain: `limit` reaches the target with the limiter,
    /// `cap` stays under the ceiling without it and reports the shortfall.
    @Test func limitAndCapHandleTheCeilingDifferently() throws {
        let spikyFixture = try Self.spikyFixture()
        let limited = try spikyFixture.process()
        let lo = try #require(limited.output)
        #expect(lo.peakHandling == .limited && lo.verified, "\(lo)")
        #expect((lo.limiterMaxReductionDB ?? 0) > 1)
        #expect(abs(lo.loudness!.integratedLUFS! + 14) <= 0.1)
        #expect(lo.loudness!.truePeakDBTP! <= -1)

        var settings = FinishSettings()
        settings.peakHandling = .cap
        let capped = try spikyFixture.process(settings, overwrite: true)
        let co = try #require(capped.output)
        #expect(co.peakHandling == .capped && co.verified && co.limiterMaxReductionDB == nil, "\(co)")
        let shortfall = try #require(co.shortfallLU)
        #expect(shortfall > 1)
        #expect(abs(co.loudness!.integratedLUFS! - (-14 - shortfall)) <= 0.1)
        #expect(co.loudness!.truePeakDBTP! <= -1)
    }

    /// Both engines, both containers, resampled to 48 kHz: exact length, the
    /// rate asked for, verified, and tags other tools read.
    @Test(arguments: [(ResamplerEngine.libsamplerate, OutputFormat.Container.wav), (.soxr, .flac), (.libsamplerate, .flac), (.soxr, .wav)])
    func resamplesAndTags(engine: ResamplerEngine, container: OutputFormat.Container) throws {
        let channels = Self.music(Self.sections, dB: -3)
        let fixture = try Fixture(channels, request: Self.plan)
        var settings = FinishSettings()
        settings.sampleRate = 48_000
        settings.resampler = engine
        settings.format = try OutputFormat(container, .pcm16)
        let task = #"{"task_id": "task-42", "status": "succeeded", "audio_url": "https://x/y.wav", "duration": 32}"#
        let r = try fixture.process(settings, task: task)
        let audio = try #require(r.output?.audio, "\(r.error ?? "") \(r.output?.notWritten ?? "")")
        let file = try SoundFile(path: audio)
        #expect(file.info.sampleRate == 48_000)
        #expect(file.info.frameCount == Int((Double(channels[0].count) * 48_000 / 44_100).rounded()))
        #expect(r.output?.verified == true && r.output?.resampler?["engine"] == engine.rawValue)
        let tags = try ExternalTool.ffprobeTags(audio)
        #expect(tags["title"] == "Night drive")
        #expect(tags["date"]?.count == 10)
        if container == .flac {
            #expect(tags["comment"]?.contains("Loudness of this file: integrated -14.0 LUFS") == true, "\(tags)")
            #expect(tags["comment"]?.contains("sections intro 0-10 s, verse 10-22 s, chorus 22-32 s") == true)
            #expect(tags["software"]?.hasPrefix("TrackGate ") == true || tags["encoder"]?.hasPrefix("TrackGate ") == true, "\(tags)")
        } else {
            // ffprobe shows bext (description as comment, originator as encoded_by); INFO through libsndfile.
            #expect(tags["encoded_by"] == "TrackGate" && tags["originator_reference"] == "task-42", "\(tags)")
            #expect(tags["coding_history"]?.contains("A=PCM,F=48000,W=16,M=stereo,T=TrackGate") == true, "\(tags)")
            #expect(file.info.tags.comment?.contains("Loudness of this file: integrated -14.0 LUFS") == true)
            let bext = try #require(file.info.broadcastInfo?.loudness)
            #expect(abs(try #require(bext.integratedLUFS) - r.output!.loudness!.integratedLUFS!) < 0.006)
            #expect(abs(try #require(bext.maxTruePeakDBTP) - r.output!.loudness!.truePeakDBTP!) < 0.006)
            // Cue markers at the requested boundaries, at the delivery rate.
            #expect(file.info.cuePoints == [10 * 48_000, 22 * 48_000])
        }
        // The sidecar carries the request and the task answer as given.
        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: r.output!.report))) as! [String: Any]
        #expect((sidecar["request"] as? [String: Any])?["description"] as? String == "Night drive")
        #expect((sidecar["task"] as? [String: Any])?["task_id"] as? String == "task-42")
        #expect((sidecar["output"] as? [String: Any])?["verified"] as? Bool == true)
    }

    /// Tags as people read them: no empty fields in the comment ("request: , 5 s"),
    /// no padding after it, UTF-8 kept where the container allows it and
    /// transliterated in the ASCII-only `bext` description.
    @Test(arguments: [OutputFormat.Container.wav, .flac])
    func tagHygiene(container: OutputFormat.Container) throws {
        let request = #"{"type": "bgm", "description": "Café Noir — 夜の街", "duration": 12}"#
        let fixture = try Fixture(Self.music([("verse", 6), ("chorus", 6)]), request: request)
        var settings = FinishSettings()
        settings.format = try OutputFormat(container, .pcm16)
        let r = try fixture.process(settings)
        let audio = try #require(r.output?.audio, "\(r.output?.notWritten ?? "")")
        let ours = try SoundFile(path: audio).info.tags
        let comment = try #require(ours.comment)
        #expect(comment.hasPrefix("Nuro BGM v1.0 request: 12 s. Normalised by TrackGate"), "\(comment)")
        #expect(comment.hasSuffix(" LUFS.") && comment.last != " ", "\(comment.suffix(30).debugDescription)")
        #expect(ours.title == "Café Noir — 夜の街")
        let theirs = try ExternalTool.ffprobeTags(audio)
        if container == .flac {
            #expect(theirs["comment"] == comment, "\(theirs["comment"]?.suffix(30).debugDescription ?? "none")")
            #expect(theirs["title"] == "Café Noir — 夜の街")
        } else {
            // ffprobe shows the bext description as `comment`: ASCII, transliterated.
            #expect(theirs["comment"] == "Nuro BGM v1.0: Cafe Noir - yeno jie", "\(theirs)")
        }
    }

    @Test func aVocalSongIsTitledByItsFirstLyricLine() throws {
        let fixture = try Fixture(Self.music([("verse", 15), ("chorus", 15)]), request: Self.vocal)
        var settings = FinishSettings()
        settings.format = .flac24
        let r = try fixture.process(settings)
        let tags = try ExternalTool.ffprobeTags(try #require(r.output?.audio))
        #expect(tags["title"] == "Neon rivers run beneath the bridge tonight" && tags["genre"] == "Pop", "\(tags)")
    }

    /// Samples beyond full scale in a float source are turned down, not refused,
    /// and the report says so; a silent channel is written only with --force, and
    /// the report says why the gain is what it is.
    @Test func oversAreTurnedDownAndASilentChannelIsExplained() throws {
        let loud = Self.music(Self.sections).map { $0.map { $0 * 4 } }
        let dir = try TemporaryDirectory()
        let audio = dir.file("hot.wav"), request = dir.file("hot.request.json")
        var writer = try SoundFileWriter(path: audio, format: .wavFloat, sampleRate: Self.rate, channelCount: 2)
        try writer.write(AudioBuffer(sampleRate: Self.rate, channels: loud))
        try writer.commit()
        try Data(Self.plan.utf8).write(to: URL(fileURLWithPath: request))
        let hot = TrackProcessor().process(audioPath: audio, requestPath: request, outputDirectory: dir.file("out"))
        #expect(hot.output?.audio != nil, "\(hot.output?.notWritten ?? "")")
        #expect(hot.output?.verified == true)
        #expect(hot.output?.notes.contains { $0.contains("beyond full scale") && $0.contains("turned down") } == true)

        let oneSided = try Fixture([Self.music(Self.sections)[0], [Float](repeating: 0, count: 32 * Self.rate)], request: Self.plan)
        #expect(try oneSided.process().output?.audio == nil)
        let forced = try oneSided.process(force: true, overwrite: true)
        #expect(forced.output?.audio != nil)
        #expect(forced.output?.notes.first?.hasPrefix("the right channel is silent: the loudness is that of the other alone") == true,
                "\(forced.output?.notes ?? [])")
    }

    /// A failing track is not written without --force; an unreadable one never is;
    /// either way the report is.
    @Test func failingAndUnreadableTracksAreNotWritten() throws {
        // 10 s delivered for 32 s requested: the duration check fails.
        let short = try Fixture(Self.music([("verse", 5), ("chorus", 5)]), request: Self.plan)
        let refused = try short.process()
        #expect(refused.verdict == .fail && refused.output?.audio == nil)
        #expect(refused.output?.notWritten?.contains("--force") == true)
        #expect(try short.dir.contents().contains("out") && FileManager.default.fileExists(atPath: short.dir.file("out/track.json")))
        #expect(!FileManager.default.fileExists(atPath: short.dir.file("out/track.wav")))
        let forced = try short.process(force: true, overwrite: true)
        #expect(forced.verdict == .fail && forced.output?.audio != nil)

        let broken = try Fixture(Self.music(Self.sections), request: Self.plan)
        try Data("<html>Bad gateway</html>".utf8).write(to: URL(fileURLWithPath: broken.audio))
        let error = try broken.process(force: true)
        #expect(error.verdict == .error && error.exitStatus == .unreadable && error.output?.audio == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: broken.out) == ["track.json"])
    }

    /// Outputs are never replaced unasked, and the input never at all.
    @Test func neverReplacesFilesUnasked() throws {
        let fixture = try Fixture(Self.music(Self.sections, dB: -6), request: Self.plan)
        #expect(try fixture.process().output?.audio != nil)
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.dir.file("out/track.wav")))
        let again = try fixture.process()
        #expect(again.verdict == .error && again.error?.contains("already exists; pass --overwrite") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.dir.file("out/track.wav"))) == before)

        let input = try Data(contentsOf: URL(fileURLWithPath: fixture.audio))
        let intoSource = TrackProcessor(overwrite: true).process(audioPath: fixture.audio, requestPath: fixture.request,
                                                                  outputDirectory: fixture.dir.path)
        #expect(intoSource.verdict == .error && intoSource.error?.contains("would replace the input") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.audio)) == input)
    }

    /// Same input, same settings: byte-identical audio (seeded dither), so batch reruns are stable.
    @Test func outputIsDeterministic() throws {
        let fixture = try Fixture(Self.music(Self.sections, dB: -6), request: Self.plan)
        var settings = FinishSettings()
        settings.format = .wav16
        let first = try fixture.process(settings)
        let a = try SoundFile.readAll(path: first.output!.audio!)
        _ = try fixture.process(settings, overwrite: true)
        let b = try SoundFile.readAll(path: first.output!.audio!)
        #expect(a == b)
    }
}

@Suite struct MakeupSearchTests {
    /// On a loudness that grows at 0.4 LU per dB of make-up (heavy limiting) the
    /// secant steps land within 0.02 LU in a few steps; at slope 1 in one.
    @Test(arguments: [0.4, 0.7, 1.0])
    func convergesOnLimitedLoudness(slope: Double) {
        var search = MakeupSearch(targetLUFS: -14)
        let loudness = { (makeup: Double) in -14.9 + slope * makeup - 0.02 * makeup * makeup }
        var makeup = 0.0, steps = 0
        while let next = search.next(makeup: makeup, measured: loudness(makeup)) {
            makeup = next
            steps += 1
            if steps > 6 { break }
        }
        #expect(abs(loudness(makeup) + 14) < MakeupSearch.precision)
        #expect(steps <= (slope == 1 ? 2 : 4), "\(steps) steps")
    }

    @Test func nothingToDoWithinPrecision() {
        var search = MakeupSearch(targetLUFS: -14)
        #expect(search.next(makeup: 0, measured: -14.015) == nil)
        #expect(search.next(makeup: 0, measured: -14.03) != nil)
    }
}

/// The date outputs carry: now, or `SOURCE_DATE_EPOCH` when set, so shards,
/// retries and other machines write byte-identical files.
@Suite struct SourceDateEpochTests {
    @Test func sourceDateEpochFixesTheDate() throws {
        #expect(try SourceDateEpoch.date(environment: ["SOURCE_DATE_EPOCH": "1700000000"]) == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(try SourceDateEpoch.date(environment: ["SOURCE_DATE_EPOCH": "0"]) == Date(timeIntervalSince1970: 0))
        #expect(try SourceDateEpoch.date(environment: [:]) == nil && SourceDateEpoch.date(environment: ["SOURCE_DATE_EPOCH": ""]) == nil)
        // Malformed: refused (the specification's "SHOULD exit with a non-zero error code"), not taken for now.
        for bad in ["-5", "1.5e9", "17e8", " 1700000000", "1700000000\n", "99999999999999999999", "253402300800"] {
            #expect(throws: SourceDateEpochError.self, "\(bad)") { try SourceDateEpoch.date(environment: ["SOURCE_DATE_EPOCH": bad]) }
        }
        #expect(abs(SourceDateEpoch.now(environment: [:]).timeIntervalSinceNow) < 60)
    }
}
