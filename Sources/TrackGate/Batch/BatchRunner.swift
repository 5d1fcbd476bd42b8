import AudioIO
import Foundation
import RequestModel
import Synchronization

/// Runs `check` or `process` over a batch on several threads.
///
/// Each track is independent: a bad one gets verdict `error` or `fail` and the
/// batch goes on. With an output folder, a track whose earlier outputs are
/// complete and current (same `Fingerprint`) is not redone; one whose run was
/// killed is redone from scratch, its temporaries removed. Memory is one
/// track's streaming state per job plus a small `BatchResult` per finished
/// track: no track is ever held in memory whole.
public struct BatchRunner: Sendable {
    public var gate: Gate
    /// The finishing settings: how tracks are written, and the target the
    /// pictures draw (also when only checking).
    public var finisher: Finisher
    /// Only gate the tracks, writing no audio. Processing also needs
    /// `outputDirectory`; without one, tracks are only checked.
    public var checkOnly: Bool
    /// Write tracks the gate fails (`process --force`).
    public var force: Bool
    /// Where per-track reports (and audio) go; nil writes nothing per track.
    public var outputDirectory: String?
    /// Concurrent tracks.
    public var jobs: Int
    /// Draw `OUT/ID.svg` for every track that could be read (needs `outputDirectory`).
    public var plots: Bool

    public init(gate: Gate, finisher: Finisher = Finisher(), checkOnly: Bool = false, force: Bool = false,
                outputDirectory: String?, jobs: Int, plots: Bool = false) {
        self.gate = gate
        self.finisher = finisher
        self.checkOnly = checkOnly
        self.force = force
        self.outputDirectory = outputDirectory
        self.jobs = max(1, jobs)
        self.plots = plots
    }

    public var settings: RunSettings {
        RunSettings(checkOnly: checkOnly, finish: finisher.settings, policy: gate.policy, strict: gate.strict,
                    force: force, plots: plots)
    }

    /// Runs every track and returns when all have finished, or, once
    /// `cancellation` fires, when the tracks already started have.
    ///
    /// - Parameters:
    ///   - finished: each result as it completes (for progress), one at a time,
    ///     under the work queue's lock: keep it short.
    ///   - ordered: each result in listing order (for reports), one at a time,
    ///     from a worker thread but outside the work queue's lock: writing a
    ///     report does not hold up the other workers.
    public func run(_ tracks: [BatchTrack], cancellation: BatchCancellation = BatchCancellation(),
                    finished: @escaping @Sendable (BatchResult) -> Void = { _ in },
                    ordered: @escaping @Sendable (BatchResult) -> Void) {
        let folder = outputDirectory.map { directory -> OutputFolder in
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return OutputFolder(path: directory)
        }
        let settingsDigest = settings.digest
        let queue = Mutex(Delivery())
        // Held by the one worker handing results to `ordered`, outside `queue`'s
        // lock, so the other workers keep taking tracks while reports are written.
        let delivering = Mutex(())
        /// Hands every result that is next in listing order to `ordered`, unless
        /// another worker is doing so: that one looks again after letting go, so
        /// no result is left behind.
        @Sendable func deliverReady() {
            repeat {
                let delivered: Void? = delivering.withLockIfAvailable { _ in
                    while case let ready = queue.withLock({ $0.takeReady() }), !ready.isEmpty {
                        for result in ready { ordered(result) }
                    }
                }
                if delivered == nil { return }
            } while queue.withLock({ $0.hasReady })
        }
        let group = DispatchGroup()
        for _ in 0..<min(jobs, tracks.count) {
            group.enter()
            let worker = Thread {
                defer { group.leave() }
                while !cancellation.isCancelled, let index = queue.withLock({ $0.take(below: tracks.count) }) {
                    let result = run(tracks[index], index: index, folder: folder, settingsDigest: settingsDigest)
                    queue.withLock { delivery in
                        finished(result)
                        delivery.pending[index] = result
                    }
                    deliverReady()
                }
            }
            // Decoders and DSP keep their buffers on the heap; 8 MiB is the
            // main thread's size, so nothing behaves differently on a worker.
            worker.stackSize = 8 << 20
            worker.start()
        }
        group.wait()
    }

    private struct Delivery {
        var nextToTake = 0
        var nextToDeliver = 0
        var pending: [Int: BatchResult] = [:]

        mutating func take(below count: Int) -> Int? {
            guard nextToTake < count else { return nil }
            defer { nextToTake += 1 }
            return nextToTake
        }

        /// The results next in listing order, taken out.
        mutating func takeReady() -> [BatchResult] {
            var ready: [BatchResult] = []
            while let next = pending.removeValue(forKey: nextToDeliver) {
                ready.append(next)
                nextToDeliver += 1
            }
            return ready
        }

        var hasReady: Bool { pending[nextToDeliver] != nil }
    }

    /// One track, start to finish. Never throws.
    func run(_ track: BatchTrack, index: Int, folder: OutputFolder?, settingsDigest: String) -> BatchResult {
        let start = DispatchTime.now()
        func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
        guard track.problem == nil, let audio = track.audio, let request = track.request else {
            return BatchResult(index: index, report: track.problemReport, resume: .fresh, seconds: seconds())
        }
        // Opened once: the fingerprint hashes the bytes the gate then judges (nil
        // when it cannot be opened; the gate then says why).
        let source = try? AudioSource(path: audio)
        let fingerprint = Fingerprint.make(audioPath: audio, request: request, task: track.task, clip: track.clip,
                                           settingsDigest: settingsDigest, source: source)
        var resume = BatchResult.Resume.fresh
        if let folder, let earlier = folder.earlierReport(of: track.id) {
            let reasons = staleness(of: earlier.digest, now: fingerprint, folder: folder)
            if reasons.isEmpty {
                return BatchResult(index: index, digest: earlier.digest, reportJSON: Self.compact(earlier.json),
                                   resume: .current, seconds: seconds())
            }
            resume = .redone(reasons)
        }
        folder?.removeLeftovers(of: track.id)

        var report: TrackReport
        if !checkOnly, let folder {
            let processor = TrackProcessor(gate: gate, finisher: finisher, force: force, overwrite: true, plots: plots)
            report = processor.process(audioPath: audio, request: request, task: track.task,
                                       outputDirectory: folder.path, id: track.id, clip: track.clip, fingerprint: fingerprint, source: source)
        } else {
            let outcome = gate.evaluate(audioPath: audio, request: request, task: track.task, id: track.id, clip: track.clip,
                                        envelopeColumns: plots && folder != nil ? TrackPlot.envelopeColumns : nil, source: source)
            report = outcome.reportWithInputs
            report.fingerprint = fingerprint
            if let folder {
                if plots {
                    report.attachPlot(analysis: outcome.analysis, policy: gate.policy,
                                      targetLUFS: finisher.settings.targetLUFS, path: folder.file("\(track.id).svg"))
                }
                report.save(to: folder.file("\(track.id).json"), replaceExisting: true)
            }
        }
        return BatchResult(index: index, report: report, resume: resume, seconds: seconds())
    }

    /// Why an earlier run's outputs cannot stand for this run's; empty when they can.
    func staleness(of earlier: ReportDigest, now: Fingerprint?, folder: OutputFolder) -> [String] {
        if earlier.verdict == .error { return ["the earlier run ended in error"] }
        guard let now else { return ["an input cannot be read now"] }
        guard let stored = earlier.fingerprint else { return ["the earlier report carries no fingerprint"] }
        let changes = now.changes(since: stored)
        if !changes.isEmpty { return changes }
        // The sidecar is written last, so its audio exists unless someone removed it.
        if !checkOnly, let audio = earlier.output?.audio,
           !FileManager.default.fileExists(atPath: folder.file((audio as NSString).lastPathComponent)) {
            return ["its audio output is missing"]
        }
        if plots && !FileManager.default.fileExists(atPath: folder.file("\(earlier.id).svg")) {
            return ["its picture is missing"]
        }
        return []
    }

    /// A sidecar as the one compact line `--report` holds: the whitespace
    /// between tokens removed (RFC 8259, section 2: space, tab, line feed,
    /// carriage return), strings kept byte for byte. A sidecar is the encoder's
    /// pretty form of the report (`TrackReport.save`: sorted keys), so this is
    /// exactly the encoder's compact form, at memory speed: re-parsing and
    /// re-encoding cost 0.7 ms a report, 70 s for `report` over 100,000.
    static func compact(_ json: Data) -> Data {
        var line = [UInt8]()
        line.reserveCapacity(json.count)
        var inString = false, escaped = false
        json.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            for byte in raw {
                if inString {
                    line.append(byte)
                    if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                    line.append(byte)
                } else if byte != 0x20 && byte != 0x0A && byte != 0x0D && byte != 0x09 {
                    line.append(byte)
                }
            }
        }
        return Data(line)
    }
}
