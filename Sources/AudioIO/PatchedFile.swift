#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A finished file opened for reading and writing in place (its metadata is
/// being updated before it takes its final name); closed when dropped.
struct PatchedFile: ~Copyable {
    let path: String
    let fd: Int32

    init(path: String, readOnly: Bool = false) throws(AudioIOError) {
        self.path = path
        fd = open(path, readOnly ? O_RDONLY : O_RDWR)
        guard fd >= 0 else {
            throw AudioIOError(readOnly ? .unreadable : .writeFailed, path: path,
                               detail: "cannot open it\(readOnly ? "" : " to update its tags"): \(SystemCall.describe(errno))")
        }
    }

    deinit { close(fd) }

    /// The file's length in bytes.
    func size() throws(AudioIOError) -> Int {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw AudioIOError(.readFailed, path: path, detail: SystemCall.describe(errno)) }
        return Int(st.st_size)
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many there were.
    func read(_ buffer: inout [UInt8], at offset: Int) throws(AudioIOError) -> Int {
        let n = buffer.withUnsafeMutableBytes { SystemCall.pread(fd, $0, offset: UInt64(offset)) }
        guard n >= 0 else { throw AudioIOError(.readFailed, path: path, detail: SystemCall.describe(errno)) }
        return n
    }

    /// Exactly `count` bytes at `offset`, or an error saying the file ends before them.
    func bytes(_ count: Int, at offset: Int, what: String) throws(AudioIOError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        guard try read(&buffer, at: offset) == count else {
            throw AudioIOError(.truncated, path: path, detail: "the file ends inside its \(what)")
        }
        return buffer
    }

    func write(_ bytes: [UInt8], at offset: Int) throws(AudioIOError) {
        if let failure = bytes.withUnsafeBytes({ SystemCall.writeAll(fd, $0, offset: UInt64(offset)) }) {
            throw AudioIOError(.writeFailed, path: path, detail: "cannot update its tags: \(SystemCall.describe(failure))")
        }
    }

    /// Replaces bytes `range` with `replacement`, moving everything after the
    /// range forward or back: the file grows or shrinks by the difference.
    /// Memory stays at one chunk whatever the file's size.
    func replace(_ range: Range<Int>, with replacement: [UInt8]) throws(AudioIOError) {
        let total = try size()
        precondition(range.lowerBound >= 0 && range.upperBound <= total, "range outside the file")
        let shift = replacement.count - range.count
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        if shift > 0 {
            // Growing: move the tail from its end backwards, so nothing is overwritten before it is read.
            var end = total
            while end > range.upperBound {
                let start = max(range.upperBound, end - chunk)
                var piece = [UInt8](repeating: 0, count: end - start)
                _ = try read(&piece, at: start)
                try write(piece, at: start + shift)
                end = start
            }
        } else if shift < 0 {
            var start = range.upperBound
            while start < total {
                let n = try read(&buffer, at: start)
                if n == 0 { break }
                try write(Array(buffer[..<n]), at: start + shift)
                start += n
            }
            guard ftruncate(fd, off_t(total + shift)) == 0 else {
                throw AudioIOError(.writeFailed, path: path, detail: "cannot shorten it: \(SystemCall.describe(errno))")
            }
        }
        try write(replacement, at: range.lowerBound)
    }
}
