#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// An input audio file opened once for a whole job: every pass (analysis,
/// make-up prediction, render) decodes from this one open file, so the track
/// delivered is the track judged.
///
/// A downloader that replaces the file on retry (`mv new song.wav`) gives the
/// path a new file; the passes keep reading the one opened first. A file
/// written in place (its size or modification time changes) is refused at the
/// next pass with `.changed`, since no pass can tell which bytes are current.
///
/// The owner of its descriptor; each `SoundFile(source:)` reads through a new
/// open file description of the same file (`/proc/self/fd/N` on Linux), with
/// its own offset, so passes are independent even for decoders that `read(2)`
/// from the descriptor (libmpg123). Where `/proc` is missing, a duplicate
/// descriptor, rewound, serves passes that run one after another.
public final class AudioSource: Sendable {
    /// The path as the caller named it, for messages.
    public let path: String
    private let descriptor: Int32
    private let identity: Identity
    private let decodes = Atomic<Int>(0)

    /// How many decoding passes (`SoundFile(source:)`) have read this file.
    /// `process` keeps it at two (analysis, render) whatever the peak handling,
    /// unless a corrective render is needed; the tests hold it to that.
    public var decodingPasses: Int { decodes.load(ordering: .relaxed) }

    func countDecodingPass() { decodes.add(1, ordering: .relaxed) }

    /// What tells a file written to since it was opened.
    struct Identity: Equatable {
        let size: Int
        let modifiedSeconds: Int
        let modifiedNanoseconds: Int

        init(_ st: stat) {
            size = Int(st.st_size)
            #if canImport(Darwin)
            modifiedSeconds = Int(st.st_mtimespec.tv_sec)
            modifiedNanoseconds = Int(st.st_mtimespec.tv_nsec)
            #else
            modifiedSeconds = Int(st.st_mtim.tv_sec)
            modifiedNanoseconds = Int(st.st_mtim.tv_nsec)
            #endif
        }
    }

    /// Opens `path` for reading (a regular file, not empty).
    ///
    /// - Throws: `AudioIOError` as `SoundFile(path:)` does for a file that
    ///   cannot be opened (`.missing`, `.unreadable`, `.empty`).
    public init(path: String) throws(AudioIOError) {
        let input = try InputFile(path: path)
        self.path = path
        var st = stat()
        let fd = input.take()
        guard fstat(fd, &st) == 0 else {
            let code = errno
            close(fd)
            throw AudioIOError(.unreadable, path: path, detail: SystemCall.describe(code))
        }
        self.descriptor = fd
        self.identity = Identity(st)
    }

    deinit { close(descriptor) }

    /// Checks that the file was not written to since it was opened: after the
    /// last pass, so a file written to during it is not delivered.
    ///
    /// - Throws: `.changed`.
    public func checkUnchanged() throws(AudioIOError) {
        var st = stat()
        guard fstat(descriptor, &st) == 0 else {
            throw AudioIOError(.readFailed, path: path, detail: SystemCall.describe(errno))
        }
        guard Identity(st) == identity else {
            throw AudioIOError(.changed, path: path, detail: "the input changed while it was processed (written to since "
                + "it was opened: a download still running?); run again once the file is complete")
        }
    }

    /// A new descriptor for the file, at its start, after checking the file was
    /// not written to since it was opened. The caller owns it.
    ///
    /// Reopening through `/proc/self/fd` reaches the file opened first even
    /// when its name now leads elsewhere or nowhere (a replaced or deleted file).
    func duplicateDescriptor() throws(AudioIOError) -> (fd: Int32, size: UInt64) {
        try checkUnchanged()
        var fd = open("/proc/self/fd/\(descriptor)", O_RDONLY | O_CLOEXEC)
        if fd < 0 { fd = fcntl(descriptor, F_DUPFD_CLOEXEC, 0) }
        guard fd >= 0 else { throw AudioIOError(.readFailed, path: path, detail: SystemCall.describe(errno)) }
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            let code = errno
            close(fd)
            throw AudioIOError(.readFailed, path: path, detail: SystemCall.describe(code))
        }
        return (fd, UInt64(identity.size))
    }

    /// Copies the source's bytes, exactly, to `outputPath`: through a temporary
    /// that `edit` may change (tags set with `TagEditor`) before it takes its
    /// name; nothing appears under `outputPath` if anything fails, and the
    /// source is checked unchanged after the copy.
    /// - Throws: `.readFailed`/`.changed` for the source, `.writeFailed` for the copy, and what `edit` throws.
    public func copy(to outputPath: String, replaceExisting: Bool,
                     edit: (_ temporaryPath: String) throws(AudioIOError) -> Void) throws(AudioIOError) {
        let (fd, _) = try duplicateDescriptor()
        defer { close(fd) }
        let output = try AtomicOutputFile(path: outputPath, replaceExisting: replaceExisting)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: UInt64 = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { SystemCall.pread(fd, $0, offset: offset) }
            guard n >= 0 else { throw AudioIOError(.readFailed, path: path, detail: SystemCall.describe(errno)) }
            if n == 0 { break }
            let written = buffer.withUnsafeBytes { raw in
                Result { () throws(AudioIOError) in try output.write(UnsafeRawBufferPointer(rebasing: raw[..<n])) }
            }
            try written.get()
            offset += UInt64(n)
        }
        try checkUnchanged()
        try edit(output.temporaryPath)
        try output.commit()
    }
}
