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
    /// (where libsndfile puts tags set before writing) with `text`, which may be
    /// shorter. The value then ends where `text` does, with no padding a reader
    /// would show: in RIFF INFO the rest of the reserved space is NUL bytes (INFO
    /// strings end at their first NUL); in a FLAC Vorbis comment the entry and its
    /// block shrink and the freed bytes become a PADDING block, which needs 4 of
    /// them (reserve at least 4 more than any text), as `metaflac` would leave it.
    /// - Returns: how many occurrences were replaced.
    @discardableResult
    public static func replaceText(_ placeholder: String, with text: String, path: String) throws(AudioIOError) -> Int {
        let old = Array(placeholder.utf8), new = Array(text.utf8)
        guard new.count <= old.count, !old.isEmpty else {
            throw AudioIOError(.invalidArgument, path: path,
                               detail: "a tag patch must fit its reserved space (\(old.count) bytes, got \(new.count))")
        }
        let file = try PatchedFile(path: path)
        var head = [UInt8](repeating: 0, count: 256 * 1024)
        let n = try file.read(&head, at: 0)
        let isFLAC = n >= 4 && head[0..<4].elementsEqual("fLaC".utf8)
        var count = 0
        var i = 0
        while i + old.count <= n {
            if head[i] == old[0] && head[i ..< i + old.count].elementsEqual(old) {
                if isFLAC && new.count < old.count {
                    try shrinkVorbisComment(in: file, at: i, removing: old.count - new.count, replacement: new)
                    // The bytes after the patch moved; read again before looking further.
                    _ = try file.read(&head, at: 0)
                } else {
                    try file.write(new + [UInt8](repeating: 0, count: old.count - new.count), at: i)
                }
                count += 1
                i += old.count
            } else {
                i += 1
            }
        }
        return count
    }

    /// Rewrites the FLAC VORBIS_COMMENT block holding byte `offset` so the entry
    /// there carries `replacement` in place of `removing` + its length bytes, and
    /// turns the freed bytes into a PADDING block right after it.
    private static func shrinkVorbisComment(in file: borrowing PatchedFile, at offset: Int, removing slack: Int,
                                            replacement: [UInt8]) throws(AudioIOError) {
        func damaged(_ what: String) -> AudioIOError {
            AudioIOError(.writeFailed, path: file.path, detail: "cannot update its Vorbis comment: \(what)")
        }
        guard slack >= 4 else { throw damaged("\(slack) bytes freed, a PADDING block needs 4") }
        var position = 4
        var header = [UInt8](repeating: 0, count: 4)
        while true {
            guard try file.read(&header, at: position) == 4 else { throw damaged("no metadata block holds the text") }
            let last = header[0] & 0x80 != 0, type = header[0] & 0x7F
            let length = Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
            let body = position + 4
            if type == 4, offset >= body, offset < body + length {
                var block = [UInt8](repeating: 0, count: length)
                guard try file.read(&block, at: body) == length else { throw damaged("the block is cut short") }
                func le32(_ at: Int) -> Int {
                    Int(block[at]) | Int(block[at + 1]) << 8 | Int(block[at + 2]) << 16 | Int(block[at + 3]) << 24
                }
                // Vendor string, entry count, then length-prefixed entries.
                var p = 4 + le32(0) + 4
                let start = offset - body
                while p + 4 <= block.count {
                    let size = le32(p)
                    if start >= p + 4, start + replacement.count + slack <= p + 4 + size {
                        let newSize = size - slack
                        var rebuilt = Array(block[..<p])
                        rebuilt += [UInt8(newSize & 0xFF), UInt8(newSize >> 8 & 0xFF), UInt8(newSize >> 16 & 0xFF), UInt8(newSize >> 24)]
                        rebuilt += block[(p + 4) ..< start] + replacement + block[(start + replacement.count + slack)...]
                        let shrunk = rebuilt.count
                        let padding = slack - 4
                        let newHeader: [UInt8] = [type, UInt8(shrunk >> 16 & 0xFF), UInt8(shrunk >> 8 & 0xFF), UInt8(shrunk & 0xFF)]
                        let paddingHeader: [UInt8] = [(last ? 0x80 : 0) | 1, UInt8(padding >> 16 & 0xFF),
                                                      UInt8(padding >> 8 & 0xFF), UInt8(padding & 0xFF)]
                        try file.write(newHeader + rebuilt + paddingHeader + [UInt8](repeating: 0, count: padding), at: position)
                        return
                    }
                    p += 4 + size
                }
                throw damaged("no comment entry holds the text")
            }
            guard !last else { throw damaged("no metadata block holds the text") }
            position = body + length
        }
    }

    /// Makes a RIFF/WAVE file's RIFF size field match the file (its size less
    /// 8 bytes). libsndfile 1.2.0 leaves the size of its first header in the
    /// field when no frame was written, though the chunks after it (INFO, bext,
    /// an empty `data`) are written: a 0-frame file of 1,110 bytes said 772.
    /// Other files, and RIFF files over 4 GiB, are left as they are.
    public static func correctRIFFSize(path: String) throws(AudioIOError) {
        let file = try PatchedFile(path: path)
        var header = [UInt8](repeating: 0, count: 12)
        guard try file.read(&header, at: 0) == 12, header[0..<4] == Array("RIFF".utf8)[...],
              header[8..<12] == Array("WAVE".utf8)[...] else { return }
        var st = stat()
        guard fstat(file.fd, &st) == 0, st.st_size >= 8, st.st_size - 8 <= off_t(UInt32.max) else { return }
        let size = UInt32(st.st_size - 8)
        let stored = UInt32(header[4]) | UInt32(header[5]) << 8 | UInt32(header[6]) << 16 | UInt32(header[7]) << 24
        guard stored != size else { return }
        try file.write([UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24)], at: 4)
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
