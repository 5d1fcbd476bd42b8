#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads just enough of a file's bytes to explain what libsndfile will not:
/// whether a RIFF/RF64/AIFF header announces more audio than the file holds
/// (libsndfile silently shortens such files), and what a file that is not audio
/// looks like (a saved HTML error page is the classic failed download).
struct ContainerProbe {
    /// The family of the first bytes.
    enum Magic: Equatable {
        case riff, rf64, aiff, flac, ogg, mp3, mp4, html, json, xml, text, unknown
    }

    /// The audio payload a header announces against the bytes actually present.
    struct DataExtent: Equatable {
        var declaredBytes: UInt64
        var availableBytes: UInt64
        /// True when the outer RIFF/FORM size also claims the missing bytes: the
        /// header was written for a longer file, which was then cut off.
        var outerSizeAgrees: Bool
    }

    enum Finding: Equatable {
        /// Nothing to report from the bytes alone.
        case fine
        /// The header ends inside a chunk, before the audio starts.
        case headerCut(String)
        /// The data chunk announces more bytes than remain in the file.
        case dataShort(DataExtent)
    }

    let fileSize: UInt64
    let magic: Magic
    let finding: Finding

    init(fd: Int32, fileSize: UInt64) {
        self.fileSize = fileSize
        var head = [UInt8](repeating: 0, count: 512)
        let got = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 512, 0) }
        head = Array(head.prefix(max(0, got)))
        magic = Self.classify(head)
        switch magic {
        case .riff, .rf64: finding = Self.walkRIFF(fd: fd, fileSize: fileSize, rf64: magic == .rf64)
        case .aiff: finding = Self.walkAIFF(fd: fd, fileSize: fileSize)
        default: finding = .fine
        }
    }

    /// A phrase for a file libsndfile did not recognise.
    var notAudioExplanation: String {
        switch magic {
        case .html: "not audio: the file is an HTML page (a failed or redirected download?)"
        case .json: "not audio: the file is JSON text (an API error response saved as audio?)"
        case .xml: "not audio: the file is XML text (a storage error response saved as audio?)"
        case .text: "not audio: the file is plain text"
        case .mp4: "unsupported format: MP4/M4A (AAC or ALAC) is not readable by libsndfile; convert it to WAV or FLAC"
        case .riff, .rf64, .aiff, .flac, .ogg, .mp3: "damaged header: the file starts like audio but cannot be decoded"
        case .unknown: "not audio: format not recognised"
        }
    }

    private static func classify(_ head: [UInt8]) -> Magic {
        func starts(_ s: String) -> Bool { head.starts(with: Array(s.utf8)) }
        if starts("RIFF") || starts("RIFX") { return .riff }
        if starts("RF64") || starts("BW64") { return .rf64 }
        if starts("FORM"), head.count >= 12,
           head[8..<12].elementsEqual("AIFF".utf8) || head[8..<12].elementsEqual("AIFC".utf8) { return .aiff }
        if starts("fLaC") { return .flac }
        if starts("OggS") { return .ogg }
        if head.count >= 8, head[4..<8].elementsEqual("ftyp".utf8) { return .mp4 }
        if starts("ID3") || (head.count >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0) { return .mp3 }
        // Text sniffing: skip a UTF-8 BOM and leading white space.
        var body = head[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        body = body.drop { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
        let lower = String(decoding: body.prefix(64), as: UTF8.self).lowercased()
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") || lower.hasPrefix("<head") { return .html }
        if lower.hasPrefix("<?xml") || lower.hasPrefix("<error") { return .xml }
        if lower.hasPrefix("{") || lower.hasPrefix("[") { return .json }
        let printable = body.prefix(256).allSatisfy { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || ($0 >= 0x20 && $0 != 0x7F) }
        if !body.isEmpty && printable { return .text }
        return .unknown
    }

    private static func read(_ fd: Int32, _ count: Int, at offset: UInt64) -> [UInt8]? {
        var buf = [UInt8](repeating: 0, count: count)
        let got = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        return got == count ? buf : nil
    }

    private static func le32(_ b: [UInt8], _ i: Int) -> UInt64 {
        UInt64(b[i]) | UInt64(b[i + 1]) << 8 | UInt64(b[i + 2]) << 16 | UInt64(b[i + 3]) << 24
    }

    private static func be32(_ b: [UInt8], _ i: Int) -> UInt64 {
        UInt64(b[i]) << 24 | UInt64(b[i + 1]) << 16 | UInt64(b[i + 2]) << 8 | UInt64(b[i + 3])
    }

    private static func le64(_ b: [UInt8], _ i: Int) -> UInt64 { le32(b, i) | le32(b, i + 4) << 32 }

    /// Walks RIFF chunks up to `data`. RF64 keeps the true sizes in `ds64`.
    private static func walkRIFF(fd: Int32, fileSize: UInt64, rf64: Bool) -> Finding {
        guard let header = read(fd, 12, at: 0) else { return .headerCut("the file ends inside the RIFF header") }
        var outerDeclared = le32(header, 4) + 8
        var ds64DataSize: UInt64?
        var offset: UInt64 = 12
        while true {
            guard let chunk = read(fd, 8, at: offset) else {
                return .headerCut("the file ends after \(offset) bytes, before the audio data chunk")
            }
            let id = String(decoding: chunk[0..<4], as: UTF8.self)
            let size = le32(chunk, 4)
            if rf64, id == "ds64", let ds = read(fd, 24, at: offset + 8) {
                outerDeclared = le64(ds, 0) + 8
                ds64DataSize = le64(ds, 8)
            }
            if id == "data" {
                var declared = size
                if rf64, size == 0xFFFF_FFFF, let ds = ds64DataSize { declared = ds }
                // A streaming writer that could not seek back leaves 0 or 0xFFFFFFFF:
                // the length is unknown rather than wrong, and readers take it to EOF.
                if declared == 0 || declared == 0xFFFF_FFFF { return .fine }
                let available = fileSize - min(fileSize, offset + 8)
                guard declared > available else { return .fine }
                return .dataShort(DataExtent(declaredBytes: declared, availableBytes: available,
                                             outerSizeAgrees: outerDeclared > fileSize
                                                 && outerDeclared >= offset + 8 + declared))
            }
            let next = offset + 8 + size + (size & 1)
            if next > fileSize {
                return .headerCut("the '\(id.trimmingTrailingSpaces)' chunk at byte \(offset) runs past the end of the file")
            }
            offset = next
        }
    }

    /// Walks AIFF chunks up to `SSND` (big-endian sizes; SSND carries 8 bytes of offset/block size).
    private static func walkAIFF(fd: Int32, fileSize: UInt64) -> Finding {
        guard let header = read(fd, 12, at: 0) else { return .headerCut("the file ends inside the AIFF header") }
        let outerDeclared = be32(header, 4) + 8
        var offset: UInt64 = 12
        while true {
            guard let chunk = read(fd, 8, at: offset) else {
                return .headerCut("the file ends after \(offset) bytes, before the sound data chunk")
            }
            let id = String(decoding: chunk[0..<4], as: UTF8.self)
            let size = be32(chunk, 4)
            if id == "SSND" {
                let declared = size >= 8 ? size - 8 : 0
                let available = fileSize - min(fileSize, offset + 16)
                guard declared > available else { return .fine }
                return .dataShort(DataExtent(declaredBytes: declared, availableBytes: available,
                                             outerSizeAgrees: outerDeclared > fileSize
                                                 && outerDeclared >= offset + 16 + declared))
            }
            let next = offset + 8 + size + (size & 1)
            if next > fileSize {
                return .headerCut("the '\(id.trimmingTrailingSpaces)' chunk at byte \(offset) runs past the end of the file")
            }
            offset = next
        }
    }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
