#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Radix-2 FFTs of a fixed power-of-two size, with twiddle factors and the
/// bit-reversal order computed once. Buffers are lent as pointers so the hot
/// loops pay no bounds or uniqueness checks.
public struct FFT: Sendable {
    public let size: Int
    private let cosines: [Float]
    private let sines: [Float]
    private let reversed: [Int32]

    public init(size: Int) {
        precondition(size >= 2 && size & (size - 1) == 0, "FFT size must be a power of two")
        self.size = size
        cosines = (0..<size / 2).map { Float(cos(-2 * Double.pi * Double($0) / Double(size))) }
        sines = (0..<size / 2).map { Float(sin(-2 * Double.pi * Double($0) / Double(size))) }
        let bits = size.trailingZeroBitCount
        reversed = (0..<size).map { i in
            var r = 0
            for b in 0..<bits where i & (1 << b) != 0 { r |= 1 << (bits - 1 - b) }
            return Int32(r)
        }
    }

    /// Complex transform of `size` points, in place.
    public func transform(real: inout [Float], imaginary: inout [Float]) {
        precondition(real.count == size && imaginary.count == size)
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in transform(re.baseAddress!, im.baseAddress!) }
        }
    }

    func transform(_ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>) {
        cosines.withUnsafeBufferPointer { cs in
            sines.withUnsafeBufferPointer { sn in
                reversed.withUnsafeBufferPointer { rev in
                    for i in 0..<size {
                        let j = Int(rev[i])
                        if i < j {
                            swap(&re[i], &re[j])
                            swap(&im[i], &im[j])
                        }
                    }
                    var half = 1
                    while half < size {
                        let step = size / (2 * half)
                        var start = 0
                        while start < size {
                            var k = 0
                            while k < half {
                                let wr = cs[k * step], wi = sn[k * step]
                                let a = start + k, b = a + half
                                let tr = wr * re[b] - wi * im[b]
                                let ti = wr * im[b] + wi * re[b]
                                re[b] = re[a] - tr
                                im[b] = im[a] - ti
                                re[a] += tr
                                im[a] += ti
                                k += 1
                            }
                            start += 2 * half
                        }
                        half *= 2
                    }
                }
            }
        }
    }
}

/// The power spectrum of real frames of `size` samples, by one complex FFT of
/// half the size on the samples packed in pairs, then the split that separates
/// the even and odd halves: half the work of a complex transform.
public struct RealPowerSpectrum: Sendable {
    public let size: Int
    private let half: FFT
    private let cosines: [Float]
    private let sines: [Float]
    private var re: [Float]
    private var im: [Float]

    public init(size: Int) {
        precondition(size >= 4 && size & (size - 1) == 0)
        self.size = size
        half = FFT(size: size / 2)
        cosines = (0...size / 2).map { Float(cos(-2 * Double.pi * Double($0) / Double(size))) }
        sines = (0...size / 2).map { Float(sin(-2 * Double.pi * Double($0) / Double(size))) }
        re = [Float](repeating: 0, count: size / 2)
        im = [Float](repeating: 0, count: size / 2)
    }

    /// |X[k]|^2 for k = 0 ... size / 2 of the real frame `x`, into `power`.
    public mutating func compute(_ x: UnsafeBufferPointer<Float>, into power: UnsafeMutableBufferPointer<Float>) {
        precondition(x.count == size && power.count == size / 2 + 1)
        let m = size / 2
        re.withUnsafeMutableBufferPointer { r in
            im.withUnsafeMutableBufferPointer { i in
                for n in 0..<m {
                    r[n] = x[2 * n]
                    i[n] = x[2 * n + 1]
                }
                half.transform(r.baseAddress!, i.baseAddress!)
                cosines.withUnsafeBufferPointer { cs in
                    sines.withUnsafeBufferPointer { sn in
                        for k in 0...m {
                            // Z[k] and conj(Z[m - k]) give the even (E) and odd (O) parts.
                            let (zr, zi) = k == m ? (r[0], i[0]) : (r[k], i[k])
                            let (cr, ci) = k == 0 ? (r[0], -i[0]) : (r[m - k], -i[m - k])
                            let er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci)
                            let or = 0.5 * (zi - ci), oi = -0.5 * (zr - cr)
                            let xr = er + cs[k] * or - sn[k] * oi
                            let xi = ei + cs[k] * oi + sn[k] * or
                            power[k] = xr * xr + xi * xi
                        }
                    }
                }
            }
        }
    }
}
