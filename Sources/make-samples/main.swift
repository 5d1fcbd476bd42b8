// Renders the bundled sample tracks from their requests:
//   swift run -c release make-samples [samples/tracks]
// For every NAME.request.json in the folder it writes NAME.flac: synthetic
// music whose sections change exactly where the request's plan says (v2.0
// segments), or a generic arrangement when the request sets no structure.
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
