import ArgumentParser
import AudioIO
import Foundation
import TrackGate

extension PeakHandling: ExpressibleByArgument {}
extension ResamplerEngine: ExpressibleByArgument {}
extension ResampleQuality: ExpressibleByArgument {}
extension OutputFormat.Container: ExpressibleByArgument {}
extension OutputFormat.SampleFormat: ExpressibleByArgument {}

extension GainTagStyle: ExpressibleByArgument {}
extension DeliveryPreset: ExpressibleByArgument {}

/// The finishing options `process` and `batch` share.
struct FinishOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A platform's target and ceiling (the README cites each); --target-lufs and --true-peak-dbtp override it.",
        valueName: DeliveryPreset.allCases.map(\.rawValue).joined(separator: "|")))
    var preset: DeliveryPreset?

    // Loudness targets and ceilings are negative: `.unconditional` takes the next
    // word as the value even when it starts with '-' (`--target-lufs -16`).
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Integrated loudness to normalise to, LUFS (default -14, or the preset's; e.g. --target-lufs -16).", valueName: "lufs"))
    var targetLufs: Double?

    @Option(name: .customLong("true-peak-dbtp"), parsing: .unconditional, help: ArgumentHelp(
        "Highest true peak of the output, dBTP (default -1, or the preset's; e.g. --true-peak-dbtp -2). For MP3 and Opus it "
            + "holds for the decoded file.", valueName: "dbtp"))
    var truePeakDBTP: Double?

    @Option(help: ArgumentHelp(
        "When the gain would cross the ceiling: 'limit' applies it and a true-peak limiter takes only the peaks down; 'cap' lowers the gain instead and reports the shortfall.",
        valueName: "limit|cap"))
    var peak: PeakHandling = .limit

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Delivery sample rate, Hz (default: keep the source rate, nothing is resampled; Opus and MP3 from a rate they cannot "
            + "store get 48000).", valueName: "hz"))
    var sampleRate: Int?

    @Option(help: ArgumentHelp("Output format: PCM in WAV or FLAC, or lossy MP3 or Opus (verified after decoding).",
                               valueName: "wav|flac|mp3|opus"))
    var format: OutputFormat.Container?

    @Option(help: ArgumentHelp("WAV and FLAC samples: 16 or 24-bit integer (TPDF dithered) or 32-bit float (default 24).",
                               valueName: "16|24|32f"))
    var bitDepth: OutputFormat.SampleFormat?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "MP3 and Opus bit rate, kbit/s for all channels (default: MP3 320 CBR; Opus 64 per channel, VBR).", valueName: "kbit"))
    var bitrate: Int?

    @Option(help: ArgumentHelp(
        "Player gain tags measured on the delivery: ReplayGain 2.0 (FLAC, MP3; the default there), R128 (Opus; the default "
            + "there), or none (the default for WAV).", valueName: "replaygain|r128|none"))
    var gainTags: GainTagStyle?

    @Option(help: ArgumentHelp("Resampling library, used only when --sample-rate differs from the source.", valueName: "libsamplerate|soxr"))
    var resampler: ResamplerEngine = .libsamplerate

    @Option(help: ArgumentHelp("Resampler preset (measured figures in the README).", valueName: "best|medium|fast"))
    var resampleQuality: ResampleQuality = .medium

    @Flag(help: "Round to 16 or 24 bits without dither (not recommended: low-level detail turns into distortion).")
    var noDither = false

    @Flag(help: ArgumentHelp(
        "Copy each FLAC, Ogg or MP3 source unchanged with gain tags of its own measurement (--gain-tags); no audio is "
            + "changed, so the target and ceiling only draw the picture. The copy keeps the source's extension."))
    var tagsOnly = false

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Copy a source unchanged (gain tags set) when its loudness is within this many LU of the target, its true peak is "
            + "under the ceiling and it is already in the delivery format, rate and bit depth.", valueName: "lu"))
    var skipIfWithin: Double?

    func validate() throws {
        let s = settings
        // As typed: `settings` falls back to WAV for a combination that cannot be made (FLAC with float samples).
        let format = self.format ?? .wav
        if tagsOnly {
            let changing = [(self.format != nil, "--format"), (bitDepth != nil, "--bit-depth"), (bitrate != nil, "--bitrate"),
                            (sampleRate != nil, "--sample-rate"), (skipIfWithin != nil, "--skip-if-within")]
            if let (_, option) = changing.first(where: { $0.0 }) {
                throw ValidationError("--tags-only keeps the source's audio and format: \(option) does not apply")
            }
        }
        if let skipIfWithin, !(0...10).contains(skipIfWithin) {
            throw ValidationError("--skip-if-within \(skipIfWithin) is outside 0 to 10 LU")
        }
        guard (-70 ... -1).contains(s.targetLUFS) else {
            throw ValidationError("--target-lufs \(s.targetLUFS) is outside -70 to -1 LUFS")
        }
        guard (-20...0).contains(s.ceilingDBTP) else {
            throw ValidationError("--true-peak-dbtp \(s.ceilingDBTP) is outside -20 to 0 dBTP")
        }
        if let sampleRate, !(8_000...384_000).contains(sampleRate) {
            throw ValidationError("--sample-rate \(sampleRate) is outside 8000 to 384000 Hz")
        }
        if format.isLossy {
            if bitDepth != nil {
                throw ValidationError("--bit-depth is for wav and flac: \(format.rawValue) is lossy, set its --bitrate instead")
            }
            if let sampleRate, let rates = format.sampleRates, !rates.contains(sampleRate) {
                throw ValidationError("--format \(format.rawValue) stores \(rates.map(String.init).joined(separator: ", ")) Hz, "
                                      + "not --sample-rate \(sampleRate)")
            }
            if let bitrate {
                // The channel count is the file's; a bit rate no file could take is a usage error now.
                let mpeg1 = OutputFormat.mp3Bitrates(sampleRate: 48_000), opus = OutputFormat.opusBitratePerChannel
                let possible = format == .mp3 ? Set(mpeg1 + OutputFormat.mp3Bitrates(sampleRate: 22_050)).contains(bitrate)
                    : (opus.lowerBound ... opus.upperBound * format.maximumChannels).contains(bitrate)
                if !possible {
                    throw ValidationError(format == .mp3
                        ? "--bitrate \(bitrate) is not an MP3 bit rate (\(mpeg1.map(String.init).joined(separator: ", ")) kbit/s at 32-48 kHz)"
                        : "--bitrate \(bitrate) is outside Opus's \(opus.lowerBound) to \(opus.upperBound) kbit/s per channel")
                }
            }
        } else {
            if bitrate != nil {
                throw ValidationError("--bitrate is for mp3 and opus: \(format.rawValue) is lossless, set its --bit-depth instead")
            }
            if format == .flac && bitDepth == .float32 {
                throw ValidationError("FLAC stores integer samples only: use --bit-depth 16 or 24, or --format wav")
            }
        }
        if !tagsOnly, let problem = s.gainTagStyle.problem(in: format) { throw ValidationError(problem) }
        try checkSourceDateEpoch()
    }

    var settings: FinishSettings {
        var s = FinishSettings()
        s.targetLUFS = targetLufs ?? preset?.targetLUFS ?? s.targetLUFS
        s.ceilingDBTP = truePeakDBTP ?? preset?.ceilingDBTP ?? s.ceilingDBTP
        s.peakHandling = peak
        s.sampleRate = sampleRate
        let format = self.format ?? .wav
        s.format = format.isLossy ? ((try? OutputFormat(lossy: format, bitrateKbps: bitrate)) ?? .mp3)
            : ((try? OutputFormat(format, bitDepth ?? .pcm24)) ?? .wav24)
        s.tagsOnly = tagsOnly
        s.skipIfWithinLU = skipIfWithin
        s.gainTags = gainTags
        s.resampler = resampler
        s.resampleQuality = resampleQuality
        s.dither = !noDither
        return s
    }
}

struct ProcessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Gate a track, then normalise, resample and write it with tags and a report.",
        discussion: """
        Runs the checks of `check`, then writes OUT/NAME.wav (or .flac, .mp3, .opus), OUT/NAME.json, \
        the report with the request, the task answer and every measurement, and OUT/NAME.svg, \
        the track's picture (unless --no-plots). NAME is the audio file's name without its extension.

        The chain: one static gain to --target-lufs; the resampler, when --sample-rate \
        differs from the source; a look-ahead true-peak limiter under --true-peak-dbtp \
        (with --peak limit; it touches only the peaks, and the gain makes up what it \
        takes); TPDF dither to 16 or 24 bits. The written file is then read back and \
        measured: it must come within 0.1 LU of the target (unless capped) and stay \
        under the ceiling, or the track fails and the file is not kept. MP3 and Opus are \
        decoded for that measurement, and encoded again with more headroom while a decoded \
        peak is over the ceiling.

        A track the gate fails is not written unless --force; one that cannot be read \
        never is. Existing outputs are kept unless --overwrite; the input is never replaced.

        Examples:
          trackgate process song.wav --request song.request.json --out delivery/
          trackgate process song.wav --request song.request.json --out delivery/ \\
              --target-lufs -16 --true-peak-dbtp -2
          trackgate process bgm.wav --request bgm.json --out out/ --sample-rate 48000 \\
              --resampler soxr --format flac --bit-depth 16
        """
    )

    @OptionGroup var track: TrackInputOptions

    @Option(help: ArgumentHelp("Folder for the delivery file and its report (created if missing).", valueName: "dir"))
    var out: String

    @OptionGroup(title: "Finishing") var finishing: FinishOptions

    @OptionGroup var gateOptions: GateOptions

    @Flag(help: "Write the track even when the gate or the verification fails it.")
    var force = false

    @Flag(help: "Replace existing output files.")
    var overwrite = false

    @OptionGroup var plotOptions: PlotOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        let processor = TrackProcessor(gate: try gateOptions.gate(),
                                       finisher: Finisher(settings: finishing.settings),
                                       force: force, overwrite: overwrite, plots: !plotOptions.noPlots)
        // What a killed run left goes first, whatever follows; then outputs that exist
        // (without --overwrite) or would replace the input are a usage problem.
        processor.removeAbandonedTemporaries(id: TrackID.of(audioPath: track.audio), directory: out, audioPath: track.audio)
        if let problem = processor.outputProblem(audioPath: track.audio, id: TrackID.of(audioPath: track.audio), directory: out) {
            printError(problem)
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let report = processor.process(audioPath: track.audio, requestPath: track.request, taskPath: track.task,
                                       outputDirectory: out, clip: track.clip)
        try output.show(report)
    }
}

/// A malformed `SOURCE_DATE_EPOCH` is a usage error before any work, as the
/// specification asks, not a silent fall back to the current time.
func checkSourceDateEpoch() throws {
    do { _ = try SourceDateEpoch.date() } catch { throw ValidationError(error.description) }
}
