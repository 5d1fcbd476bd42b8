import AudioIO
import Foundation
import RequestModel
import Synchronization

/// One batch's answer from the report files its runs left: `trackgate report`.
///
/// Shards of a job array (`batch --shard I/N`), on one machine or many, each
/// write a sidecar report `OUT/ID.json` per track; this reads them from one or
/// more output folders and makes of them the batch's result, as if one `batch`
/// had run: every track once, ordered by id, with the verdicts, problems and
/// exit status the sidecars record.
///
/// Given the batch's inputs (`expected`, the same listing `batch` makes), it
/// also tells what is not there: a listed track without a report (a shard lost,
/// killed or not yet run) becomes an `error` track of kind `no_report`, and
/// listing mistakes (a broken manifest line), which have no sidecar, appear as
/// `batch` reports them. Reports for tracks the inputs no longer list are left
/// out, and counted.
///
/// A track reported in two folders with the same result (same fingerprint and
/// verdict: a retried shard, a copy) counts once; with different results it is
/// an `error` of kind `conflicting_reports` naming both files, since neither can
/// stand for the batch.
///
/// Memory: a `BatchResult` without its JSON per track (a few hundred bytes);
/// full reports are read again, one at a time, when written out (`reportLine`).
public struct ReportMerge: Sendable {
    /// One track of the merged batch.
    public struct Track: Sendable {
        /// What the summary, JUnit and page need (its `reportJSON` is empty for a
        /// track read from a sidecar), `index` its place in the merged order.
        public let result: BatchResult
        /// The report file it came from; nil for a track the merge made (missing,
        /// conflicting, or a listing mistake).
        public let sidecar: String?

        /// The track's full report as one compact JSON line (no newline), as
        /// `batch --report` writes it.
        public func reportLine() throws(AudioIOError) -> Data {
            guard let sidecar else { return result.reportJSON }
            return BatchRunner.compact(Data(try ReportMerge.reportBytes(sidecar)))
        }
    }

    /// Every track, ordered by id (byte order of UTF-8, the same on every
    /// machine and locale), ties in listing order.
    public let tracks: [Track]
    /// What people should know about the reports read (files skipped, tracks
    /// left out, mixed settings, unfinished files), one sentence each.
    public let notes: [String]
    /// Report files read and taken as track reports.
    public let reportsRead: Int

    /// The largest report file read: a report carries its request and task
    /// (each at most 1 MiB, `JSONInput.maximumBytes`) and the measurements.
    public static let maximumReportBytes = 16 << 20

    /// A report file's bytes, refused over `maximumReportBytes`.
    static func reportBytes(_ path: String) throws(AudioIOError) -> [UInt8] {
        try RegularFile.contents(of: path, limit: maximumReportBytes, expecting: "a track report")
    }

    /// Reads the reports in `folders` and merges them.
    ///
    /// - Parameters:
    ///   - folders: output folders (`batch --out`), in order of preference for
    ///     identical duplicates.
    ///   - expected: the batch's tracks (`BatchInventory.collect` of its inputs),
    ///     or nil to take every report found.
    /// - Throws: `ReportMergeError` when a folder cannot be listed.
    public static func merge(folders: [String], expected: [BatchTrack]?) throws(ReportMergeError) -> ReportMerge {
        var sidecars: [Sidecar] = []
        var unreadable: [String: Unreadable] = [:]
        var skipped: [String] = []
        var notes: [String] = []
        var shardPages: Set<Shard> = []
        // A folder named twice (`out`, `./out/`, a link to it) is read once.
        var seen = Set<String>()
        for folder in folders where seen.insert(FilePaths.resolved(folder)).inserted {
            let scan = try scanFolder(folder)
            sidecars += scan.sidecars
            for file in scan.others {
                // Which of the others are tracks is known once the listing is:
                // a damaged report always, another JSON file when its name is listed.
                if file.looksLikeReport || expected != nil {
                    unreadable[file.id] = unreadable[file.id] ?? file
                } else {
                    skipped.append(file.path)
                }
            }
            shardPages.formUnion(scan.shardPages)
            if scan.unfinished > 0 {
                notes.append("\(scan.unfinished) unfinished file\(plural(scan.unfinished)) (hidden .partial) in \(folder): a run is still "
                             + "writing there, or was killed; its tracks are as the last complete reports say")
            }
        }
        // Each id's reports, as indices into `sidecars`, in folder order (the
        // reports themselves are held once: 100,000 of them are the memory).
        var byID: [String: [Int]] = [:]
        for (i, sidecar) in sidecars.enumerated() { byID[sidecar.digest.id, default: []].append(i) }
        // The shards that wrote a page (`index-shard-I-of-N.html`, written when a shard ends).
        let shardCounts = Set(shardPages.map(\.count))
        let shardCount = shardCounts.count == 1 ? shardCounts.first : nil

        // (id, listing order, what the track is): sorted once at the end.
        var entries: [(id: String, order: Int, entry: Entry)] = []
        func entry(_ id: String, sidecars indices: [Int]?, unreadable file: Unreadable?) -> Entry? {
            if let file { return .made(file.report) }
            return indices.map { resolve($0, in: sidecars) }
        }
        if let expected {
            var listed = Set<String>()
            for (order, track) in expected.enumerated() {
                listed.insert(track.id)
                if track.problem != nil {
                    // A listing mistake (or an id taken twice): batch reports it without a sidecar.
                    entries.append((track.id, order, .made(track.problemReport)))
                } else if let found = entry(track.id, sidecars: byID[track.id], unreadable: unreadable[track.id]) {
                    entries.append((track.id, order, found))
                } else {
                    entries.append((track.id, order, .made(missing(track, folders: folders, shardCount: shardCount))))
                }
            }
            let unlisted = Set(byID.keys).union(unreadable.values.filter(\.looksLikeReport).map(\.id))
                .filter { !listed.contains($0) }.sorted(by: utf8Order)
            if !unlisted.isEmpty {
                notes.append("\(unlisted.count) report\(plural(unlisted.count)) for tracks the inputs do not list (\(sample(unlisted))): "
                             + "left out (run report without --inputs to include them)")
            }
            skipped += unreadable.values.filter { !$0.looksLikeReport && !listed.contains($0.id) }.map(\.path)
        } else {
            for (order, id) in Set(byID.keys).union(unreadable.keys).sorted(by: utf8Order).enumerated() {
                if let found = entry(id, sidecars: byID[id], unreadable: unreadable[id]) { entries.append((id, order, found)) }
            }
        }
        if !skipped.isEmpty {
            let names = skipped.sorted(by: utf8Order)
            notes.append("\(names.count) JSON file\(plural(names.count)) \(names.count == 1 ? "is" : "are") not a track report "
                         + "(\(sample(names))): skipped")
        }
        if let shardCount {
            let absent = (0..<shardCount).filter { i in !shardPages.contains { $0.index == i } }
            if !absent.isEmpty {
                notes.append("no page of shard\(plural(absent.count)) " + absent.map { "\($0)/\(shardCount)" }.joined(separator: ", ")
                             + " (index-shard-I-of-\(shardCount).html, written when a shard ends): "
                             + (absent.count == 1 ? "has it run to its end?" : "have they run to their end?")
                             + (expected == nil ? " Give --inputs to name their tracks." : ""))
            }
        } else if shardCounts.count > 1 {
            notes.append("shard pages of \(shardCounts.count) different shard counts (" + shardCounts.sorted().map { "of \($0)" }.joined(separator: ", ")
                         + "): the folder holds runs of differently split batches")
        }
        // Byte order for ids that are one for String (`é` composed or not): a strict order.
        entries.sort { $0.id.utf8.elementsEqual($1.id.utf8) ? $0.order < $1.order : utf8Order($0.id, $1.id) }

        var tracks: [Track] = []
        tracks.reserveCapacity(entries.count)
        var settingsUsed: [String: [String]] = [:]
        var duplicates = 0
        for (index, item) in entries.enumerated() {
            switch item.entry {
            case .made(let report):
                tracks.append(Track(result: BatchResult(index: index, report: report, resume: .fresh, seconds: 0), sidecar: nil))
            case .sidecar(let i, let copies):
                let sidecar = sidecars[i]
                duplicates += copies > 1 ? 1 : 0
                if let settings = sidecar.made?.settings { settingsUsed[settings, default: []].append(item.id) }
                var digest = sidecar.digest
                // The picture lies beside its report, wherever the run that drew it was started.
                digest.plot = digest.plot.map { (sidecar.folder as NSString).appendingPathComponent(($0 as NSString).lastPathComponent) }
                tracks.append(Track(result: BatchResult(index: index, digest: digest, reportJSON: Data(), resume: .fresh, seconds: 0),
                                    sidecar: sidecar.path))
            }
        }
        if duplicates > 0 {
            notes.append("\(duplicates) track\(plural(duplicates)) reported in more than one folder with the same result: counted once")
        }
        if settingsUsed.count > 1 {
            // One batch, one set of settings: a shard run with other options (or
            // another version) made tracks the others' page does not describe.
            let groups = settingsUsed.values.map { $0.sorted(by: utf8Order) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : utf8Order($0[0], $1[0]) }
            notes.append("the reports were made with \(groups.count) different settings (mode, finishing options, policy or "
                         + "version): " + groups.map { "\($0.count) track\(plural($0.count)) (\(sample($0)))" }.joined(separator: ", ")
                         + "; rerun the shards whose settings are not the batch's")
        }
        return ReportMerge(tracks: tracks, notes: notes, reportsRead: sidecars.count)
    }

    /// The summary of the merged batch (`BatchSummary`).
    public var summary: BatchSummary {
        var summary = BatchSummary(total: tracks.count)
        for track in tracks { summary.add(track.result) }
        return summary
    }

    // MARK: Reading

    /// One report file, as much of it as a merge of 100,000 keeps: the digest
    /// without its passing checks, and the fingerprint as a short key.
    struct Sidecar: Sendable {
        let path: String
        let folder: String
        /// Its `fingerprint` is nil: see `made`.
        let digest: ReportDigest
        let made: MadeFrom?
    }

    /// A fingerprint in 40 bytes instead of 400: the settings digest, shared by
    /// every report of one run (interned), and 128 bits of a SHA-256 over the
    /// input digests, enough to tell two reports of a track apart.
    struct MadeFrom: Sendable, Equatable {
        let settings: String
        let inputs: (UInt64, UInt64)

        init(_ fingerprint: Fingerprint, settings: String) {
            self.settings = settings
            let hex = ContentDigest.sha256([fingerprint.audio, fingerprint.request, fingerprint.task ?? "-"].joined(separator: " "))
            let bytes = Array(hex.utf8)
            inputs = (UInt64(String(decoding: bytes[0..<16], as: UTF8.self), radix: 16) ?? 0,
                      UInt64(String(decoding: bytes[16..<32], as: UTF8.self), radix: 16) ?? 0)
        }

        static func == (a: MadeFrom, b: MadeFrom) -> Bool { a.settings == b.settings && a.inputs == b.inputs }
    }

    private enum Entry {
        /// A report file (its index in the reports read); `copies` counts
        /// identical reports of it in other folders.
        case sidecar(Int, copies: Int)
        /// A report the merge wrote itself (boxed: a `TrackReport` is large,
        /// and there is one entry per track).
        indirect case made(TrackReport)
    }

    /// A `NAME.json` that is not a readable track report of `NAME`.
    struct Unreadable: Error, Sendable {
        let path: String
        /// `NAME`, the id the file would report.
        let id: String
        /// A damaged report (a track of the batch) rather than some other JSON
        /// file (see `readReport`).
        let looksLikeReport: Bool
        let reason: String

        var report: TrackReport {
            TrackReport(id: id, file: path, error: "\(path): not a readable track report: \(reason); rerun the track's shard to write it again",
                        errorKind: .brokenReport, unreadable: true)
        }
    }

    /// The track reports of one folder: every `ID.json` whose content is a track
    /// report with that id, read on all cores; the `.json` files that are not
    /// (a damaged report, a request, any other JSON); the shard pages; and the
    /// temporaries of runs still writing or killed.
    static func scanFolder(_ folder: String) throws(ReportMergeError)
        -> (sidecars: [Sidecar], others: [Unreadable], shardPages: Set<Shard>, unfinished: Int) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw ReportMergeError("\(folder): no such folder")
        }
        guard isDirectory.boolValue else { throw ReportMergeError("\(folder): not a folder (give the batch's --out folder)") }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw ReportMergeError("\(folder): cannot list the folder: \(error.localizedDescription)")
        }
        let unfinished = names.filter { $0.hasPrefix(".") && AtomicFile.finalName(ofTemporary: $0) != nil }.count
        let shardPages = Set(names.compactMap(BatchIndexPage.shard(ofPageNamed:)))
        let candidates = names.filter { !$0.hasPrefix(".") && $0.hasSuffix(".json") }
        // Each chunk's reports join the folder's under the lock; order within a
        // folder does not matter (names are unique), between folders it does.
        let read = Mutex((sidecars: [Sidecar](), others: [Unreadable](), settings: [String: String]()))
        let chunk = 256
        let chunks = (candidates.count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            var found: [(path: String, digest: ReportDigest, fingerprint: Fingerprint?)] = []
            var others: [Unreadable] = []
            for name in candidates[c * chunk..<min(candidates.count, (c + 1) * chunk)] {
                let path = (folder as NSString).appendingPathComponent(name)
                switch readReport(path, name: name) {
                case .success(var digest):
                    // Kept for every track: only what the merge and the summary use.
                    // (A new array: removing in place would keep the decoder's capacity, 1.3 KB a report.)
                    let fingerprint = digest.fingerprint
                    digest.checks = digest.checks.filter { $0.status != .pass }
                    digest.output = nil
                    digest.fingerprint = nil
                    found.append((path, digest, fingerprint))
                case .failure(let other):
                    others.append(other)
                }
            }
            read.withLock { all in
                for report in found {
                    var made: MadeFrom?
                    if let f = report.fingerprint {
                        let settings = all.settings[f.settings] ?? f.settings
                        all.settings[f.settings] = settings
                        made = MadeFrom(f, settings: settings)
                    }
                    all.sidecars.append(Sidecar(path: report.path, folder: folder, digest: report.digest, made: made))
                }
                all.others += others
            }
        }
        return read.withLock { ($0.sidecars, $0.others, shardPages, unfinished) }
    }

    /// One `NAME.json`: its digest when it is the track report of `NAME` as
    /// `batch` writes it (UTF-8 JSON), else why not. A file of the output
    /// folder is presumed a report unless it is JSON that is clearly something
    /// else (no `verdict` or `checks`, or the report of another id), so a
    /// damaged report is never taken for some other file.
    static func readReport(_ path: String, name: String) -> Result<ReportDigest, Unreadable> {
        let id = String(name.dropLast(".json".count))
        func unreadable(_ reason: String, looksLikeReport: Bool = true) -> Result<ReportDigest, Unreadable> {
            .failure(Unreadable(path: path, id: id, looksLikeReport: looksLikeReport, reason: reason))
        }
        let bytes: [UInt8]
        do throws(AudioIOError) {
            bytes = try reportBytes(path)
        } catch {
            return unreadable(error.description)
        }
        // UTF-8 JSON has no zero byte (a NUL in a string is escaped); UTF-16 has
        // them, and Foundation's decoder would take it, so its report line would not be UTF-8.
        let startsAsBatchWritesIt = bytes.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "{") && !bytes.contains(0)
        var decodingError: DecodingError?
        if startsAsBatchWritesIt {
            do {
                let digest = try ReportDigest.decode(Data(bytes))
                guard digest.id.utf8.elementsEqual(id.utf8) else {
                    return unreadable("it holds the report of \"\(digest.id)\"", looksLikeReport: false)
                }
                return .success(digest)
            } catch {
                decodingError = error as? DecodingError
            }
        }
        // Not a report as batch writes it: say where it goes wrong, as for a request.
        let document: JSONDocument
        do throws(JSONReadError) { document = try JSONParser().parse(bytes) } catch { return unreadable(error.message) }
        guard case .object(let object) = document.value, object["verdict"] != nil || object["checks"] != nil else {
            return unreadable("not a track report", looksLikeReport: false)
        }
        guard startsAsBatchWritesIt else {
            return unreadable("it is JSON, but not UTF-8 as batch writes it (a byte order mark, or UTF-16: an editor saved it)")
        }
        if case .string(let verdict)? = object["verdict"], TrackReport.Verdict(rawValue: verdict) == nil {
            return unreadable("verdict \"\(verdict)\" is not one of pass, warn, fail, error")
        }
        return unreadable(decodingError.map(describe) ?? "a track report needs id, file, verdict and checks")
    }

    private static func describe(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String { path.isEmpty ? "" : " at \(path.map(\.stringValue).joined(separator: "."))" }
        switch error {
        case .keyNotFound(let key, let context): return "no \"\(key.stringValue)\"\(at(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription)\(at(context.codingPath))"
        @unknown default: return "\(error)"
        }
    }

    /// One track's reports from every folder that has one.
    private static func resolve(_ indices: [Int], in sidecars: [Sidecar]) -> Entry {
        let copies = indices.map { sidecars[$0] }
        let first = copies[0]
        func same(_ a: Sidecar, _ b: Sidecar) -> Bool {
            a.digest.verdict == b.digest.verdict && a.made == b.made && (a.made != nil || a.digest.error == b.digest.error)
        }
        guard let other = copies.dropFirst().first(where: { !same($0, first) }) else {
            return .sidecar(indices[0], copies: copies.count)
        }
        // Rare: read the two fingerprints again to say what differs.
        func fingerprint(_ s: Sidecar) -> Fingerprint? {
            (try? reportBytes(s.path)).flatMap { try? ReportDigest.decode(Data($0)).fingerprint }
        }
        let changes = fingerprint(other).flatMap { f in fingerprint(first).map { f.changes(since: $0) } } ?? []
        let why = changes.isEmpty
            ? "from the same inputs and settings, so one was edited or made by another build"
            : "made from other inputs or settings"
        let report = TrackReport(
            id: first.digest.id, file: first.digest.file,
            error: "reported differently by \(first.path) (\(first.digest.verdict.rawValue)) and \(other.path) "
                + "(\(([other.digest.verdict.rawValue] + changes).joined(separator: ", "))): "
                + "\(why); remove the report that is out of date, or rerun the track",
            errorKind: .conflictingReports, unreadable: true)
        return .made(report)
    }

    private static func missing(_ track: BatchTrack, folders: [String], shardCount: Int?) -> TrackReport {
        // The shard it belongs to, when the shards' pages tell how the batch was split.
        let shard = shardCount.map { " (\(Shard.index(of: track.id, count: $0))/\($0))" } ?? ""
        return TrackReport(id: track.id, file: track.audio ?? track.origin,
                           error: "no report for this track in \(folders.joined(separator: ", ")): its shard\(shard) has not run, "
                               + "has not finished or was lost; rerun it (finished tracks are kept)",
                           errorKind: .noReport, unreadable: true)
    }

    static func utf8Order(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
    private static func plural(_ n: Int) -> String { n == 1 ? "" : "s" }
    /// A few names of a list, for a sentence.
    private static func sample(_ names: [String]) -> String {
        names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", ..." : "")
    }
}

/// Why `trackgate report` could not read its folders.
public struct ReportMergeError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
