import AudioIO
import Foundation
import Testing
import TrackGate
import TrackGateTestSupport

/// Lossy deliveries of real music pushed hot (-9 LUFS under -1 dBTP, where
/// limiting is heavy and MP3/Opus overshoot the ceiling by a dB or more):
/// the decoded file, as a player hears it, is on target and under the
/// ceiling by libebur128 (4x oversampled true peak) and by ffmpeg's
/// `ebur128=peak=true`, and its gain tags say what it measures.
@Suite struct LossyDeliveryTests {
    static let music = "/usr/share/games/etr/music/race1-jt.ogg"

    struct Case: Sendable, CustomStringConvertible {
        var format: OutputFormat
        var peak: PeakHandling = .limit
        var description: String { "\(format) \(format.bitrateKbps.map { "\($0) kbit/s" } ?? "") \(peak.rawValue)" }
    }

    static let cases: [Case] = [
        Case(format: try! OutputFormat(lossy: .mp3, bitrateKbps: 128)),
        Case(format: try! OutputFormat(lossy: .mp3, bitrateKbps: 320)),
        Case(format: try! OutputFormat(lossy: .opus, bitrateKbps: 96)),
        Case(format: try! OutputFormat(lossy: .mp3, bitrateKbps: 128), peak: .cap),
        Case(format: .flac16),
    ]

    /// 30 s of the recording from 20 s in, as a 44.1 kHz WAV, with a request for it.
    static func excerpt(in dir: TemporaryDirectory) throws -> (audio: String, request: String) {
        let whole = try SoundFile.readAll(path: music)
        let start = 20 * whole.sampleRate, count = 30 * whole.sampleRate
        let audio = dir.file("race.wav"), request = dir.file("race.request.json")
        var writer = try SoundFileWriter(path: audio, format: .wavFloat, sampleRate: whole.sampleRate, channelCount: whole.channels.count)
        try writer.write(AudioBuffer(sampleRate: whole.sampleRate, channels: whole.channels.map { Array($0[start ..< start + count]) }))
        try writer.commit()
        try Data(#"{"type": "bgm", "description": "Race music", "duration": 30}"#.utf8).write(to: URL(fileURLWithPath: request))
        return (audio, request)
    }

    @Test(arguments: cases)
    func decodedDeliveryIsOnTargetAndUnderTheCeiling(_ c: Case) throws {
        guard FileManager.default.fileExists(atPath: Self.music) else {
            Issue.record("extremetuxracer-data is not installed (scripts/setup.sh installs it)")
            return
        }
        let dir = try TemporaryDirectory()
        let (audio, request) = try Self.excerpt(in: dir)
        var settings = FinishSettings()
        settings.format = c.format
        settings.targetLUFS = -9
        settings.ceilingDBTP = -1
        settings.peakHandling = c.peak
        let report = TrackProcessor(finisher: Finisher(settings: settings), force: true)
            .process(audioPath: audio, requestPath: request, outputDirectory: dir.file("out"))
        let output = try #require(report.output)
        let written = try #require(output.audio, "\(c): not written: \(output.notWritten ?? "") \(report.checks.filter { $0.status != .pass })")
        #expect(output.verified)
        #expect(written.hasSuffix(".\(c.format.container.fileExtension)"))

        let goal = -9 - (output.shortfallLU ?? 0)
        let reference = try DeliveryOnTargetTests.libebur128(written)
        #expect(abs(reference.integrated - goal) <= 0.1, "\(c): libebur128 reads \(reference.integrated) LUFS")
        #expect(reference.truePeak <= -1.0, "\(c): libebur128 reads \(reference.truePeak) dBTP")
        let ffmpeg = try #require(try ExternalTool.ffmpegLoudness(written))
        #expect(abs(ffmpeg.integrated - goal) <= 0.15, "\(c): ffmpeg reads \(ffmpeg.integrated) LUFS")   // printed to 0.1
        #expect(ffmpeg.truePeak <= -1.0, "\(c): ffmpeg reads \(ffmpeg.truePeak) dBTP")
        if c.format.isLossy {
            #expect((output.encodedHeadroomDB ?? -1) >= 0)
        } else {
            #expect(output.encodedHeadroomDB == nil)
        }

        // The gain tags are the delivery's own measurement, as players read them.
        let loudness = try #require(output.loudness)
        let measuredI = try #require(loudness.integratedLUFS), measuredTP = try #require(loudness.truePeakDBTP)
        let tags = try ExternalTool.ffprobeTags(written)
        if c.format.container == .opus {
            #expect(tags["r128_track_gain"] == String(Int(((-23 - measuredI) * 256).rounded())), "\(tags)")
            #expect(tags["replaygain_track_gain"] == nil)
        } else {
            #expect(tags["replaygain_track_gain"] == String(format: "%.2f dB", -18 - measuredI), "\(tags)")
            #expect(tags["replaygain_track_peak"] == String(format: "%.6f", pow(10, measuredTP / 20)), "\(tags)")
        }
        #expect(output.gainTags?.isEmpty == false)
        #expect(tags["comment"]?.contains(String(format: "integrated %.1f LUFS", measuredI)) == true, "\(tags)")
    }
}
