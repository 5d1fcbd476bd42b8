#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX calls AudioIO makes on descriptors it owns, each retried when a
/// signal interrupts it (EINTR) and read to completion where a short count is
/// not an answer.
enum SystemCall {
    /// Reads up to `buffer.count` bytes at `offset`, continuing after short reads
    /// until the buffer is full or the file ends. Returns the bytes read, or -1
    /// with `errno` set.
    static func pread(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, offset: UInt64) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            #if canImport(Glibc)
            let got = Glibc.pread(fd, base + done, buffer.count - done, off_t(offset + UInt64(done)))
            #else
            let got = Darwin.pread(fd, base + done, buffer.count - done, off_t(offset + UInt64(done)))
            #endif
            if got < 0 {
                if errno == EINTR { continue }
                return done > 0 ? done : -1
            }
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// Writes all of `bytes`, at `offset` (pwrite) or at the descriptor's
    /// position (write), continuing after short writes and interruptions.
    /// Returns nil when everything was written, or the `errno` of the failure.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, offset: UInt64? = nil) -> Int32? {
        guard let base = bytes.baseAddress else { return nil }
        var done = 0
        while done < bytes.count {
            let n: Int
            if let offset {
                n = pwrite(fd, base + done, bytes.count - done, off_t(offset + UInt64(done)))
            } else {
                #if canImport(Glibc)
                n = Glibc.write(fd, base + done, bytes.count - done)
                #else
                n = Darwin.write(fd, base + done, bytes.count - done)
                #endif
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return n == 0 ? EIO : errno }
            done += n
        }
        return nil
    }

    /// The result of `call`, made again while a signal interrupts it (EINTR);
    /// negative with `errno` set when it fails otherwise.
    @inline(__always)
    static func retryingInterrupts(_ call: () -> Int32) -> Int32 {
        var result: Int32
        repeat { result = call() } while result < 0 && errno == EINTR
        return result
    }

    /// `strerror` for an `errno` value, as a sentence fragment.
    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
