/// One open audio stream that decodes into planar float storage: the part of a
/// `SoundFile` that differs between libraries. Each decoder owns its library
/// handle and the file descriptor it reads, and releases both when it goes.
protocol FrameDecoder: AnyObject {
    /// Decodes up to `frames` frames into each channel's stretch of `planar`
    /// (channel `c` occupies `c * capacity ..< (c + 1) * capacity`), starting at
    /// `offset` within the stretch.
    ///
    /// - Returns: the frames decoded; 0 once the stream is exhausted.
    /// - Throws: the library's reason when the stream cannot be decoded further.
    func decode(into planar: UnsafeMutableBufferPointer<Float>, capacity: Int, at offset: Int,
                frames: Int) throws(DecoderFailure) -> Int
}

/// Why a decoder stopped: the library's own words, which `SoundFile` puts after
/// a sentence of its own.
struct DecoderFailure: Error {
    let message: String
    /// True when the stream simply ran out (before its first frame, at open).
    var endOfData = false
    /// True when the file ends inside the stream (a read error or a packet cut
    /// short) and no announced length can say so (`SoundFile` names it truncated).
    var cutShort = false
}

enum Deinterleave {
    /// Interleaved float frames to channel-major storage at `offset` of each
    /// channel's `capacity`-long stretch.
    static func floats(_ source: UnsafePointer<Float>, frames: Int, channels: Int,
                       into planar: UnsafeMutableBufferPointer<Float>, capacity: Int, at offset: Int) {
        let out = planar.baseAddress!
        if channels == 1 {
            (out + offset).update(from: source, count: frames)
            return
        }
        for c in 0..<channels {
            let base = out + c * capacity + offset
            var src = source + c
            for i in 0..<frames {
                base[i] = src.pointee
                src += channels
            }
        }
    }

    /// Interleaved 16-bit frames to channel-major floats scaled by 1/32768 (the
    /// scale of libsndfile's own float read, so the values are identical);
    /// stereo eight frames at a time.
    static func shorts(_ source: UnsafePointer<Int16>, frames: Int, channels: Int,
                       into planar: UnsafeMutableBufferPointer<Float>, capacity: Int, at offset: Int) {
        let scale: Float = 1.0 / 32_768
        let out = planar.baseAddress!
        var i = 0
        if channels == 2 {
            let raw = UnsafeRawPointer(source)
            let left = UnsafeMutableRawPointer(out + offset), right = UnsafeMutableRawPointer(out + capacity + offset)
            while i + 8 <= frames {
                let v = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Int16>.self)
                left.storeBytes(of: SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: v.evenHalf)) * scale,
                                toByteOffset: 4 * i, as: SIMD8<Float>.self)
                right.storeBytes(of: SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: v.oddHalf)) * scale,
                                 toByteOffset: 4 * i, as: SIMD8<Float>.self)
                i += 8
            }
        }
        for c in 0..<channels {
            let base = c * capacity + offset
            for f in i..<frames { out[base + f] = Float(source[f * channels + c]) * scale }
        }
    }
}
