import AudioIO
import Foundation

/// A folder laid out as `trackgate batch` reads it, with one track of every
/// kind a real download folder holds: good ones, one the gate fails, broken
/// ones, and listing mistakes.
public struct MixedBatch {
    public let dir: TemporaryDirectory
    /// The folder of tracks (`dir/tracks`).
    public var tracks: String { dir.file("tracks") }

    /// Verdict each id must get.
    public static let expected: [String: String] = [
        "good-1": "pass", "good-2": "pass", "good-3": "pass",
        "silent": "fail",            // nothing but silence
        "nan-float": "fail",         // a float WAV with NaN samples here and there
        "nan-filled": "fail",        // a float WAV of nothing but NaN
        "corrupt": "error",          // random bytes named .wav
        "no-request": "error",       // audio without its request
        "bad-json": "error",         // a request that is not JSON
        "lost-audio": "error",       // a request whose audio never arrived
    ]

    public static func request(seconds: Int) -> String {
        #"{"type": "bgm", "version": "v1.0", "description": "Batch test", "duration": \#(seconds)}"#
    }

    /// `goodCount` good tracks `good-1` ... (seconds each, different seeds), plus the broken ones.
    public init(goodCount: Int = 3, seconds: Int = 8, broken: Bool = true) throws {
        dir = try TemporaryDirectory("trackgate-batch")
        try FileManager.default.createDirectory(atPath: dir.file("tracks"), withIntermediateDirectories: true)
        let rate = 44_100
        for n in 1...max(goodCount, 1) where goodCount > 0 {
            let music = MusicSynth(sampleRate: rate, seed: UInt64(n)).render(plan: [("verse", Double(seconds))])
            try write("good-\(n)", music.channels, format: .wav16, rate: rate, request: Self.request(seconds: seconds))
        }
        guard broken else { return }
        let frames = seconds * rate
        try write("silent", [[Float](repeating: 0, count: frames), [Float](repeating: 0, count: frames)],
                  format: .wav16, rate: rate, request: Self.request(seconds: seconds))
        var nan = MusicSynth(sampleRate: rate, seed: 99).render(plan: [("verse", Double(seconds))]).channels
        for i in stride(from: 1000, to: frames, by: 4_999) { nan[0][i] = .nan }
        try write("nan-float", nan, format: .wavFloat, rate: rate, request: Self.request(seconds: seconds))
        let allNaN = [Float](repeating: .nan, count: frames)
        try write("nan-filled", [allNaN, allNaN], format: .wavFloat, rate: rate, request: Self.request(seconds: seconds))
        try CorruptFiles.randomBytes(count: 50_000).write(to: URL(fileURLWithPath: file("corrupt.wav")))
        try Data(Self.request(seconds: seconds).utf8).write(to: URL(fileURLWithPath: file("corrupt.request.json")))
        let music = MusicSynth(sampleRate: rate, seed: 42).render(plan: [("verse", Double(seconds))])
        try write("no-request", music.channels, format: .wav16, rate: rate, request: nil)
        try write("bad-json", music.channels, format: .wav16, rate: rate, request: #"{"type": "bgm", "#)
        try Data(Self.request(seconds: seconds).utf8).write(to: URL(fileURLWithPath: file("lost-audio.request.json")))
        try Data("not a track".utf8).write(to: URL(fileURLWithPath: file("notes.txt")))
    }

    /// A path inside the tracks folder.
    public func file(_ name: String) -> String { "\(tracks)/\(name)" }

    private func write(_ id: String, _ channels: [[Float]], format: OutputFormat, rate: Int, request: String?) throws {
        var writer = try SoundFileWriter(path: file("\(id).wav"), format: format, sampleRate: rate, channelCount: channels.count)
        try writer.write(AudioBuffer(sampleRate: rate, channels: channels))
        try writer.commit()
        if let request { try Data(request.utf8).write(to: URL(fileURLWithPath: file("\(id).request.json"))) }
    }
}
