// Writes a batch of music-like tracks with their requests, the material of
// `side-by-side.sh`:
//   swift run -c release --package-path Benchmarks make-batch DIR [--tracks 50] [--seed 1]
//
// Each track is stereo 44.1 kHz 16-bit WAV of 30-240 s, as the Nuro API delivers
// them. Tracks up to 120 s come with a BGM v2.0 request whose segment plan the
// music follows; longer ones with a vocal-song request of the same duration.
// Each track is scaled to its own peak between -0.5 and -6.5 dBFS, so the batch holds
// quiet and loud deliveries and normalising some of them needs the limiter.
// Existing tracks are kept, so a second call with the same arguments is free.
import AudioIO
import Foundation
import Synchronization
import TrackGateTestSupport

struct Options {
    var folder = ""
    var tracks = 50
    var seed: UInt64 = 1

    init(_ arguments: [String]) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--tracks": tracks = Int(rest.popFirst() ?? "") ?? tracks
            case "--seed": seed = UInt64(rest.popFirst() ?? "") ?? seed
            default: folder = argument
            }
        }
        guard !folder.isEmpty, tracks > 0 else {
            FileHandle.standardError.write(Data("usage: make-batch DIR [--tracks N] [--seed S]\n".utf8))
            exit(64)
        }
    }
}

/// One track of the batch: its length, plan and level, all drawn from the seed.
struct TrackPlan {
    let name: String
    let seconds: Int
    let sections: [(name: String, seconds: Int)]
    let peakDB: Double
    let variant: Int

    init(index: Int, random: inout SeededRandom) {
        name = String(format: "track-%03d", index + 1)
        seconds = 30 + Int(random.next() % 211)
        peakDB = -0.5 - Double(random.next() % 600) / 100
        variant = Int(random.next() % 4)
        // intro 15 %, two middle sections, outro 15 %: whole seconds summing to the duration.
        let intro = max(5, seconds * 15 / 100), outro = max(5, seconds * 15 / 100)
        let verse = (seconds - intro - outro) / 2
        sections = [("intro", intro), ("verse", verse), ("chorus", seconds - intro - outro - verse), ("outro", outro)]
    }

    var requestJSON: String {
        if seconds <= 120 {
            let segments = sections.map { "{\"name\": \"\($0.name)\", \"duration\": \($0.seconds)}" }.joined(separator: ", ")
            return """
            {"type": "bgm", "version": "v2.0", "description": "Benchmark track \(name)", "segments": [\(segments)]}

            """
        }
        // The API wants 300-2,000 characters of lyrics.
        let verse = "Benchmark lines for \(name), sung over a steady beat\\nEvery bar the same, every chord in place\\n"
        let chorus = "Sing it again, sing it loud\\nOne more time above the crowd\\n"
        let lyrics = "[verse]\\n\(verse)\(verse)\\n[chorus]\\n\(chorus)\(chorus)\\n[verse]\\n\(verse)\\n[chorus]\\n\(chorus)"
        return """
        {"type": "vocal", "lyrics": "\(lyrics)", "genre": "Pop", "mood": "Happy", "gender": "Female", \
        "timbre": "Warm", "duration": \(seconds)}

        """
    }

    func render(seed: UInt64) -> AudioBuffer {
        var audio = MusicSynth(sampleRate: 44_100, seed: seed).render(
            plan: sections.map { ($0.name, Double($0.seconds)) }, variant: variant)
        let peak = audio.channels.lazy.flatMap { $0 }.reduce(Float(0)) { max($0, abs($1)) }
        let gain = Float(pow(10, peakDB / 20)) / max(peak, 1e-9)
        for c in audio.channels.indices { audio.channels[c] = audio.channels[c].map { $0 * gain } }
        return audio
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
try FileManager.default.createDirectory(atPath: options.folder, withIntermediateDirectories: true)
var random = SeededRandom(seed: options.seed)
let plans = (0..<options.tracks).map { TrackPlan(index: $0, random: &random) }
let failures = Mutex(0)

// Rendering is the slow part (a minute of audio takes a few seconds), so tracks render on all cores.
DispatchQueue.concurrentPerform(iterations: plans.count) { index in
    let plan = plans[index]
    let audioPath = "\(options.folder)/\(plan.name).wav"
    do {
        try Data(plan.requestJSON.utf8).write(to: URL(fileURLWithPath: "\(options.folder)/\(plan.name).request.json"))
        guard !FileManager.default.fileExists(atPath: audioPath) else { return }
        var writer = try SoundFileWriter(path: audioPath, format: .wav16, sampleRate: 44_100, channelCount: 2,
                                         tags: AudioTags(title: plan.name, software: "TrackGate make-batch"), dither: true)
        try writer.write(plan.render(seed: options.seed &* 1_000 &+ UInt64(index)))
        try writer.commit()
    } catch {
        FileHandle.standardError.write(Data("make-batch: \(plan.name): \(error)\n".utf8))
        failures.withLock { $0 += 1 }
    }
}
let total = plans.reduce(0) { $0 + $1.seconds }
print("make-batch: \(plans.count) tracks, \(total) s of audio in \(options.folder)")
exit(failures.withLock { $0 } == 0 ? 0 : 1)
