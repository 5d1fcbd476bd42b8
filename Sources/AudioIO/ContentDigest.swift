import CCrypto
#if canImport(Glibc)
import Glibc
#endif

/// A streaming SHA-256 (FIPS 180-4) of bytes or of a file's content, as
/// lowercase hex. Batch runs use it to tell whether an input is the one an
/// earlier run processed, whatever its name or timestamp says.
///
/// The one owner of an OpenSSL `EVP_MD_CTX`, freed in `deinit`.
public struct ContentDigest: ~Copyable {
    private let context: OpaquePointer

    public init() {
        // Allocation of a few bytes and the init of a built-in digest fail only
        // when the process is out of memory.
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            fatalError("OpenSSL cannot start a SHA-256 digest (out of memory)")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    public mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// The digest of everything added, as 64 lowercase hex digits.
    public consuming func hex() -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(Int(length) * 2)
        for byte in digest.prefix(Int(length)) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// SHA-256 of a string's UTF-8 bytes.
    public static func sha256(_ text: String) -> String {
        var digest = ContentDigest()
        digest.update(text)
        return digest.hex()
    }

    /// SHA-256 of a file's bytes, read in 1 MiB blocks. A FIFO or a device is
    /// refused before anything reads from it (`InputFile`): it could block or never end.
    public static func sha256(file path: String) throws(AudioIOError) -> String {
        try sha256(of: InputFile(path: path, allowEmpty: true))
    }

    /// SHA-256 of the file an `AudioSource` holds open: the bytes the job reads,
    /// whatever the path leads to now.
    public static func sha256(source: AudioSource) throws(AudioIOError) -> String {
        try sha256(of: InputFile(duplicating: source))
    }

    private static func sha256(of input: borrowing InputFile) throws(AudioIOError) -> String {
        let path = input.path
        let fd = input.descriptor
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        var digest = ContentDigest()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw AudioIOError(errno == EISDIR ? .unreadable : .readFailed, path: path, detail: String(cString: strerror(errno)))
            }
            digest.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return digest.hex()
    }
}
