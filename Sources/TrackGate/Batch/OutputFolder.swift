import AudioIO
import Foundation

/// What an earlier run left in the output folder, read once at the start of a
/// batch: temporaries by track id, of runs killed mid-write or still writing.
struct OutputFolder: Sendable {
    let path: String
    /// `.STEM.XXXXXX.partial` files (see `AtomicFile`), by stem.
    private let leftovers: [String: [String]]

    init(path: String) {
        self.path = path
        var leftovers: [String: [String]] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names {
            guard let stem = AtomicFile.finalName(ofTemporary: name) else { continue }
            leftovers[stem, default: []].append(name)
        }
        self.leftovers = leftovers
    }

    /// Removes the temporaries a killed run left for this track: only the
    /// track's own, and only those no live process is writing (another shard,
    /// or the same batch started twice, may be writing into this folder).
    func removeLeftovers(of id: String) {
        let outputs = TrackProcessor.audioExtensions + ["json", "svg"]
        for name in outputs.flatMap({ leftovers[AtomicFile.temporaryStem(of: "\(id).\($0)")] ?? [] }) {
            AtomicFile.removeIfAbandoned((path as NSString).appendingPathComponent(name))
        }
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// The earlier sidecar of a track, when there is one and it parses.
    func earlierReport(of id: String) -> (digest: ReportDigest, json: Data)? {
        guard let data = FileManager.default.contents(atPath: file("\(id).json")),
              let digest = try? ReportDigest.decode(data) else { return nil }
        return (digest, data)
    }
}
