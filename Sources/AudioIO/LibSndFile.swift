import CSndFile
import Synchronization

/// The one place that calls libsndfile's open functions.
///
/// libsndfile reports why an open failed through a process-wide variable, read
/// with `sf_error(NULL)`. Two threads opening files at once can read each other's
/// message, so the open and the read of its error happen under one lock.
enum LibSndFile {
    struct OpenFailure: Error {
        /// `sf_error` code: 1 unrecognised, 2 system, 3 malformed, 4 unsupported
        /// encoding, higher values are libsndfile's detailed internal codes.
        let code: Int32
        let message: String
    }

    private static let openLock = Mutex(())

    /// Opens for reading through `source` (a descriptor with patched header fields).
    static func open(source: UnsafeMutablePointer<tg_source>, info: inout SF_INFO) -> Result<OpaquePointer, OpenFailure> {
        // The source belongs to the calling decoder alone, and the handle leaves the
        // lock as an address: the lock only orders libsndfile's global error variable.
        nonisolated(unsafe) let source = source
        let opened: Result<UInt, OpenFailure> = openLock.withLock { _ in
            if let handle = tg_open_source(source, &info) { return .success(UInt(bitPattern: handle)) }
            return .failure(OpenFailure(code: sf_error(nil), message: String(cString: sf_strerror(nil))))
        }
        return opened.map { OpaquePointer(bitPattern: $0)! }
    }

    static func open(fd: Int32, mode: Int32, info: inout SF_INFO) -> Result<OpaquePointer, OpenFailure> {
        openLock.withLock { _ in
            // close_desc = 0: the caller owns the descriptor, also when the open fails.
            if let handle = sf_open_fd(fd, mode, &info, 0) { return .success(handle) }
            return .failure(OpenFailure(code: sf_error(nil), message: String(cString: sf_strerror(nil))))
        }
    }

    /// The error of an open handle, which libsndfile keeps per handle.
    static func lastError(_ handle: OpaquePointer) -> String? {
        sf_error(handle) == 0 ? nil : String(cString: sf_strerror(handle))
    }
}
