// Renders the bundled sample tracks from their requests:
//   swift run -c release make-samples [samples/tracks]
// For every Nuro NAME.request.json in the folder it writes NAME.flac: synthetic
// music whose sections change exactly where the request's plan says (v2.0
// segments), or a generic arrangement when the request sets no structure. For
// a Sonic or Producer request it writes every clip its NAME.task.json lists, as
// the services deliver them: CLIP_ID.mp3 (Sonic) or CLIP_ID.m4a (Producer, AAC
// at 48 kHz), encoded by ffmpeg with its bit-exact flags, each as long as the
// answer says (20 s when it does not), its sections following the lyrics' tags.
import AudioIO
import Foundation
import RequestModel
import TrackGateTestSupport

let folder = CommandLine.arguments.dropFirst().first ?? "samples/tracks"

/// Per-track delivery settings, so the samples cover more than one rate.
let sampleRates = ["battle-loop": 48_000]

/// The arrangement for a request without a plan: a generic song shape that fills the duration.
func genericPlan(duration: Double) -> [(name: String, seconds: Double)] {
    let intro = (duration * 0.15).rounded(), outro = (duration * 0.15).rounded()
    let middle = duration - intro - outro
    return [("intro", intro), ("verse", (middle / 2).rounded()), ("chorus", middle - (middle / 2).rounded()), ("outro", outro)]
}

/// Renders and encodes every clip a Sonic or Producer answer lists.
func renderClips(of request: TrackRequest, task: String, seed: UInt64) throws {
    let json = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: task)))
    guard let answer = ClipAnswer.validate(json).answer else {
        print("skipping \(task): not a valid task answer")
        return
    }
    let sonic = request.kind == .sonic
    let rate = sonic ? 44_100 : 48_000
    let tags = request.expectedStructure.lyricSections
    for (number, clip) in answer.clips.enumerated() {
        let seconds = clip.duration ?? 20
        // The lyrics' sections in order, sharing the length; a generic shape without tags.
        let plan: [(name: String, seconds: Double)] = tags.isEmpty ? genericPlan(duration: seconds)
            : tags.map { name in
                let word = name.lowercased().split(separator: " ").first.map(String.init) ?? ""
                return (["intro", "verse", "chorus", "bridge", "outro"].contains(word) ? word : "inst", seconds / Double(tags.count))
            }
        let audio = MusicSynth(sampleRate: rate, seed: seed * 10 + UInt64(number)).render(plan: plan, variant: number)
        let wav = NSTemporaryDirectory() + "make-samples-\(clip.clipID).wav"
        var writer = try SoundFileWriter(path: wav, format: .wavFloat, sampleRate: rate, channelCount: 2, replaceExisting: true)
        try writer.write(audio)
        try writer.commit()
        defer { try? FileManager.default.removeItem(atPath: wav) }
        let out = "\(folder)/\(clip.clipID).\(sonic ? "mp3" : "m4a")"
        let codec = sonic ? ["-c:a", "libmp3lame", "-b:a", "128k"] : ["-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart"]
        let result = try ExternalTool.run("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", wav, "-map_metadata", "-1",
                                                     "-fflags", "+bitexact", "-flags:a", "+bitexact", "-metadata",
                                                     "title=\(clip.title ?? request.title)"] + codec + [out])
        guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: result.stderr]) }
        print("\(clip.clipID).\(sonic ? "mp3" : "m4a"): \(seconds) s at \(rate) Hz, sections \(plan.map { "\($0.name) \($0.seconds)" })")
    }
}

do {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        .filter { $0.hasSuffix(".request.json") }.sorted()
    for (index, file) in names.enumerated() {
        let name = String(file.dropLast(".request.json".count))
        let validation = try RequestValidator().validate(data: Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(file)")))
        guard let request = validation.request else {
            print("skipping \(file): invalid request: \(validation.errors.map(\.description).joined(separator: "; "))")
            continue
        }
        let structure = request.expectedStructure
        if request.kind == .sonic || request.kind == .producer {
            try renderClips(of: request, task: "\(folder)/\(name).task.json", seed: UInt64(index + 1))
            continue
        }
        let plan = structure.sections.isEmpty
            ? genericPlan(duration: structure.duration ?? 30)
            : structure.sections.map { ($0.name, $0.end - $0.start) }
        let rate = sampleRates[name] ?? 44_100
        let audio = MusicSynth(sampleRate: rate, seed: UInt64(index + 1)).render(plan: plan, variant: index)
        let tags = AudioTags(title: request.title, genre: "Synthetic sample (\(request.kind.rawValue))",
                             comment: "Made by TrackGate make-samples from \(file)", software: "TrackGate make-samples")
        var writer = try SoundFileWriter(path: "\(folder)/\(name).flac", format: .flac16, sampleRate: rate,
                                         channelCount: 2, tags: tags, replaceExisting: true)
        try writer.write(audio)
        try writer.commit()
        print("\(name).flac: \(structure.duration ?? 30) s at \(rate) Hz, sections \(plan.map { "\($0.name) \($0.seconds)" })")
    }
} catch {
    print("make-samples: \(error)")
    exit(1)
}
