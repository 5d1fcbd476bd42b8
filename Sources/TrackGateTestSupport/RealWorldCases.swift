import AudioIO
import Foundation

/// Small inputs rebuilt from public problem reports of people who download and
/// finish generated music, each with the verdict and the words TrackGate must
/// give. Everything is made here (ffmpeg encodes the MP3), nothing is stored:
/// `swift run make-cases DIR` writes the folder, `scripts/real-world-cases.sh`
/// replays it through the built binary, and `RealWorldCasesTests` asserts it.
public enum RealWorldCases {
    /// One case: a track and its request in the batch folder, and what `check` must say.
    public struct Case: Sendable {
        public let id: String
        /// What the case reproduces.
        public let fault: String
        public let verdict: String
        /// Words the report must contain (a check's message or the error).
        public let phrase: String
    }

    static func music(_ seconds: Double, _ seed: UInt64) -> [[Float]] {
        MusicSynth(sampleRate: 48_000, seed: seed).render(plan: [("verse", seconds / 2), ("chorus", seconds / 2)]).channels
    }

    static func bgm(_ seconds: Int) -> String {
        #"{"type": "bgm", "version": "v1.0", "description": "Real-world case", "duration": \#(seconds)}"#
    }

    public static let cases: [Case] = [
        Case(id: "streamed-data-size-0", fault: "WAV whose RIFF and data sizes are 0 (a streaming writer)",
             verdict: "pass", phrase: "3.00 s delivered for 3 s requested"),
        Case(id: "streamed-rf64-ds64-0", fault: "RF64 whose ds64 sizes are 0", verdict: "pass",
             phrase: "3.00 s delivered for 3 s requested"),
        Case(id: "streamed-aiff-ssnd-0", fault: "AIFF with SSND size and COMM frame count 0", verdict: "pass",
             phrase: "3.00 s delivered for 3 s requested"),
        Case(id: "expired-link", fault: "an expired-link XML error saved as .mp3", verdict: "error",
             phrase: "not audio: the file is XML text"),
        Case(id: "bad-gateway", fault: "an HTML 502 page saved as .mp3", verdict: "error", phrase: "not audio: the file is an HTML page"),
        Case(id: "api-error", fault: "a JSON error body saved as .mp3", verdict: "error", phrase: "not audio: the file is JSON text"),
        Case(id: "cut-mp3", fault: "a 12 s LAME MP3 cut after 60 % of its bytes", verdict: "error",
             phrase: "of the 12.00 s its header announces"),
        Case(id: "float-over", fault: "a float WAV peaking at +6 dBFS, every sample intact", verdict: "warn",
             phrase: "beyond full scale, up to +6.02 dBFS"),
        Case(id: "clipped-normalised", fault: "clipped, then normalised to -3 dBFS", verdict: "fail",
             phrase: "flat tops"),
        Case(id: "dead-right-channel", fault: "stereo whose right channel is digital silence", verdict: "fail",
             phrase: "the right channel is digital silence"),
        Case(id: "business-theme", fault: "the reference's BGM v1.0 body (theme \"business\" is a genre)", verdict: "warn",
             phrase: "judged against what it asks: 45 s"),
        Case(id: "short-plan", fault: "BGM v2.0 segments adding up to 20 s (the minimum is 30)", verdict: "warn",
             phrase: "judged against what it asks: 20 s in sections intro 0-10 s, chorus 10-20 s"),
        Case(id: "take.1", fault: "a name with a dot inside: the id is take.1", verdict: "pass",
             phrase: "10.00 s delivered for 10 s requested"),
    ]

    /// Writes every case into `folder` as `batch` reads it: `ID.<ext>` beside `ID.request.json`.
    public static func write(to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func put(_ id: String, _ ext: String, _ data: Data, request: String) throws {
            try data.write(to: URL(fileURLWithPath: "\(folder)/\(id).\(ext)"))
            try Data(request.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(id).request.json"))
        }
        func audio(_ id: String, _ channels: [[Float]], format: OutputFormat, request: String) throws {
            var writer = try SoundFileWriter(path: "\(folder)/\(id).\(format.container.fileExtension)", format: format,
                                             sampleRate: 48_000, channelCount: channels.count)
            try writer.write(AudioBuffer(sampleRate: 48_000, channels: channels))
            try writer.commit()
            try Data(request.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(id).request.json"))
        }

        let three = music(3, 1)
        let pcm = (0..<three[0].count).flatMap { i in three.map { Int16(max(-32_768, min(32_767, ($0[i] * 32_768).rounded()))) } }
        try put("streamed-data-size-0", "wav", HeaderVariants.make(.wavBothSizesZero, samples: pcm, channels: 2, sampleRate: 48_000),
                request: bgm(3))
        try put("streamed-rf64-ds64-0", "wav", HeaderVariants.make(.rf64SizesZero, samples: pcm, channels: 2, sampleRate: 48_000),
                request: bgm(3))
        try put("streamed-aiff-ssnd-0", "aiff", HeaderVariants.make(.aiffSizesZero, samples: pcm, channels: 2, sampleRate: 48_000),
                request: bgm(3))

        try put("expired-link", "mp3", Data(#"<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message><Expires>2026-11-01T10:00:00Z</Expires></Error>"#.utf8), request: bgm(12))
        try put("bad-gateway", "mp3", Data("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\r\n".utf8), request: bgm(12))
        try put("api-error", "mp3", Data(#"{"code": 401, "msg": "Invalid or expired token", "data": null}"#.utf8), request: bgm(12))

        // A 12 s LAME MP3 with its Info frame, cut after 60 % of its bytes.
        let source = "\(folder)/.cut-mp3-source.wav", whole = "\(folder)/.cut-mp3-whole.mp3"
        var writer = try SoundFileWriter(path: source, format: .wav16, sampleRate: 48_000, channelCount: 2)
        try writer.write(AudioBuffer(sampleRate: 48_000, channels: music(12, 2)))
        try writer.commit()
        let encoded = try ExternalTool.run("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", source,
                                                      "-c:a", "libmp3lame", "-b:a", "128k", whole])
        guard encoded.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: encoded.stderr]) }
        let mp3 = try Data(contentsOf: URL(fileURLWithPath: whole))
        try put("cut-mp3", "mp3", mp3.prefix(mp3.count * 6 / 10), request: bgm(12))
        try? FileManager.default.removeItem(atPath: source)
        try? FileManager.default.removeItem(atPath: whole)

        let ten = music(10, 3)
        let peak = ten.flatMap { $0 }.map(abs).max() ?? 1
        try audio("float-over", ten.map { $0.map { $0 * 2 / peak } }, format: .wavFloat, request: bgm(10))
        let clipped = ten.map { $0.map { max(-1, min(1, $0 * 3 / peak)) * 0.707_945_8 } }
        try audio("clipped-normalised", clipped, format: .wav16, request: bgm(10))
        try audio("dead-right-channel", [ten[0], [Float](repeating: 0, count: ten[0].count)], format: .wav24, request: bgm(10))

        let business = #"{"type": "bgm", "version": "v1.0", "description": "Upbeat corporate background music for presentation", "duration": 45, "genre": ["corporate", "upbeat"], "mood": ["positive", "energetic"], "instrument": ["piano", "guitar"], "theme": ["business", "motivational"]}"#
        try audio("business-theme", music(45, 4), format: .wav16, request: business)
        let shortPlan = #"{"type": "bgm", "version": "v2.0", "description": "Short plan", "segments": [{"name": "intro", "duration": 10}, {"name": "chorus", "duration": 10}]}"#
        try audio("short-plan", music(20, 5), format: .wav16, request: shortPlan)
        try audio("take.1", ten, format: .wav24, request: bgm(10))
    }
}
