import AudioIO
import Foundation
import Testing
import TrackGateTestSupport

@Suite struct WriterTests {
    static let tags = AudioTags(title: "Cinematic trailer", artist: "Nuro", genre: "cinematic",
                                comment: "segments: intro 20, chorus 40, outro 10", date: "2026-11-21",
                                software: "TrackGate test")

    static let formats: [(OutputFormat, Float)] = [
        // Largest round-trip error: half a quantisation step for PCM, none for float.
        (.wav16, 0.5 / 32_768 + 1e-7), (.wav24, 0.5 / 8_388_608 + 1e-7), (.wavFloat, 0),
        (.flac16, 0.5 / 32_768 + 1e-7), (.flac24, 0.5 / 8_388_608 + 1e-7),
    ]

    @Test(arguments: 0..<formats.count)
    func roundTrip(_ index: Int) throws {
        let (format, tolerance) = Self.formats[index]
        let dir = try TemporaryDirectory()
        let path = dir.file("out.\(format.container.fileExtension)")
        let signal = TestSignals.noise(amplitude: 0.9, seconds: 0.7, sampleRate: 48_000, channels: 2, seed: 5)
        var writer = try SoundFileWriter(path: path, format: format, sampleRate: 48_000, channelCount: 2, tags: Self.tags)
        try writer.write(signal)
        #expect(writer.framesWritten == signal.frameCount)
        try writer.commit()

        var file = try SoundFile(path: path)
        #expect(file.info.sampleRate == 48_000 && file.info.channelCount == 2)
        #expect(file.info.encoding.bitDepth == format.sampleFormat.bitDepth)
        #expect(file.info.tags.title == "Cinematic trailer")
        let back = try file.readAll()
        #expect(back.frameCount == signal.frameCount)
        let worst = zip(back.channels.joined(), signal.channels.joined()).map { abs($0 - $1) }.max() ?? 1
        #expect(worst <= tolerance, "\(format): worst error \(worst)")
    }

    /// ffprobe is an independent reader: what it sees is what other tools see.
    @Test(arguments: [OutputFormat.wav24, .flac24])
    func tagsAreReadableByFFprobe(_ format: OutputFormat) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("tagged.\(format.container.fileExtension)")
        var writer = try SoundFileWriter(path: path, format: format, sampleRate: 44_100, channelCount: 2, tags: Self.tags)
        try writer.write(TestSignals.sine(frequency: 220, seconds: 0.5, sampleRate: 44_100))
        try writer.commit()

        let seen = try ExternalTool.ffprobeTags(path)
        #expect(seen["title"] == "Cinematic trailer")
        #expect(seen["artist"] == "Nuro")
        #expect(seen["genre"] == "cinematic")
        #expect(seen["comment"] == "segments: intro 20, chorus 40, outro 10")
        #expect(seen["date"] == "2026-11-21")
        #expect(seen["encoder"]?.hasPrefix("TrackGate test") == true || seen["software"]?.hasPrefix("TrackGate test") == true,
                "\(seen)")
    }

    @Test func broadcastWaveChunkVersion2() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("bwf.wav")
        let bext = BroadcastInfo(
            description: "Cinematic trailer (Nuro BGM v2.0)", originator: "TrackGate", originatorReference: "tg-0001",
            originationDate: "2026-11-21", originationTime: "08:30:00", timeReference: 48_000 * 3600,
            codingHistory: "A=PCM,F=48000,W=24,M=stereo,T=TrackGate\r\n",
            loudness: .init(integratedLUFS: -14.02, rangeLU: 5.1, maxTruePeakDBTP: -1.0,
                            maxMomentaryLUFS: -9.87, maxShortTermLUFS: -11.5))
        var writer = try SoundFileWriter(path: path, format: .wav24, sampleRate: 48_000, channelCount: 2,
                                         tags: Self.tags, broadcastInfo: bext)
        try writer.write(TestSignals.sine(frequency: 1000, seconds: 0.25))
        try writer.commit()

        var read = try #require(try SoundFile(path: path).info.broadcastInfo)
        // libsndfile appends its own line to the coding history (EBU R 98: each step adds one).
        #expect(read.codingHistory.hasPrefix(bext.codingHistory))
        #expect(read.codingHistory.contains("T=libsndfile"))
        read.codingHistory = bext.codingHistory
        #expect(read == bext)

        // ffmpeg maps bext fields to its own keys: description -> comment,
        // originator -> encoded_by, origination date/time -> date/creation_time.
        let seen = try ExternalTool.ffprobeTags(path)
        #expect(seen["comment"] == "Cinematic trailer (Nuro BGM v2.0)")
        #expect(seen["encoded_by"] == "TrackGate")
        #expect(seen["originator_reference"] == "tg-0001")
        #expect(seen["date"] == "2026-11-21")
        #expect(seen["creation_time"] == "08:30:00")
        #expect(seen["time_reference"] == "172800000")
        #expect(seen["coding_history"]?.hasPrefix("A=PCM,F=48000,W=24,M=stereo,T=TrackGate") == true)
    }

    /// EBU Tech 3285 v2 marks a loudness field not set with 0x7FFF: written so
    /// for nil, and read back as nil (not as 327.67 LUFS).
    @Test func bextLoudnessNotSet() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("bwf.wav")
        let bext = BroadcastInfo(description: "d", originator: "TrackGate", originationDate: "2026-11-29",
                                 originationTime: "12:00:00",
                                 loudness: .init(integratedLUFS: -16.5, rangeLU: nil, maxTruePeakDBTP: nil,
                                                 maxMomentaryLUFS: nil, maxShortTermLUFS: nil))
        var writer = try SoundFileWriter(path: path, format: .wav16, sampleRate: 48_000, channelCount: 2, broadcastInfo: bext)
        try writer.write(TestSignals.sine(frequency: 1000, seconds: 0.1))
        try writer.commit()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let chunk = try #require((0..<bytes.count - 4).first { bytes[$0..<$0 + 4] == Array("bext".utf8)[...] })
        let fields = Array(bytes[(chunk + 8 + 412)..<(chunk + 8 + 422)])
        #expect(fields == [0x8E, 0xF9, 0xFF, 0x7F, 0xFF, 0x7F, 0xFF, 0x7F, 0xFF, 0x7F])  // -1650, then 0x7FFF four times
        let read = try #require(try SoundFile(path: path).info.broadcastInfo?.loudness)
        #expect(read == bext.loudness)
        #expect(read.rangeLU == nil && read.integratedLUFS == -16.5)
    }

    /// A file of no frames, with INFO and bext chunks: its RIFF size is the
    /// file's size less 8 (libsndfile alone left 772 in a 1,110-byte file).
    @Test func aZeroFrameWAVHasTheRightRIFFSize() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("empty.wav")
        let bext = BroadcastInfo(description: "d", originator: "TrackGate", originationDate: "2026-11-29", originationTime: "12:00:00")
        let writer = try SoundFileWriter(path: path, format: .wav24, sampleRate: 48_000, channelCount: 2,
                                         tags: Self.tags, broadcastInfo: bext)
        try writer.commit()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let riff = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
        #expect(riff == bytes.count - 8)
        // Walking the chunks by their sizes ends exactly at the end of the file.
        var offset = 12
        while offset + 8 <= bytes.count {
            let size = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            offset += 8 + size + (size & 1)
        }
        #expect(offset == bytes.count)
        #expect(try SoundFile(path: path).info.frameCount == 0)
    }

    @Test func bextOnFlacIsRefusedUpFront() throws {
        let dir = try TemporaryDirectory()
        let bext = BroadcastInfo(description: "x", originator: "y", originationDate: "2026-11-21", originationTime: "00:00:00")
        let error = audioError {
            _ = try SoundFileWriter(path: dir.file("x.flac"), format: .flac16, sampleRate: 44_100, channelCount: 2, broadcastInfo: bext)
        }
        #expect(error?.kind == .invalidArgument)
        #expect(try dir.contents().isEmpty)
    }

    @Test func flacCannotStoreFloat() {
        let error = audioError { _ = try OutputFormat(.flac, .float32) }
        #expect(error?.kind == .invalidArgument)
    }

    @Test func integerFormatsClipInsteadOfWrapping() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("hot.wav")
        var writer = try SoundFileWriter(path: path, format: .wav16, sampleRate: 8000, channelCount: 1)
        try writer.write(AudioBuffer(sampleRate: 8000, channels: [[1.5, -1.7, 0.5]]))
        try writer.commit()
        let back = try SoundFile.readAll(path: path).channels[0]
        #expect(back[0] > 0.999 && back[1] <= -0.999 && abs(back[2] - 0.5) < 1e-4, "\(back)")
    }

    // MARK: Atomicity

    @Test func nothingAppearsUnderTheFinalNameBeforeCommit() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("track.wav")
        var writer = try SoundFileWriter(path: path, format: .wav16, sampleRate: 44_100, channelCount: 2)
        try writer.write(TestSignals.sine(frequency: 440, seconds: 1, sampleRate: 44_100))
        let during = try dir.contents()
        #expect(!during.contains("track.wav"))
        #expect(during.count == 1 && during[0].hasPrefix(".track.wav.") && during[0].hasSuffix(".partial"), "\(during)")
        try writer.commit()
        #expect(try dir.contents() == ["track.wav"])
        #expect(try SoundFile(path: path).info.frameCount == 44_100)
    }

    /// What a killed writer leaves can be traced to its file, and removed
    /// without touching anyone else's temporaries.
    @Test func temporariesAreTracedToTheirFileAndRemovedAlone() throws {
        let dir = try TemporaryDirectory()
        let stream = try AtomicFileStream(path: dir.file("report.jsonl"), replaceExisting: true)
        try stream.write(Array("{}\n".utf8))
        let other = try AtomicFileStream(path: dir.file("report.jsonl.bak"), replaceExisting: true)
        let names = try dir.contents()
        #expect(names.map { AtomicFile.finalName(ofTemporary: $0) }.sorted { ($0 ?? "") < ($1 ?? "") } == ["report.jsonl", "report.jsonl.bak"])
        for notOurs in ["report.jsonl", ".report.jsonl.partial", ".x.abc.partial", "..ABCDEF.partial", ".a.wav.ABCDEF.tmp"] {
            #expect(AtomicFile.finalName(ofTemporary: notOurs) == nil, "\(notOurs)")
        }
        // A crash leaves the temporary behind: simulate it by copying one.
        let stray = try #require(names.first { AtomicFile.finalName(ofTemporary: $0) == "report.jsonl" })
        try FileManager.default.copyItem(atPath: dir.file(stray), toPath: dir.file(".report.jsonl.zzzzzz.partial"))
        AtomicFile.removeTemporaries(of: dir.file("report.jsonl"))
        // The copy, whose writer is gone, goes; the live writers' temporaries stay.
        #expect(try dir.contents().sorted() == names.sorted())
        try other.commit()
        _ = consume stream
    }

    @Test func aWriterDroppedWithoutCommitLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        do {
            var writer = try SoundFileWriter(path: dir.file("abandoned.flac"), format: .flac16, sampleRate: 44_100, channelCount: 1)
            try writer.write(AudioBuffer(sampleRate: 44_100, channels: [[Float](repeating: 0.1, count: 10_000)]))
        }
        #expect(try dir.contents().isEmpty)
    }

    @Test func anExistingFileIsNeverReplacedUnlessAsked() throws {
        let dir = try TemporaryDirectory()
        let path = try put(Data("precious input".utf8), "input.wav", in: dir)

        let refused = audioError {
            _ = try SoundFileWriter(path: path, format: .wav16, sampleRate: 44_100, channelCount: 1)
        }
        #expect(refused?.kind == .writeFailed && refused?.detail.contains("already exists") == true)

        // Also when the file appears while the writer is busy: link(2) refuses at commit.
        let racing = audioError {
            var writer = try SoundFileWriter(path: dir.file("late.wav"), format: .wav16, sampleRate: 44_100, channelCount: 1)
            try writer.write(AudioBuffer(sampleRate: 44_100, channels: [[0.1, 0.2]]))
            try? Data("arrived first".utf8).write(to: URL(fileURLWithPath: dir.file("late.wav")))
            try writer.commit()
        }
        #expect(racing?.kind == .writeFailed)
        #expect(try String(contentsOfFile: dir.file("late.wav"), encoding: .utf8) == "arrived first")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious input")
        #expect(try dir.contents() == ["input.wav", "late.wav"])

        var writer = try SoundFileWriter(path: path, format: .wav16, sampleRate: 44_100, channelCount: 1, replaceExisting: true)
        try writer.write(AudioBuffer(sampleRate: 44_100, channels: [[0.1, 0.2, 0.3]]))
        try writer.commit()
        #expect(try SoundFile(path: path).info.frameCount == 3)
    }

    @Test func aMissingOutputFolderIsAClearError() throws {
        let error = audioError {
            _ = try SoundFileWriter(path: "/nonexistent-\(UUID())/x.wav", format: .wav16, sampleRate: 44_100, channelCount: 2)
        }
        #expect(error?.kind == .writeFailed)
        #expect(error?.detail.contains("cannot create a file in /nonexistent-") == true, "\(String(describing: error))")
    }

    // MARK: Cue markers and verification before commit

    /// Cue positions read back by libsndfile and by parsing the RIFF chunk here.
    @Test func cueMarkersAtFramePositions() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("cues.wav")
        let cues = [0, 44_100 * 2, 44_100 * 3 + 17]
        var writer = try SoundFileWriter(path: path, format: .wav24, sampleRate: 44_100, channelCount: 2, cuePoints: cues)
        try writer.write(TestSignals.sine(frequency: 440, seconds: 4, sampleRate: 44_100))
        try writer.commit()
        #expect(try SoundFile(path: path).info.cuePoints == cues)
        #expect(try Self.cueChunkOffsets(Data(contentsOf: URL(fileURLWithPath: path))) == cues)
    }

    /// The `cue ` chunk by EBU/Microsoft RIFF layout: count, then 24-byte points
    /// whose last field is the sample offset.
    static func cueChunkOffsets(_ data: Data) -> [Int]? {
        func u32(_ at: Int) -> Int { Int(data[at]) | Int(data[at + 1]) << 8 | Int(data[at + 2]) << 16 | Int(data[at + 3]) << 24 }
        var at = 12
        while at + 8 <= data.count {
            let id = String(decoding: data[at ..< at + 4], as: UTF8.self), size = u32(at + 4)
            if id == "cue " {
                return (0..<u32(at + 8)).map { u32(at + 12 + $0 * 24 + 20) }
            }
            at += 8 + size + (size & 1)
        }
        return nil
    }

    @Test func cueMarkersOnlyInWAV() {
        let dir = try? TemporaryDirectory()
        #expect(throws: AudioIOError.self) {
            _ = try SoundFileWriter(path: dir!.file("x.flac"), format: .flac16, sampleRate: 44_100, channelCount: 1, cuePoints: [10])
        }
    }

    @Test func aClosedFileCanBeReadBeforeItIsCommitted() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("verified.flac")
        var writer = try SoundFileWriter(path: path, format: .flac16, sampleRate: 48_000, channelCount: 1)
        try writer.write(TestSignals.sine(frequency: 1000, seconds: 1, channels: 1))
        let finished = try writer.close()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try SoundFile(path: finished.temporaryPath).info.frameCount == 48_000)
        try finished.commit()
        #expect(try dir.contents() == ["verified.flac"])
        do {
            var rejected = try SoundFileWriter(path: dir.file("rejected.wav"), format: .wav16, sampleRate: 48_000, channelCount: 1)
            try rejected.write(TestSignals.sine(frequency: 1000, seconds: 1, channels: 1))
            _ = try rejected.close()   // verified and found wanting: dropped, never committed
        }
        #expect(try dir.contents() == ["verified.flac"])
    }
}
