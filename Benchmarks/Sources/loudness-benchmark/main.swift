// Loudness throughput against libebur128 and ffmpeg, in one run on the same files.
//
//   swift run -c release --package-path Benchmarks loudness-benchmark [--tracks 8] [--seconds 180] [--repeats 5]
//
// 1. In process, one core: TrackGate's LoudnessMeter and libebur128 (modes I,
//    LRA and TRUE_PEAK) on the same decoded stereo 44.1 kHz buffers; decoding
//    and interleaving are done beforehand and not timed.
// 2. Whole commands, file in and numbers out: `trackgate loudness` against
//    `ffmpeg -af ebur128=peak=true:framelog=verbose`, one process per file for both.
// Runs alternate between the contenders; each figure is the median of the repeats.
import AudioCore
import AudioDSP
import AudioIO
import CEBUR128
import Foundation
import TrackGate
import TrackGateTestSupport

struct Options {
    var tracks = 8
    var seconds = 180.0
    var repeats = 5
    var workdir = FileManager.default.temporaryDirectory.appendingPathComponent("trackgate-bench").path
    var trackgate = ""

    init(_ arguments: [String]) {
        var it = arguments.makeIterator()
        while let a = it.next() {
            switch a {
            case "--tracks": tracks = Int(it.next() ?? "") ?? tracks
            case "--seconds": seconds = Double(it.next() ?? "") ?? seconds
            case "--repeats": repeats = Int(it.next() ?? "") ?? repeats
            case "--workdir": workdir = it.next() ?? workdir
            case "--trackgate": trackgate = it.next() ?? trackgate
            default: fatalError("unknown argument \(a)")
            }
        }
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let rate = 44_100

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

func shell(_ command: String) -> String {
    (try? ExternalTool.run("/bin/sh", ["-c", command]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? "?"
}

// MARK: Material

try FileManager.default.createDirectory(atPath: options.workdir, withIntermediateDirectories: true)
let plan: [(name: String, seconds: Double)] = {
    let unit = options.seconds / 180
    return [("intro", 12), ("verse", 30), ("chorus", 25), ("verse", 30), ("chorus", 25), ("bridge", 15),
            ("chorus", 25), ("outro", 18)].map { ($0.0, $0.1 * unit) }
}()
/// Writes (once) and returns the benchmark files of one kind.
func material(_ kind: String, _ make: (Int) -> AudioBuffer) throws -> [String] {
    try (0..<options.tracks).map { i in
        let path = "\(options.workdir)/\(kind)-\(i)-\(Int(options.seconds))s.wav"
        if !FileManager.default.fileExists(atPath: path) {
            var writer = try SoundFileWriter(path: path, format: .wav16, sampleRate: rate, channelCount: 2)
            try writer.write(make(i))
            try writer.commit()
        }
        return path
    }
}

/// Music-like songs with quiet and loud sections.
let songFiles = try material("song") { MusicSynth(sampleRate: rate, seed: UInt64(100 + $0)).render(plan: plan, variant: $0) }
/// Dense material at a constant level near full scale (noise at -6 dBFS peak):
/// no stretch is quiet enough for the true-peak meter to skip, its worst case.
let denseFiles = try material("dense") { TestSignals.noise(amplitude: 0.5, seconds: options.seconds, sampleRate: rate, seed: UInt64(200 + $0)) }
let files = songFiles

struct Material {
    let decoded: [AudioBuffer]
    let interleaved: [[Float]]
    var seconds: Double { decoded.reduce(0) { $0 + $1.duration } }

    init(_ paths: [String]) throws {
        decoded = try paths.map { try SoundFile.readAll(path: $0) }
        interleaved = decoded.map { audio in
            var out = [Float](repeating: 0, count: audio.frameCount * 2)
            for i in 0..<audio.frameCount { out[2 * i] = audio.channels[0][i]; out[2 * i + 1] = audio.channels[1][i] }
            return out
        }
    }
}
let songs = try Material(songFiles)
let dense = try Material(denseFiles)
let audioSeconds = songs.seconds

// MARK: In-process meters

func trackgateMeter(_ material: Material, truePeak: Bool) -> (seconds: Double, integrated: [Double]) {
    var results: [Double] = []
    let elapsed = ContinuousClock().measure {
        for audio in material.decoded {
            var meter = LoudnessMeter(sampleRate: rate, channelWeights: [1, 1], truePeak: truePeak)
            audio.channels[0].withUnsafeBufferPointer { l in
                audio.channels[1].withUnsafeBufferPointer { r in
                    var offset = 0
                    while offset < l.count {   // 16384-frame blocks, as the file reader delivers them
                        let end = min(l.count, offset + 16_384)
                        meter.add([UnsafeBufferPointer(rebasing: l[offset..<end]), UnsafeBufferPointer(rebasing: r[offset..<end])])
                        offset = end
                    }
                }
            }
            let m = meter.measurement
            results.append(m.integratedLUFS ?? .nan)
            _ = (m.loudnessRangeLU, m.maxTruePeakDBTP)
        }
    }
    return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18, results)
}

func libebur128(_ material: Material, truePeak: Bool) -> (seconds: Double, integrated: [Double]) {
    var results: [Double] = []
    let modes = EBUR128_MODE_I.rawValue | EBUR128_MODE_LRA.rawValue | (truePeak ? EBUR128_MODE_TRUE_PEAK.rawValue : 0)
    let elapsed = ContinuousClock().measure {
        for samples in material.interleaved {
            var state = ebur128_init(2, UInt(rate), Int32(modes))
            samples.withUnsafeBufferPointer { p in
                var offset = 0
                let frames = samples.count / 2
                while offset < frames {
                    let n = min(frames - offset, 16_384)
                    ebur128_add_frames_float(state, p.baseAddress! + 2 * offset, n)
                    offset += n
                }
            }
            var integrated = 0.0, range = 0.0, peak = 0.0
            ebur128_loudness_global(state, &integrated)
            ebur128_loudness_range(state, &range)
            if truePeak { ebur128_true_peak(state, 0, &peak); ebur128_true_peak(state, 1, &peak) }
            results.append(integrated)
            ebur128_destroy(&state)
        }
    }
    return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18, results)
}

struct InProcess {
    var tgTP: [Double] = [], libTP: [Double] = [], tgNoTP: [Double] = [], libNoTP: [Double] = []
    var worstDifference = 0.0
}

func inProcess(_ material: Material) -> InProcess {
    var r = InProcess()
    for repeat_ in 0..<options.repeats {
        // Alternate which contender runs first, so neither always meets a warm cache.
        for who in repeat_.isMultiple(of: 2) ? [0, 1] : [1, 0] {
            if who == 0 {
                let a = trackgateMeter(material, truePeak: true)
                r.tgTP.append(a.seconds)
                r.tgNoTP.append(trackgateMeter(material, truePeak: false).seconds)
                if repeat_ == 0 {
                    let b = libebur128(material, truePeak: false)
                    r.worstDifference = zip(a.integrated, b.integrated).map { abs($0 - $1) }.max() ?? .nan
                }
            } else {
                r.libTP.append(libebur128(material, truePeak: true).seconds)
                r.libNoTP.append(libebur128(material, truePeak: false).seconds)
            }
        }
    }
    return r
}

let songResult = inProcess(songs)
let denseResult = inProcess(dense)

// MARK: The check pass

/// Seconds to run `body` over every song file, one core.
func timeFiles(_ body: (String) throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    for file in songFiles { try body(file) }
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
var decodeOnly: [Double] = [], loudnessOnly: [Double] = [], checkPass: [Double] = []
for _ in 0..<options.repeats {
    decodeOnly.append(try timeFiles { path in
        var file = try SoundFile(path: path)
        var block = AudioBlock(channelCount: file.info.channelCount, capacity: 16_384)
        while try file.read(into: &block) {}
    })
    loudnessOnly.append(timeFiles { _ = LoudnessReport.measure(path: $0) })
    checkPass.append(try timeFiles { _ = try TrackAnalysis.analyse(path: $0) })
}

// MARK: Whole commands

let trackgate = options.trackgate.isEmpty
    ? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/release/trackgate").path
    : options.trackgate
var tgCommand: [Double] = [], ffCommand: [Double] = []
let haveTrackgate = FileManager.default.isExecutableFile(atPath: trackgate)
let haveFFmpeg = ExternalTool.find("ffmpeg") != nil
func timeCommands(_ make: (String) -> (String, [String])) throws -> Double {
    let start = ContinuousClock.now
    for file in files {
        let (tool, args) = make(file)
        let result = try ExternalTool.run(tool, args)
        if result.status != 0 { fatalError("\(tool) failed on \(file): \(result.stderr)") }
    }
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
if haveTrackgate && haveFFmpeg {
    for r in 0..<options.repeats {
        let order = r.isMultiple(of: 2) ? [0, 1] : [1, 0]
        for who in order {
            if who == 0 {
                tgCommand.append(try timeCommands { (trackgate, ["loudness", "--json", $0]) })
            } else {
                ffCommand.append(try timeCommands {
                    ("ffmpeg", ["-nostdin", "-hide_banner", "-nostats", "-i", $0, "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"])
                })
            }
        }
    }
}

// MARK: Report

func x(_ seconds: Double) -> String { String(format: "%.0fx", audioSeconds / seconds) }
var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
ebur128_get_version(&major, &minor, &patch)
print("""
    Loudness benchmark, \(Date().formatted(.iso8601.year().month().day()))
    machine: \(shell("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'")), \(ProcessInfo.processInfo.activeProcessorCount) cores
    material: \(options.tracks) music-like tracks x \(Int(options.seconds)) s, stereo 44.1 kHz 16-bit WAV (\(Int(audioSeconds)) s of audio)
    peers: libebur128 \(major).\(minor).\(patch), \(shell("ffmpeg -version | head -1 | cut -d' ' -f1-3"))
    repeats: \(options.repeats), alternating; medians
    integrated loudness, largest difference to libebur128: songs \(String(format: "%.4f", songResult.worstDifference)) LU, dense \(String(format: "%.4f", denseResult.worstDifference)) LU
    """)

for (name, material, r) in [("songs (quiet and loud sections)", songs, songResult),
                            ("dense (constant level, nothing to skip)", dense, denseResult)] {
    func x(_ seconds: Double) -> String { String(format: "%.0fx", material.seconds / seconds) }
    print("""

        | in process, one core, \(name) | time | realtime | ratio |
        | --- | --- | --- | --- |
        | TrackGate LoudnessMeter (I + LRA + true peak) | \(String(format: "%.3f s", median(r.tgTP))) | \(x(median(r.tgTP))) | \(String(format: "%.1fx", median(r.libTP) / median(r.tgTP))) libebur128 |
        | libebur128 (I + LRA + true peak) | \(String(format: "%.3f s", median(r.libTP))) | \(x(median(r.libTP))) | 1.0x |
        | TrackGate, no true peak | \(String(format: "%.3f s", median(r.tgNoTP))) | \(x(median(r.tgNoTP))) | \(String(format: "%.1fx", median(r.libNoTP) / median(r.tgNoTP))) libebur128 without |
        | libebur128, no true peak | \(String(format: "%.3f s", median(r.libNoTP))) | \(x(median(r.libNoTP))) | 1.0x |
        """)
}
print("""

    | one pass over the song files, one core (file in, measurements out) | time | realtime |
    | --- | --- | --- |
    | decode only (SoundFile, 16-bit WAV) | \(String(format: "%.3f s", median(decodeOnly))) | \(x(median(decodeOnly))) |
    | loudness (decode + meter with true peak) | \(String(format: "%.3f s", median(loudnessOnly))) | \(x(median(loudnessOnly))) |
    | check analysis (decode + loudness + defects + section novelty) | \(String(format: "%.3f s", median(checkPass))) | \(x(median(checkPass))) |
    """)
if !tgCommand.isEmpty {
    print("""

        | whole command per file, songs (decode + measure, true peak on) | time | realtime | ratio |
        | --- | --- | --- | --- |
        | trackgate loudness --json | \(String(format: "%.3f s", median(tgCommand))) | \(x(median(tgCommand))) | \(String(format: "%.1fx", median(ffCommand) / median(tgCommand))) ffmpeg |
        | ffmpeg -af ebur128=peak=true:framelog=verbose | \(String(format: "%.3f s", median(ffCommand))) | \(x(median(ffCommand))) | 1.0x |
        """)
} else {
    print("\n(whole-command comparison skipped: needs ffmpeg and \(trackgate); build it with swift build -c release)")
}
