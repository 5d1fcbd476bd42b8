import AudioIO
import CEBUR128
import Foundation
import Testing
import TrackGate
import TrackGateTestSupport

/// Every delivery lands within 0.02 LU of its target, whatever stage follows the
/// gain: both resamplers at every quality, both peak modes, every format and bit
/// depth, and rates up and down. The reference is libebur128 reading the
/// written file. The source is pink noise at 44.1 kHz: broadband, so a
/// resampler's roll-off takes a measurable part of its loudness (0.12 LU with
/// libsamplerate to 48 kHz, about 0.9 LU to 22.05 kHz).
@Suite struct DeliveryOnTargetTests {
    static let precision = 0.02

    struct Case: Sendable, CustomStringConvertible {
        var rate: Int? = 48_000
        var engine: ResamplerEngine = .libsamplerate
        var quality: ResampleQuality = .medium
        var peak: PeakHandling = .limit
        var format: OutputFormat = .wav24
        /// -10 LUFS needs limiting (or capping) on this noise; -16 does not.
        var target: Double = -16
        var description: String {
            "\(rate.map(String.init) ?? "source rate") \(engine.rawValue) \(quality.rawValue) \(peak.rawValue) "
                + "\(format.container.rawValue) \(format.sampleFormat.rawValue) \(target) LUFS"
        }
    }

    static let cases: [Case] = {
        var cases: [Case] = []
        for engine in ResamplerEngine.allCases {
            for quality in ResampleQuality.allCases {
                for peak in PeakHandling.allCases {
                    for target in [-16.0, -10] { cases.append(Case(engine: engine, quality: quality, peak: peak, target: target)) }
                }
            }
        }
        for format in [OutputFormat.wav16, .wavFloat, .flac16, .flac24] {
            cases.append(Case(format: format))
            cases.append(Case(peak: .cap, format: format, target: -10))
        }
        for rate in [22_050, 96_000, nil] {
            cases.append(Case(rate: rate))
            cases.append(Case(rate: rate, peak: .cap, target: -10))
        }
        return cases
    }()

    /// libebur128's integrated loudness and largest true peak of a file.
    static func libebur128(_ path: String) throws -> (integrated: Double, truePeak: Double) {
        let audio = try SoundFile.readAll(path: path)
        let count = audio.channels.count, frames = audio.frameCount
        let modes = EBUR128_MODE_I.rawValue | EBUR128_MODE_TRUE_PEAK.rawValue
        var state = ebur128_init(UInt32(count), UInt(audio.sampleRate), Int32(modes))
        defer { ebur128_destroy(&state) }
        var interleaved = [Float](repeating: 0, count: frames * count)
        for c in 0..<count { for i in 0..<frames { interleaved[i * count + c] = audio.channels[c][i] } }
        ebur128_add_frames_float(state, interleaved, frames)
        var integrated = 0.0, peak = 0.0
        ebur128_loudness_global(state, &integrated)
        for c in 0..<count {
            var p = 0.0
            ebur128_true_peak(state, UInt32(c), &p)
            peak = max(peak, p)
        }
        return (integrated, 20 * log10(peak))
    }

    @Test(arguments: cases)
    func deliveryIsOnTarget(_ c: Case) throws {
        let dir = try TemporaryDirectory()
        let audio = dir.file("pink.wav"), request = dir.file("pink.request.json")
        var writer = try SoundFileWriter(path: audio, format: .wav24, sampleRate: 44_100, channelCount: 2)
        try writer.write(TestSignals.pinkNoise(peak: 0.3, seconds: 8, seed: 11))
        try writer.commit()
        try Data(#"{"type": "bgm", "description": "Pink noise", "duration": 8}"#.utf8).write(to: URL(fileURLWithPath: request))

        var settings = FinishSettings()
        settings.sampleRate = c.rate
        settings.resampler = c.engine
        settings.resampleQuality = c.quality
        settings.peakHandling = c.peak
        settings.format = c.format
        settings.targetLUFS = c.target
        let report = TrackProcessor(finisher: Finisher(settings: settings))
            .process(audioPath: audio, requestPath: request, outputDirectory: dir.file("out"))
        let output = try #require(report.output)
        let written = try #require(output.audio, "\(c): not written: \(output.notWritten ?? "") \(report.checks.filter { $0.status != .pass })")
        #expect(output.verified)
        let measured = try Self.libebur128(written)
        let goal = c.target - (output.shortfallLU ?? 0)
        #expect(abs(measured.integrated - goal) < Self.precision, "\(c): libebur128 reads \(measured.integrated) LUFS for \(goal)")
        #expect(measured.truePeak <= settings.ceilingDBTP + 0.02, "\(c): true peak \(measured.truePeak) dBTP")
        if c.peak == .cap, let shortfall = output.shortfallLU {
            // Capped: as loud as the ceiling allows, measured on the delivery.
            #expect(measured.truePeak > settings.ceilingDBTP - FinishSettings.peakMargin - 0.15, "\(c): \(shortfall) LU short")
        }
    }
}
