import AudioCore
import AudioIO
import Foundation
import Testing
import TrackGate
import TrackGateTestSupport

@Suite struct ChannelWeightingTests {
    @Test func weightsFromTheFilesChannelMap() {
        #expect(ChannelWeighting.weights(layout: [.left, .right, .center, .lfe, .rearLeft, .rearRight], channelCount: 6)
                == [1, 1, 1, 0, 1.41, 1.41])
        #expect(ChannelWeighting.weights(layout: [.left, .right, .center, .lfe, .sideLeft, .sideRight], channelCount: 6)
                == [1, 1, 1, 0, 1.41, 1.41])
        #expect(ChannelWeighting.weights(layout: [.mono], channelCount: 1) == [1])
    }

    @Test func weightsFromTheChannelCountWithoutAMap() {
        #expect(ChannelWeighting.weights(layout: nil, channelCount: 2) == [1, 1])
        #expect(ChannelWeighting.weights(layout: nil, channelCount: 5) == [1, 1, 1, 1.41, 1.41])
        #expect(ChannelWeighting.weights(layout: nil, channelCount: 6) == [1, 1, 1, 0, 1.41, 1.41])
        // A map of the wrong length is ignored rather than trusted.
        #expect(ChannelWeighting.weights(layout: [.left], channelCount: 2) == [1, 1])
    }
}

@Suite struct LoudnessReportTests {
    func write(_ channels: [[Float]], rate: Int, format: OutputFormat, in dir: TemporaryDirectory, name: String) throws -> String {
        let path = dir.file(name)
        var writer = try SoundFileWriter(path: path, format: format, sampleRate: rate, channelCount: channels.count)
        try writer.write(AudioBuffer(sampleRate: rate, channels: channels))
        try writer.commit()
        return path
    }

    /// Through decoding: the Tech 3341 case 1 tone reads -23 in every format.
    @Test(arguments: [OutputFormat.wav16, .wav24, .wavFloat, .flac16, .flac24])
    func aTechToneThroughEveryFormat(_ format: OutputFormat) throws {
        let dir = try TemporaryDirectory()
        let tone = EBUTestSignals.sequence([.init(-23, 12)], sampleRate: 48_000)
        let path = try write(tone, rate: 48_000, format: format, in: dir, name: "tone.\(format.container.fileExtension)")
        let r = LoudnessReport.measure(path: path)
        #expect(abs(r.integratedLUFS! - -23) < 0.1 && abs(r.maxShortTermLUFS! - -23) < 0.1)
        #expect(abs(r.truePeakDBTP! - -23) < 0.1 && abs(r.samplePeakDBFS! - -23) < 0.1)
        #expect(r.loudnessRangeLU! < 0.1)
        #expect(r.channelWeights == [1, 1])
    }

    /// An ffmpeg-made 5.1 WAV carries its channel map; sound only on the LFE
    /// channel is not loudness (BS.1770-4 leaves LFE out).
    @Test func lfeIsLeftOutUsingTheFilesMap() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("lfe.wav")
        let result = try ExternalTool.run("ffmpeg", ["-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=60:duration=5",
                                                     "-af", "pan=5.1|c3=c0", "-c:a", "pcm_s16le", path])
        #expect(result.status == 0, "\(result.stderr)")
        let r = LoudnessReport.measure(path: path)
        #expect(r.channelWeights == [1, 1, 1, 0, 1.41, 1.41])
        #expect(r.integratedLUFS == nil)
        #expect(r.unavailable["integrated_lufs"]?.hasPrefix("silent") == true)
        #expect(r.truePeakDBTP != nil)   // the peak is still there
    }

    @Test func silenceIsNullInJSON() throws {
        let dir = try TemporaryDirectory()
        let path = try write([[Float](repeating: 0, count: 96_000)], rate: 48_000, format: .wav16, in: dir, name: "silent.wav")
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(LoudnessReport.measure(path: path))) as! [String: Any]
        for key in ["integrated_lufs", "loudness_range_lu", "max_momentary_lufs", "max_short_term_lufs",
                    "sample_peak_dbfs", "true_peak_dbtp"] {
            #expect(json[key] is NSNull, "\(key) should be null, is \(String(describing: json[key]))")
        }
        let reasons = json["unavailable"] as? [String: String]
        #expect(reasons?["integrated_lufs"] == "silent: no 400 ms block above -70 LUFS")
        #expect(reasons?["true_peak_dbtp"] == "digital silence")
    }

    @Test func anUnreadableFileIsAnErrorReport() {
        let r = LoudnessReport.measure(path: "/nonexistent/x.wav")
        #expect(r.exitStatus == .unreadable && r.error == "no such file")
    }
}
