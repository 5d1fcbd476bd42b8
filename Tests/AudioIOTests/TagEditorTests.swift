import AudioIO
import Foundation
import Testing
import TrackGateTestSupport

/// Tags set after the audio is written: read back by ffprobe (an independent
/// reader), every other tag kept, the audio bytes decoding exactly as before,
/// and a second edit replacing the first rather than adding to it.
@Suite struct TagEditorTests {
    static let gain = [TagField("REPLAYGAIN_TRACK_GAIN", "-4.52 dB"), TagField("REPLAYGAIN_TRACK_PEAK", "0.891251")]

    /// A file made by `make` in `dir`, its decoded samples, then the same after `fields` are set.
    static func edit(_ path: String, _ fields: [TagField]) throws -> (before: AudioBuffer, after: AudioBuffer) {
        let before = try SoundFile.readAll(path: path)
        try TagEditor.set(fields, path: path)
        let after = try SoundFile.readAll(path: path)
        return (before, after)
    }

    static func writeTagged(_ format: OutputFormat, _ path: String) throws {
        var writer = try SoundFileWriter(path: path, format: format, sampleRate: 48_000, channelCount: 2,
                                         tags: AudioTags(title: "Battle loop", genre: "video game", comment: "placeholder"))
        try writer.write(TestSignals.pinkNoise(peak: 0.4, seconds: 2, sampleRate: 48_000, channels: 2, seed: 9))
        try writer.commit()
    }

    @Test(arguments: [OutputFormat.flac24, .mp3, .opus])
    func setsFieldsAndKeepsAudioAndOtherTags(_ format: OutputFormat) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("t.\(format.container.fileExtension)")
        try Self.writeTagged(format, path)
        let (before, after) = try Self.edit(path, Self.gain + [TagField("COMMENT", "final words")])
        #expect(before.channels == after.channels, "\(format): the audio changed")
        var tags = try ExternalTool.ffprobeTags(path)
        #expect(tags["replaygain_track_gain"] == "-4.52 dB" && tags["replaygain_track_peak"] == "0.891251", "\(format): \(tags)")
        #expect(tags["title"] == "Battle loop" && tags["genre"] == "video game" && tags["comment"] == "final words", "\(tags)")
        #expect(try TagEditor.value("replaygain_track_gain", path: path) == "-4.52 dB")

        // Again, with other values: replaced, not duplicated; an empty value removes.
        try TagEditor.set([TagField("REPLAYGAIN_TRACK_GAIN", "-1.00 dB"), TagField("REPLAYGAIN_TRACK_PEAK", "")], path: path)
        tags = try ExternalTool.ffprobeTags(path)
        #expect(tags["replaygain_track_gain"] == "-1.00 dB" && tags["replaygain_track_peak"] == nil, "\(tags)")
        #expect(try SoundFile.readAll(path: path).channels == before.channels)
    }

    /// A comment header that outgrows its page: the header pages are laid out
    /// again and every later page renumbered with a new CRC (libogg, under
    /// libsndfile, and ffmpeg drop pages whose CRC or sequence is wrong).
    @Test func oggCommentSpanningPagesRenumbersTheRest() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("t.opus")
        try Self.writeTagged(.opus, path)
        let frames = try #require(try ExternalTool.ffmpegDecodedFrames(path, channels: 2))
        let long = String(repeating: "lyrics line, ", count: 12_000)   // 156 KB: three pages of 64 KB
        let (before, after) = try Self.edit(path, [TagField("LYRICS", long)])
        #expect(before.channels == after.channels)
        #expect(try ExternalTool.ffmpegDecodedFrames(path, channels: 2) == frames)
        let check = try ExternalTool.run("ffmpeg", ["-v", "error", "-i", path, "-f", "null", "-"])
        #expect(check.stderr.isEmpty, "\(check.stderr)")
        #expect(try TagEditor.value("LYRICS", path: path) == long)
        // And back to one page.
        try TagEditor.set([TagField("LYRICS", "")], path: path)
        #expect(try SoundFile.readAll(path: path).channels == before.channels)
        #expect(try ExternalTool.ffmpegDecodedFrames(path, channels: 2) == frames)
    }

    /// Files made by another encoder: Ogg Vorbis (its comment shares pages with
    /// the setup header) and MP3 with an ID3v2.3 tag, which stays v2.3.
    @Test func filesFromFFmpeg() throws {
        let dir = try TemporaryDirectory()
        let wav = dir.file("s.wav")
        var writer = try SoundFileWriter(path: wav, format: .wav16, sampleRate: 44_100, channelCount: 2)
        try writer.write(TestSignals.pinkNoise(peak: 0.4, seconds: 2, seed: 4))
        try writer.commit()
        let ogg = dir.file("v.ogg"), mp3 = dir.file("v.mp3")
        for (out, codec) in [(ogg, ["-c:a", "libvorbis"]), (mp3, ["-c:a", "libmp3lame", "-id3v2_version", "3"])] {
            let made = try ExternalTool.run("ffmpeg", ["-v", "error", "-y", "-i", wav] + codec + ["-metadata", "artist=Someone", out])
            try #require(made.status == 0, "\(made.stderr)")
        }
        for path in [ogg, mp3] {
            let (before, after) = try Self.edit(path, Self.gain)
            #expect(before.channels == after.channels, "\(path)")
            let tags = try ExternalTool.ffprobeTags(path)
            #expect(tags["artist"] == "Someone" && tags["replaygain_track_gain"] == "-4.52 dB", "\(path): \(tags)")
        }
        let head = try #require(FileHandle(forReadingAtPath: mp3)?.readData(ofLength: 4))
        #expect(Array(head) == Array("ID3".utf8) + [3], "the ID3v2.3 tag became another version")
    }

    @Test func refusesWAV() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("t.wav")
        try Self.writeTagged(.wav24, path)
        #expect(throws: AudioIOError.self) { try TagEditor.set(Self.gain, path: path) }
    }
}
