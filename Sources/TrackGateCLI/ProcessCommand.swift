import ArgumentParser
import AudioIO
import Foundation
import TrackGate

extension PeakHandling: ExpressibleByArgument {}
extension ResamplerEngine: ExpressibleByArgument {}
extension ResampleQuality: ExpressibleByArgument {}
extension OutputFormat.Container: ExpressibleByArgument {}
extension OutputFormat.SampleFormat: ExpressibleByArgument {}

/// The finishing options `process` and `batch` share.
struct FinishOptions: ParsableArguments {
    // Loudness targets and ceilings are negative: `.unconditional` takes the next
    // word as the value even when it starts with '-' (`--target-lufs -16`).
    @Option(parsing: .unconditional, help: ArgumentHelp("Integrated loudness to normalise to, LUFS (e.g. --target-lufs -16).",
                                                          valueName: "lufs"))
    var targetLufs: Double = -14

    @Option(name: .customLong("true-peak-dbtp"), parsing: .unconditional,
            help: ArgumentHelp("Highest true peak of the output, dBTP (e.g. --true-peak-dbtp -2).", valueName: "dbtp"))
    var truePeakDBTP: Double = -1

    @Option(help: ArgumentHelp(
        "When the gain would cross the ceiling: 'limit' applies it and a true-peak limiter takes only the peaks down; 'cap' lowers the gain instead and reports the shortfall.",
        valueName: "limit|cap"))
    var peak: PeakHandling = .limit

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Delivery sample rate, Hz (default: keep the source rate; nothing is resampled).", valueName: "hz"))
    var sampleRate: Int?

    @Option(help: ArgumentHelp("Output container.", valueName: "wav|flac"))
    var format: OutputFormat.Container = .wav

    @Option(help: ArgumentHelp("Output samples: 16 or 24-bit integer (TPDF dithered) or 32-bit float.", valueName: "16|24|32f"))
    var bitDepth: OutputFormat.SampleFormat = .pcm24

    @Option(help: ArgumentHelp("Resampling library, used only when --sample-rate differs from the source.", valueName: "libsamplerate|soxr"))
    var resampler: ResamplerEngine = .libsamplerate

    @Option(help: ArgumentHelp("Resampler preset (measured figures in the README).", valueName: "best|medium|fast"))
    var resampleQuality: ResampleQuality = .medium

    @Flag(help: "Round to 16 or 24 bits without dither (not recommended: low-level detail turns into distortion).")
    var noDither = false

    func validate() throws {
        guard (-70 ... -1).contains(targetLufs) else {
            throw ValidationError("--target-lufs \(targetLufs) is outside -70 to -1 LUFS")
        }
        guard (-20...0).contains(truePeakDBTP) else {
            throw ValidationError("--true-peak-dbtp \(truePeakDBTP) is outside -20 to 0 dBTP")
        }
        if let sampleRate, !(8_000...384_000).contains(sampleRate) {
            throw ValidationError("--sample-rate \(sampleRate) is outside 8000 to 384000 Hz")
        }
        if format == .flac && bitDepth == .float32 {
            throw ValidationError("FLAC stores integer samples only: use --bit-depth 16 or 24, or --format wav")
        }
        try checkSourceDateEpoch()
    }

    var settings: FinishSettings {
        var s = FinishSettings()
        s.targetLUFS = targetLufs
        s.ceilingDBTP = truePeakDBTP
        s.peakHandling = peak
        s.sampleRate = sampleRate
        s.format = (try? OutputFormat(format, bitDepth)) ?? .wav24
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
        Runs the checks of `check`, then writes OUT/NAME.wav (or .flac), OUT/NAME.json, \
        the report with the request, the task answer and every measurement, and OUT/NAME.svg, \
        the track's picture (unless --no-plots). NAME is the audio file's name without its extension.

        The chain: one static gain to --target-lufs; the resampler, when --sample-rate \
        differs from the source; a look-ahead true-peak limiter under --true-peak-dbtp \
        (with --peak limit; it touches only the peaks, and the gain makes up what it \
        takes); TPDF dither to 16 or 24 bits. The written file is then read back and \
        measured: it must come within 0.1 LU of the target (unless capped) and stay \
        under the ceiling, or the track fails and the file is not kept.

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
        processor.removeAbandonedTemporaries(id: TrackID.of(audioPath: track.audio), directory: out)
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
