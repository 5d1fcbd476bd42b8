import CSndFile
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libsndfile reading one file through its descriptor (`tg_source`): the owner of
/// the `SNDFILE` handle, the source state libsndfile points into, and the descriptor.
final class SndFileDecoder: FrameDecoder {
    let handle: OpaquePointer
    private let source: UnsafeMutablePointer<tg_source>
    private let channels: Int
    /// Interleaved frames as libsndfile hands them out: `Int16` for 16-bit PCM
    /// (scaled while deinterleaving), `Float` otherwise; bound to that type once.
    private let scratch: UnsafeMutableRawPointer
    private let scratchFrames = 8192
    private let shorts: Bool
    /// Float PCM can hold any value; see `SoundFile.largestSample`.
    private let floatPCM: Bool

    /// Opens the file libsndfile-side, serving `patches` over the file's own bytes.
    ///
    /// - Returns: the decoder and libsndfile's description, or why the open failed.
    static func open(fd: Int32, size: UInt64, patches: [ContainerProbe.Patch])
        -> Result<(SndFileDecoder, SF_INFO), LibSndFile.OpenFailure> {
        let source = UnsafeMutablePointer<tg_source>.allocate(capacity: 1)
        source.initialize(to: tg_source())
        source.pointee.fd = fd
        source.pointee.length = sf_count_t(size)
        for patch in patches.prefix(Int(TG_MAX_PATCHES)) {
            precondition(patch.bytes.count <= 8, "a header patch is a size field of at most 8 bytes")
            let i = Int(source.pointee.patch_count)
            withUnsafeMutableBytes(of: &source.pointee.patch_offset) {
                $0.storeBytes(of: sf_count_t(patch.offset), toByteOffset: i * MemoryLayout<sf_count_t>.stride, as: sf_count_t.self)
            }
            withUnsafeMutableBytes(of: &source.pointee.patch_size) {
                $0.storeBytes(of: Int32(patch.bytes.count), toByteOffset: i * MemoryLayout<Int32>.stride, as: Int32.self)
            }
            withUnsafeMutableBytes(of: &source.pointee.patch_bytes) { all in
                for (k, byte) in patch.bytes.prefix(8).enumerated() { all[i * 8 + k] = byte }
            }
            source.pointee.patch_count += 1
        }
        var info = SF_INFO()
        switch LibSndFile.open(source: source, info: &info) {
        case .success(let handle):
            return .success((SndFileDecoder(handle: handle, source: source, info: info), info))
        case .failure(let failure):
            source.deinitialize(count: 1)
            source.deallocate()
            return .failure(failure)
        }
    }

    private init(handle: OpaquePointer, source: UnsafeMutablePointer<tg_source>, info: SF_INFO) {
        self.handle = handle
        self.source = source
        self.channels = Int(max(1, info.channels))
        let sub = Int(info.format) & Int(SF_FORMAT_SUBMASK)
        self.shorts = sub == Int(SF_FORMAT_PCM_16) && Int(info.format) & Int(SF_FORMAT_TYPEMASK) != Int(SF_FORMAT_FLAC)
        self.floatPCM = sub == Int(SF_FORMAT_FLOAT) || sub == Int(SF_FORMAT_DOUBLE)
        let bytes = scratchFrames * channels * (shorts ? 2 : 4)
        scratch = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
        if shorts {
            scratch.bindMemory(to: Int16.self, capacity: scratchFrames * channels)
        } else {
            scratch.bindMemory(to: Float.self, capacity: scratchFrames * channels)
        }
        // Integer PCM beyond full scale cannot exist; float files keep their values.
        sf_command(handle, Int32(SFC_SET_NORM_FLOAT), nil, Int32(SF_TRUE))
    }

    /// Float samples beyond `SoundFile.largestSample` become NaN: every stage
    /// then treats them as the broken samples they are (counted, measured as silence).
    private static func markAbsurd(_ planar: UnsafeMutableBufferPointer<Float>, capacity: Int, channels: Int, range: Range<Int>) {
        let limit = SoundFile.largestSample
        for c in 0..<channels {
            for i in range where abs(planar[c * capacity + i]) > limit { planar[c * capacity + i] = .nan }
        }
    }

    deinit {
        sf_close(handle)
        let fd = source.pointee.fd
        source.deinitialize(count: 1)
        source.deallocate()
        scratch.deallocate()
        close(fd)
    }

    func decode(into planar: UnsafeMutableBufferPointer<Float>, capacity: Int, at offset: Int,
                frames: Int) throws(DecoderFailure) -> Int {
        let want = min(frames, scratchFrames)
        let got: Int
        if shorts {
            let samples = scratch.assumingMemoryBound(to: Int16.self)
            got = Int(sf_readf_short(handle, samples, sf_count_t(want)))
            if got > 0 {
                Deinterleave.shorts(samples, frames: got, channels: channels, into: planar, capacity: capacity, at: offset)
            }
        } else {
            let samples = scratch.assumingMemoryBound(to: Float.self)
            got = Int(sf_readf_float(handle, samples, sf_count_t(want)))
            if got > 0 {
                Deinterleave.floats(samples, frames: got, channels: channels, into: planar, capacity: capacity, at: offset)
                if floatPCM { Self.markAbsurd(planar, capacity: capacity, channels: channels, range: offset ..< offset + got) }
            }
        }
        if got <= 0, let message = LibSndFile.lastError(handle) { throw DecoderFailure(message: message) }
        return max(0, got)
    }
}
