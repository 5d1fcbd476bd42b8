#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that appears under its final name only once it is complete.
///
/// Bytes go to a hidden temporary (`.NAME.XXXXXX.partial`) in the destination
/// folder, so the final rename stays on one file system and is atomic: a reader,
/// or a process killed half-way, never sees a partial file under the final name.
/// Without `replaceExisting` an existing file is never replaced (an input, say);
/// the check and the placement are one `link(2)`, so no race can slip in between.
///
/// The writer holds an exclusive `flock(2)` on its temporary until it closes it,
/// and the kernel drops the lock when the process dies: a temporary nobody can
/// lock is being written, one that can be locked was left by a killed run
/// (`AtomicFile.removeIfAbandoned`). Two runs writing into one folder (shards,
/// or the same batch started twice) thus never remove each other's live files.
struct AtomicOutputFile: ~Copyable {
    let finalPath: String
    let temporaryPath: String
    let descriptor: Int32
    let replaceExisting: Bool
    private var committed = false

    init(path: String, replaceExisting: Bool) throws(AudioIOError) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw AudioIOError(.invalidArgument, path: path, detail: "output path names a folder, not a file") }
        if !replaceExisting && access(path, F_OK) == 0 {
            throw AudioIOError(.writeFailed, path: path, detail: "already exists; not replacing it")
        }
        var attempt = 0
        while true {
            var template = Array("\(folder)/.\(AtomicFile.temporaryStem(of: name)).XXXXXX.partial".utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 8) }
            guard fd >= 0 else {
                let reason = String(cString: strerror(errno))
                throw AudioIOError(.writeFailed, path: path, detail: "cannot create a file in \(folder): \(reason)")
            }
            let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            // A file system without locks (some FUSE and SMB mounts; NFS without
            // lockd) fails flock: the file is written unlocked, as before locks.
            // Between mkstemps and flock another run could find the file unlocked
            // and remove it as abandoned: then the name no longer leads here.
            _ = SystemCall.retryingInterrupts { flock(fd, LOCK_EX) }
            if AtomicFile.names(fd, temporary) {
                // mkstemp creates 0600; a delivery file should be readable like any other.
                fchmod(fd, 0o644)
                self.finalPath = path
                self.temporaryPath = temporary
                self.descriptor = fd
                self.replaceExisting = replaceExisting
                return
            }
            close(fd)
            attempt += 1
            guard attempt < 10 else {
                throw AudioIOError(.writeFailed, path: path, detail: "cannot keep a temporary file in \(folder): another "
                    + "process keeps removing them")
            }
        }
    }

    /// Appends `raw` to the temporary.
    func write(_ raw: UnsafeRawBufferPointer) throws(AudioIOError) {
        if let failure = SystemCall.writeAll(descriptor, raw) {
            throw AudioIOError(.writeFailed, path: finalPath, detail: "writing failed: \(SystemCall.describe(failure))")
        }
    }

    /// Flushes to disk and moves the file to its final name.
    consuming func commit() throws(AudioIOError) {
        guard fsync(descriptor) == 0 else {
            throw AudioIOError(.writeFailed, path: finalPath, detail: "cannot flush to disk: \(String(cString: strerror(errno)))")
        }
        let placed = replaceExisting ? rename(temporaryPath, finalPath) : link(temporaryPath, finalPath)
        guard placed == 0 else {
            let code = errno
            let reason = code == EEXIST ? "already exists; not replacing it" : String(cString: strerror(code))
            throw AudioIOError(.writeFailed, path: finalPath, detail: reason)
        }
        committed = true
        if !replaceExisting { unlink(temporaryPath) }
    }

    deinit {
        // Unlinked while still locked, so no other run takes it for abandoned meanwhile.
        if !committed { unlink(temporaryPath) }
        close(descriptor)
    }
}

/// A file written in pieces (a report of thousands of lines) that appears
/// under its name only once `commit` is called: a run killed half-way leaves
/// the earlier file, or none, never half a report.
public struct AtomicFileStream: ~Copyable {
    private let file: AtomicOutputFile

    public init(path: String, replaceExisting: Bool) throws(AudioIOError) {
        file = try AtomicOutputFile(path: path, replaceExisting: replaceExisting)
    }

    public func write(_ bytes: [UInt8]) throws(AudioIOError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(AudioIOError) in try write(raw) } }
        try result.get()
    }

    public func write(_ raw: UnsafeRawBufferPointer) throws(AudioIOError) {
        try file.write(raw)
    }

    /// Flushes and moves the file to its name.
    public consuming func commit() throws(AudioIOError) {
        try file.commit()
    }
}

/// Whole-file writes with the same guarantees as audio outputs: complete under
/// the final name or absent, and an existing file replaced only when asked.
public enum AtomicFile {
    /// The longest file name common file systems take (ext4, XFS, APFS, NTFS: 255 bytes).
    static let maximumNameBytes = 255

    /// The part of a temporary's name that stands for its final name: the name
    /// itself, or for a name too long to take `.` and `.XXXXXX.partial` (over
    /// 239 bytes) its first bytes, `~` and 16 hex digits of its SHA-256.
    public static func temporaryStem(of name: String) -> String {
        let extra = ".".utf8.count + ".XXXXXX.partial".utf8.count
        guard name.utf8.count + extra > maximumNameBytes else { return name }
        let keep = maximumNameBytes - extra - 17
        var prefix = ""
        for character in name.unicodeScalars {
            guard prefix.utf8.count + String(character).utf8.count <= keep else { break }
            prefix.unicodeScalars.append(character)
        }
        return prefix + "~" + ContentDigest.sha256(name).prefix(16)
    }

    /// The stem of a temporary's name (`.STEM.XXXXXX.partial` -> `STEM`; the
    /// final name itself unless it is very long, see `temporaryStem(of:)`), or
    /// nil when `name` is not one of TrackGate's temporaries.
    public static func finalName(ofTemporary name: String) -> String? {
        guard name.hasPrefix("."), name.hasSuffix(".partial") else { return nil }
        let core = name.dropFirst().dropLast(".partial".count)
        guard let dot = core.lastIndex(of: "."), core.distance(from: dot, to: core.endIndex) == 7 else { return nil }
        let final = core[..<dot]
        return final.isEmpty ? nil : String(final)
    }

    /// True when `path` names the file open as `fd` (same device and inode).
    static func names(_ fd: Int32, _ path: String) -> Bool {
        var open = stat()
        var named = stat()
        guard fstat(fd, &open) == 0, lstat(path, &named) == 0 else { return false }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }

    /// Removes the temporary at `path` if no process is writing it (its writer
    /// was killed); leaves it when a writer holds its lock.
    ///
    /// - Returns: whether the file was removed.
    @discardableResult
    public static func removeIfAbandoned(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0, names(fd, path) else { return false }
        return unlink(path) == 0
    }

    /// Removes the temporaries killed writers of `path` left beside it; those
    /// of live writers (another run into the same folder) stay.
    public static func removeTemporaries(of path: String) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let stem = temporaryStem(of: name)
        guard let directory = opendir(folder.isEmpty ? "/" : folder) else { return }
        defer { closedir(directory) }
        var leftovers: [String] = []
        while let entry = readdir(directory) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if finalName(ofTemporary: entryName) == stem { leftovers.append(entryName) }
        }
        for leftover in leftovers { removeIfAbandoned("\(folder)/\(leftover)") }
    }

    public static func write(_ bytes: [UInt8], to path: String, replaceExisting: Bool) throws(AudioIOError) {
        let stream = try AtomicFileStream(path: path, replaceExisting: replaceExisting)
        try stream.write(bytes)
        try stream.commit()
    }
}
