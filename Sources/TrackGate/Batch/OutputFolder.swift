import AudioIO
import Foundation

/// What an earlier run left in the output folder, read once at the start of a
/// batch: temporaries by track id, of runs killed mid-write or still writing.
struct OutputFolder: Sendable {
    let path: String
    /// `.STEM.XXXXXX.partial` files (see `AtomicFile`), by stem.
    private let leftovers: [String: [String]]

    /// - Parameter listingLeftovers: read the folder for temporaries (a batch's
    ///   start); without it only the per-file operations are of use.
    init(path: String, listingLeftovers: Bool = true) {
        self.path = path
        var leftovers: [String: [String]] = [:]
        let names = listingLeftovers ? (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] : []
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
        let outputs = OutputFormat.Container.allCases.map(\.fileExtension) + ["json", "svg"]
        for name in outputs.flatMap({ leftovers[AtomicFile.temporaryStem(of: "\(id).\($0)")] ?? [] }) {
            AtomicFile.removeIfAbandoned((path as NSString).appendingPathComponent(name))
        }
    }

    /// Removes the track's audio outputs (`ID.wav`, `ID.flac`) other than the one
    /// this run wrote: a file an earlier run wrote and this one did not would
    /// outlive the report that described it. Never the input.
    func removeAudio(of id: String, except written: String?, input: String) {
        let source = URL(fileURLWithPath: input).resolvingSymlinksInPath().path
        for container in OutputFormat.Container.allCases {
            let path = file("\(id).\(container.fileExtension)")
            guard path != written, URL(fileURLWithPath: path).resolvingSymlinksInPath().path != source,
                  FileManager.default.fileExists(atPath: path) else { continue }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// The earlier sidecar of a track, when there is one and it parses.
    func earlierReport(of id: String) -> (digest: ReportDigest, json: Data)? {
        guard let data = FileManager.default.contents(atPath: file("\(id).json")),
              let digest = try? JSONDecoder().decode(ReportDigest.self, from: data) else { return nil }
        return (digest, data)
    }
}
