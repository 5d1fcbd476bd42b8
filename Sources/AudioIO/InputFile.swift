#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened once for reading: the owner of its descriptor until a decoder
/// takes it over (`take()`).
///
/// Opening refuses what is not a regular file before anything reads from it: a
/// FIFO, a terminal or a device such as `/dev/zero` (directly or through a
/// symlink) would block a reader or never end. The descriptor is opened
/// non-blocking for that check (opening a FIFO would otherwise wait for a
/// writer) and switched to blocking reads afterwards.
struct InputFile: ~Copyable {
    let path: String
    let size: UInt64
    private var fd: Int32

    /// - Parameters:
    ///   - allowEmpty: accept a file of 0 bytes (otherwise `.empty`).
    ///   - expecting: what the file should be, for messages ("is a folder, not an audio file").
    init(path: String, allowEmpty: Bool = false, expecting: String = "an audio file") throws(AudioIOError) {
        self.path = path
        let fd = SystemCall.retryingInterrupts { open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        guard fd >= 0 else { throw Self.openError(errno, path: path, expecting: expecting) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let code = errno
            close(fd)
            throw AudioIOError(.unreadable, path: path, detail: SystemCall.describe(code))
        }
        let type = st.st_mode & S_IFMT
        guard type == S_IFREG else {
            close(fd)
            let what = switch type {
            case S_IFDIR: "is a folder, not \(expecting)"
            case S_IFIFO: "is a FIFO (named pipe), not a regular file: save it to a file first"
            case S_IFCHR, S_IFBLK: "is a device, not a regular file"
            case S_IFSOCK: "is a socket, not a regular file"
            default: "is not a regular file"
            }
            throw AudioIOError(.unreadable, path: path, detail: what)
        }
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        guard st.st_size > 0 || allowEmpty else {
            close(fd)
            throw AudioIOError(.empty, path: path, detail: "empty file (0 bytes): an interrupted download?")
        }
        self.fd = fd
        self.size = UInt64(st.st_size)
    }

    /// The file of an `AudioSource`, through a new descriptor at its start.
    init(duplicating source: AudioSource) throws(AudioIOError) {
        let (fd, size) = try source.duplicateDescriptor()
        self.path = source.path
        self.fd = fd
        self.size = size
    }

    private static func openError(_ code: Int32, path: String, expecting: String) -> AudioIOError {
        switch code {
        case ENOENT, ENOTDIR:
            // A name that reached TrackGate with bytes that are not UTF-8 (a Latin-1
            // name, say) had them replaced by U+FFFD on the way: that name does not exist.
            path.unicodeScalars.contains("\u{FFFD}")
                ? AudioIOError(.missing, path: path, detail: "no such file: the name as given is not valid UTF-8 (Latin-1?), "
                    + "which TrackGate cannot open; rename the file to UTF-8 (convmv -f latin1 -t utf-8 --notest NAME)")
                : AudioIOError(.missing, path: path, detail: "no such file")
        case EACCES, EPERM: AudioIOError(.unreadable, path: path, detail: "permission denied")
        case EISDIR: AudioIOError(.unreadable, path: path, detail: "is a folder, not \(expecting)")
        default: AudioIOError(.unreadable, path: path, detail: SystemCall.describe(code))
        }
    }

    /// The descriptor, for reads that do not take ownership (`pread`).
    var descriptor: Int32 { fd }

    /// Hands the descriptor to a new owner, which must close it.
    consuming func take() -> Int32 {
        let taken = fd
        fd = -1
        return taken
    }

    deinit { if fd >= 0 { close(fd) } }
}

/// Whole small files (requests, task answers, manifests, policies), read with
/// the same care as audio: a FIFO or a device is refused before anything reads
/// from it, and a file larger than the caller's limit is refused unread.
public enum RegularFile {
    /// The bytes of `path`.
    ///
    /// - Parameters:
    ///   - limit: the largest size accepted, in bytes.
    ///   - expecting: what the file should be, for messages ("a JSON file").
    /// - Throws: `.missing`, `.unreadable` (a folder, a FIFO, a device, no
    ///   permission), `.tooLarge` (over `limit`, nothing read), `.readFailed`.
    public static func contents(of path: String, limit: Int, expecting: String) throws(AudioIOError) -> [UInt8] {
        let input = try InputFile(path: path, allowEmpty: true, expecting: expecting)
        guard input.size <= UInt64(limit) else {
            throw AudioIOError(.tooLarge, path: path, detail: "is \(input.size) bytes, more than the \(limit) this input may have")
        }
        var bytes = [UInt8](repeating: 0, count: Int(input.size))
        let got = bytes.withUnsafeMutableBytes { SystemCall.pread(input.descriptor, $0, offset: 0) }
        guard got >= 0 else { throw AudioIOError(.readFailed, path: path, detail: SystemCall.describe(errno)) }
        return Array(bytes.prefix(got))
    }
}
