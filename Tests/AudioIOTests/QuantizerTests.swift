import AudioIO
import Foundation
import Testing

/// TPDF dither measured against its theory: error variance step²/4 whatever the
/// signal, zero mean, and sub-step signals that survive quantisation.
@Suite struct QuantizerTests {
    static func quantise(_ x: [Float], bits: Int, dithered: Bool = true, seed: UInt64 = 1) -> [Float] {
        var q = Quantizer(bits: bits, dithered: dithered, seed: seed)
        var y = x
        y.withUnsafeMutableBufferPointer { q.process($0) }
        return y
    }

    static func sine(amplitude: Double, frequency: Double = 1000, frames: Int = 48_000) -> [Float] {
        (0..<frames).map { Float(amplitude * sin(2 * .pi * frequency * Double($0) / 48_000)) }
    }

    @Test(arguments: [16, 24])
    func outputSitsOnTheGrid(bits: Int) {
        let scale = Float(1 << (bits - 1))
        let y = Self.quantise(Self.sine(amplitude: 0.7) + [1, -1, 1.5, -3], bits: bits)
        #expect(y.allSatisfy { ($0 * scale).rounded() == $0 * scale })
        #expect(y.max()! <= (scale - 1) / scale && y.min()! >= -1)
    }

    /// Error statistics in steps: mean 0 and variance 1/4 (1/12 from rounding plus
    /// 2/12 from the triangular dither), the same on a loud and a quiet signal.
    @Test func errorIsSignalIndependentNoise() {
        let step = 1.0 / 32_768
        for amplitude in [0.5, 0.001] {
            let x = Self.sine(amplitude: amplitude, frequency: 997, frames: 96_000)
            let y = Self.quantise(x, bits: 16)
            let e = zip(y, x).map { (Double($0) - Double($1)) / step }
            let mean = e.reduce(0, +) / Double(e.count)
            let variance = e.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(e.count)
            #expect(abs(mean) < 0.01, "amplitude \(amplitude): mean \(mean)")
            #expect(abs(variance - 0.25) < 0.01, "amplitude \(amplitude): variance \(variance)")
            // No correlation with the signal (a plain rounding error correlates at low levels).
            let cross: Double = zip(e, x).map { $0 * Double($1) }.reduce(0, +)
            let errorPower: Double = e.map { $0 * $0 }.reduce(0, +)
            let signalPower: Double = x.map { Double($0) * Double($0) }.reduce(0, +)
            let corr = cross / (errorPower * signalPower).squareRoot()
            #expect(abs(corr) < 0.02, "amplitude \(amplitude): correlation \(corr)")
        }
    }

    /// A sine at 0.4 steps (-98 dBFS at 16 bits): plain rounding makes it silence;
    /// with TPDF dither it is still there, at its level, under the noise.
    @Test func subStepSignalsSurvive() {
        let amplitude = 0.4 / 32_768
        let x = Self.sine(amplitude: amplitude, frequency: 1000, frames: 96_000)
        #expect(Self.quantise(x, bits: 16, dithered: false).allSatisfy { $0 == 0 })
        let y = Self.quantise(x, bits: 16)
        var s = 0.0, c = 0.0
        for n in y.indices {
            let w = 2 * Double.pi * 1000 * Double(n) / 48_000
            s += Double(y[n]) * sin(w); c += Double(y[n]) * cos(w)
        }
        let measured = 2 * (s * s + c * c).squareRoot() / Double(y.count)
        #expect(abs(20 * log10(measured / amplitude)) < 0.5, "measured \(measured / amplitude) of the amplitude")
    }

    @Test func sameSeedSameOutput() {
        let x = Self.sine(amplitude: 0.3)
        #expect(Self.quantise(x, bits: 16, seed: 7) == Self.quantise(x, bits: 16, seed: 7))
        #expect(Self.quantise(x, bits: 16, seed: 7) != Self.quantise(x, bits: 16, seed: 8))
    }

    @Test func withoutDitherItRoundsToNearest() {
        let step: Float = 1.0 / 32_768
        let y = Self.quantise([0.4 * step, 0.6 * step, -1.4 * step, .nan, 2], bits: 16, dithered: false)
        #expect(y == [0, step, -step, 0, 1 - step])
    }
}
