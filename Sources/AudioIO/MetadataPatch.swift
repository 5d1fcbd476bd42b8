#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// In-place updates of metadata whose values are known only after the audio is
/// written: the loudness of the finished file.
///
/// libsndfile takes every tag before the first frame (FLAC drops later ones), so
/// a writer reserves fixed-width space (a placeholder of the final text's exact
/// length, the bext loudness fields) and the values are written into that space
/// once the closed file has been measured, before it takes its final name.
/// FLAC checksums cover the audio only, and RIFF has none, so the patched files
/// stay valid; nothing moves, only bytes of equal length change.
public enum MetadataPatch {
    /// Replaces every occurrence of `placeholder` in the file's first 256 KiB
    /// (where libsndfile puts tags set before writing) with `text` of the same UTF-8 length.
    /// - Returns: how many occurrences were replaced.
    @discardableResult
    public static func replaceText(_ placeholder: String, with text: String, path: String) throws(AudioIOError) -> Int {
        let old = Array(placeholder.utf8), new = Array(text.utf8)
        guard old.count == new.count, !old.isEmpty else {
            throw AudioIOError(.invalidArgument, path: path, detail: "a tag patch must keep its length (\(old.count) bytes, got \(new.count))")
        }
        let file = try PatchedFile(path: path)
        var head = [UInt8](repeating: 0, count: 256 * 1024)
        let n = try file.read(&head, at: 0)
        var count = 0
        var i = 0
        while i + old.count <= n {
            if head[i] == old[0] && Array(head[i ..< i + old.count]) == old {
                try file.write(new, at: i)
                count += 1
                i += old.count
            } else {
                i += 1
            }
        }
        return count
    }

    /// Writes the EBU Tech 3285 version-2 loudness fields into the `bext` chunk
    /// of a RIFF/WAVE file (which must already have one).
    public static func setLoudness(_ loudness: BroadcastInfo.Loudness, path: String) throws(AudioIOError) {
        let file = try PatchedFile(path: path)
        var header = [UInt8](repeating: 0, count: 12)
        guard try file.read(&header, at: 0) == 12, header[0..<4] == Array("RIFF".utf8)[...], header[8..<12] == Array("WAVE".utf8)[...] else {
            throw AudioIOError(.invalidArgument, path: path, detail: "not a RIFF/WAVE file")
        }
        var offset = 12
        var chunk = [UInt8](repeating: 0, count: 8)
        while try file.read(&chunk, at: offset) == 8 {
            let size = Int(chunk[4]) | Int(chunk[5]) << 8 | Int(chunk[6]) << 16 | Int(chunk[7]) << 24
            if chunk[0..<4] == Array("bext".utf8)[...] {
                guard size >= 422 else { break }
                // Version (offset 346) becomes 2; the five loudness fields start at 412.
                var fields: [UInt8] = [2, 0]
                try file.write(fields, at: offset + 8 + 346)
                fields = []
                for value in [loudness.integratedLUFS, loudness.rangeLU, loudness.maxTruePeakDBTP,
                              loudness.maxMomentaryLUFS, loudness.maxShortTermLUFS] {
                    let v = UInt16(bitPattern: BroadcastInfo.Loudness.hundredths(value))
                    fields += [UInt8(v & 0xFF), UInt8(v >> 8)]
                }
                try file.write(fields, at: offset + 8 + 412)
                return
            }
            offset += 8 + size + (size & 1)
        }
        throw AudioIOError(.invalidArgument, path: path, detail: "no bext chunk to hold the loudness")
    }
}

/// A file opened for reading and writing in place, closed when dropped.
private struct PatchedFile: ~Copyable {
    let path: String
    let fd: Int32

    init(path: String) throws(AudioIOError) {
        self.path = path
        fd = open(path, O_RDWR)
        guard fd >= 0 else {
            throw AudioIOError(.writeFailed, path: path, detail: "cannot open to update its tags: \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    func read(_ buffer: inout [UInt8], at offset: Int) throws(AudioIOError) -> Int {
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
        guard n >= 0 else { throw AudioIOError(.readFailed, path: path, detail: String(cString: strerror(errno))) }
        return n
    }

    func write(_ bytes: [UInt8], at offset: Int) throws(AudioIOError) {
        let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(offset)) }
        guard n == bytes.count else {
            throw AudioIOError(.writeFailed, path: path, detail: "cannot update its tags: \(String(cString: strerror(errno)))")
        }
    }
}
