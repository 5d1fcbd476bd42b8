#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Radix-2 FFTs of a fixed power-of-two size, with twiddle factors and the
/// bit-reversal order computed once. Buffers are lent as pointers so the hot
/// loops pay no bounds or uniqueness checks.
///
/// Twiddles are stored stage by stage, contiguous (stage `half` at offset
/// `half - 1`), so the butterflies of every stage with eight or more of them
/// run eight at a time in SIMD lanes; the first stage needs no multiplies.
public struct FFT: Sendable {
    public let size: Int
    private let cosines: [Float]
    private let sines: [Float]
    private let reversed: [Int32]

    public init(size: Int) {
        precondition(size >= 2 && size & (size - 1) == 0, "FFT size must be a power of two")
        self.size = size
        var c: [Float] = [], s: [Float] = []
        var half = 1
        while half < size {
            for k in 0..<half {
                c.append(Float(cos(-Double.pi * Double(k) / Double(half))))
                s.append(Float(sin(-Double.pi * Double(k) / Double(half))))
            }
            half *= 2
        }
        cosines = c
        sines = s
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
                    // Stage 1: twiddle 1.
                    var start = 0
                    while start + 1 < size {
                        let (ar, ai, br, bi) = (re[start], im[start], re[start + 1], im[start + 1])
                        re[start] = ar + br; im[start] = ai + bi
                        re[start + 1] = ar - br; im[start + 1] = ai - bi
                        start += 2
                    }
                    var half = 2
                    while half < size {
                        let w = half - 1
                        start = 0
                        while start < size {
                            var k = 0
                            if half >= 8 {
                                let rr = UnsafeMutableRawPointer(re), ir = UnsafeMutableRawPointer(im)
                                let cr = UnsafeRawPointer(cs.baseAddress!), sr = UnsafeRawPointer(sn.baseAddress!)
                                while k < half {
                                    let a = 4 * (start + k), b = a + 4 * half
                                    let wr = cr.loadUnaligned(fromByteOffset: 4 * (w + k), as: SIMD8<Float>.self)
                                    let wi = sr.loadUnaligned(fromByteOffset: 4 * (w + k), as: SIMD8<Float>.self)
                                    let xr = rr.loadUnaligned(fromByteOffset: b, as: SIMD8<Float>.self)
                                    let xi = ir.loadUnaligned(fromByteOffset: b, as: SIMD8<Float>.self)
                                    let yr = rr.loadUnaligned(fromByteOffset: a, as: SIMD8<Float>.self)
                                    let yi = ir.loadUnaligned(fromByteOffset: a, as: SIMD8<Float>.self)
                                    let tr = wr * xr - wi * xi
                                    let ti = wr * xi + wi * xr
                                    rr.storeBytes(of: yr - tr, toByteOffset: b, as: SIMD8<Float>.self)
                                    ir.storeBytes(of: yi - ti, toByteOffset: b, as: SIMD8<Float>.self)
                                    rr.storeBytes(of: yr + tr, toByteOffset: a, as: SIMD8<Float>.self)
                                    ir.storeBytes(of: yi + ti, toByteOffset: a, as: SIMD8<Float>.self)
                                    k += 8
                                }
                            }
                            while k < half {
                                let wr = cs[w + k], wi = sn[w + k]
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
