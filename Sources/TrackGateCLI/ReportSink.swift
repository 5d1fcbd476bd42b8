import ArgumentParser
import AudioIO
import Foundation
import TrackGate

/// Where finished tracks go, in order (`batch`: input order; `report`: by id):
/// the `--report` JSON Lines file (written under a temporary name and moved
/// into place at the end), standard output for `--json`, and the results kept
/// for `--junit` and the page.
final class ReportSink: @unchecked Sendable {
    // Only touched from the runner's `ordered` callback (one at a time) and,
    // after the run, from `commit`.
    private var stream: AtomicFileStream?
    private var writeError: AudioIOError?
    private let junitPath: String?
    private let keep: Bool
    /// Every result without its report JSON, for the JUnit file and the page.
    private(set) var kept: [BatchResult] = []
    private let echoJSON: Bool

    /// - Parameter keep: keep every result (for the page and the JUnit file of
    ///   `commit` when it is not given the results).
    init(path: String?, junit: String?, keep: Bool, echoJSON: Bool) throws {
        junitPath = junit
        self.keep = keep
        self.echoJSON = echoJSON
        // Like --out, the reports' folders are created when missing.
        for (option, file) in [("--report", path), ("--junit", junit)] {
            guard let file else { continue }
            let folder = (file as NSString).deletingLastPathComponent
            do {
                if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
                guard FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) else {
                    throw CocoaError(.fileWriteNoPermission)
                }
            } catch {
                printError("\(option) \(file): cannot write in \(folder.isEmpty ? "." : folder): \(error.localizedDescription)")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
        }
        for file in [path, junit].compactMap({ $0 }) { AtomicFile.removeTemporaries(of: file) }
        if let path {
            do { stream = try AtomicFileStream(path: path, replaceExisting: true) } catch {
                printError("--report: \(error.description)")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
        }
    }

    /// - Parameter report: the track's report as one JSON line, when
    ///   `result.reportJSON` does not hold it (`report` reads it from its file).
    func add(_ result: BatchResult, report: Data? = nil) {
        let line = Array(report ?? result.reportJSON) + [0x0A]
        if echoJSON { FileHandle.standardOutput.write(Data(line)) }
        if writeError == nil {
            do throws(AudioIOError) { try stream?.write(line) } catch { writeError = error }
        }
        if keep { kept.append(result.droppingReport()) }
    }

    /// Moves the JSON Lines file into place and writes the JUnit file, of
    /// `results` when given, else of the results kept.
    func commit(seconds: Double, results: [BatchResult]? = nil) throws(AudioIOError) {
        if let writeError { throw writeError }
        if let stream = stream.take() { try stream.commit() }
        if let junitPath {
            try AtomicFile.write(Array(JUnitReport.render(results ?? kept, seconds: seconds).utf8), to: junitPath, replaceExisting: true)
        }
    }
}
