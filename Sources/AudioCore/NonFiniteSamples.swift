/// The one rule for samples that are NaN or infinite (a broken float file, or
/// a float value beyond any real level that the decoder marked NaN): every
/// stage counts them where it reports, and measures or processes them as
/// silence, so one bad sample neither poisons a sum nor stops the track.
public enum NonFiniteSamples {
    /// Whether any sample is NaN or infinite, eight at a time: `x - x` is 0 for
    /// every finite `x` and NaN otherwise.
    @inline(__always)
    public static func any(in x: UnsafeBufferPointer<Float>) -> Bool {
        guard let base = x.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        var bad = SIMD8<Float>()
        var i = 0
        while i + 8 <= x.count {
            let v = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            bad += v - v
            i += 8
        }
        if bad != SIMD8<Float>() { return true }
        while i < x.count {
            if !x[i].isFinite { return true }
            i += 1
        }
        return false
    }

    /// Whether any channel holds a sample that is NaN or infinite.
    public static func any(in channels: [UnsafeBufferPointer<Float>]) -> Bool {
        channels.contains { any(in: $0) }
    }

    /// Copies of the channels with every non-finite sample as 0, and how many
    /// there were. For the rare block `any(in:)` found; the caller measures the copies.
    public static func silenced(_ channels: [UnsafeBufferPointer<Float>]) -> (channels: [[Float]], count: Int) {
        var count = 0
        let copies = channels.map { channel in
            channel.map { (v: Float) -> Float in
                guard v.isFinite else { count += 1; return 0 }
                return v
            }
        }
        return (copies, count)
    }

    /// Sets every non-finite sample of `x` to 0, in place; returns how many there were.
    @discardableResult
    public static func silence(_ x: UnsafeMutableBufferPointer<Float>) -> Int {
        guard any(in: UnsafeBufferPointer(x)) else { return 0 }
        var count = 0
        for i in x.indices where !x[i].isFinite {
            x[i] = 0
            count += 1
        }
        return count
    }
}
