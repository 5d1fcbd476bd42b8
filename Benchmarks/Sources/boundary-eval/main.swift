// Evaluates section-boundary detection on real music that no one here wrote:
// the pieces of Debian's extremetuxracer-data (GPL-2+).
//
//   swift run -c release --package-path Benchmarks boundary-eval [--music DIR] [--cases 120] [--seed 1]
//
// Positives: tracks of three excerpts joined end to end, from different pieces
// or from the same piece at least 20 s apart, with hard cuts or equal-power
// crossfades of 0.05-1 s; the true boundary is the middle of the crossfade.
// Every excerpt is scaled to the same RMS, so level alone gives nothing away.
// Negatives: continuous excerpts whose "request" claims boundaries at arbitrary times.
// For each threshold it prints the share of true boundaries confirmed within 1 s,
// the median timing error, and the share of claimed boundaries wrongly confirmed.
import AudioDSP
import AudioIO
import Foundation
import TrackGateTestSupport

nonisolated(unsafe) var musicFolder = "/usr/share/games/etr/music"
nonisolated(unsafe) var caseCount = 120
nonisolated(unsafe) var seed: UInt64 = 1
nonisolated(unsafe) var halfWindow = 2.5
nonisolated(unsafe) var variantFilter: [Int]? = nil   // indices into `variants` to score; all by default
nonisolated(unsafe) var detail = false
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let a = arguments.next() {
    switch a {
    case "--music": musicFolder = arguments.next() ?? musicFolder
    case "--cases": caseCount = Int(arguments.next() ?? "") ?? caseCount
    case "--seed": seed = UInt64(arguments.next() ?? "") ?? seed
    case "--half-window": halfWindow = Double(arguments.next() ?? "") ?? halfWindow
    case "--variants": variantFilter = (arguments.next() ?? "").split(separator: ",").compactMap { Int($0) }
    case "--detail": detail = true
    default: fatalError("unknown argument \(a)")
    }
}

let rate = 44_100
guard let names = try? FileManager.default.contentsOfDirectory(atPath: musicFolder).filter({ $0.hasSuffix(".ogg") }).sorted() else {
    print("no music in \(musicFolder): apt-get install extremetuxracer-data")
    exit(1)
}
// Mono mixes of the pieces at 44.1 kHz that are long enough to cut excerpts from.
nonisolated(unsafe) var pieces: [(name: String, samples: [Float])] = []
for name in names {
    guard let audio = try? SoundFile.readAll(path: "\(musicFolder)/\(name)"), audio.sampleRate == rate,
          audio.duration >= 15 else { continue }
    let mono = (0..<audio.frameCount).map { i in audio.channels.reduce(0) { $0 + $1[i] } / Float(audio.channelCount) }
    pieces.append((name, mono))
}
print("pieces: " + pieces.map { "\($0.name) (\(Int(Double($0.samples.count) / Double(rate))) s)" }.joined(separator: ", "))

nonisolated(unsafe) var rng = SeededRandom(seed: seed)
func uniform(_ range: ClosedRange<Double>) -> Double {
    range.lowerBound + Double(rng.next() >> 11) / Double(1 << 53) * (range.upperBound - range.lowerBound)
}
func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }

/// An excerpt scaled to RMS 0.1 (-20 dBFS).
func excerpt(_ piece: Int, start: Double, seconds: Double) -> [Float] {
    let s = pieces[piece].samples
    let a = Int(start * Double(rate)), b = min(s.count, a + Int(seconds * Double(rate)))
    let x = Array(s[a..<b])
    let rms = (x.reduce(0.0) { $0 + Double($1 * $1) } / Double(max(1, x.count))).squareRoot()
    return rms > 0 ? x.map { $0 * Float(0.1 / rms) } : x
}

/// Joins `b` after `a` with an equal-power crossfade; returns the boundary time (crossfade middle).
func join(_ a: inout [Float], _ b: [Float], crossfade: Double) -> Double {
    let n = Int(crossfade * Double(rate))
    let start = a.count - n
    for i in 0..<n {
        let t = (Double(i) + 0.5) / Double(n)
        a[start + i] = a[start + i] * Float(cos(t * .pi / 2)) + b[i] * Float(sin(t * .pi / 2))
    }
    a += b[n...]
    return (Double(start) + Double(n) / 2) / Double(rate)
}

/// The section changes of the pieces, seconds from their start: annotated by hand
/// (2026-11-21) from spectrograms and chromagrams at 0.05 s resolution, marking
/// only clear changes of instrumentation, texture or harmony, and the start of a
/// fade-out or the music's end. credits1's changes fall every 13.6 s (8 bars).
let annotatedChanges: [String: [Double]] = [
    "credits1-cp.ogg": [3.4, 13.6, 27.2, 40.8, 54.4, 68.2, 82.5],
    "freezingpoint.ogg": [4.0, 7.8, 30.0, 91.8],
    "options1-jt.ogg": [9.6],
    "race1-jt.ogg": [12.2, 14.8, 40.3],
    "spunkyrace-ks.ogg": [38.3, 40.0, 45.2, 74.9, 77.4, 101.4, 106.0],
    "start1-jt.ogg": [3.7, 14.9, 19.9, 22.6, 34.6, 40.2, 60.3, 65.6],
    "wonrace1-jt.ogg": [10.8],
]
let searchWindow = 3.0
/// The fixed strength TrackGate's policy confirmed boundaries at before its plan test (`PlanAlignment`).
let defaultStrength = 0.95

/// One excerpt's place in a test track: track time `trackStart` is `position` s into `piece`.
struct Placement { var piece: Int; var position: Double; var seconds: Double; var trackStart: Double }

/// Annotated changes inside the excerpts, in track time.
func realChanges(_ placements: [Placement]) -> [Double] {
    placements.flatMap { e in
        (annotatedChanges[pieces[e.piece].name] ?? [])
            .filter { $0 > e.position && $0 < e.position + e.seconds }
            .map { e.trackStart + $0 - e.position }
    }
}

struct Variant: Sendable {
    let name: String
    let halfWindow: Double
    let shape: Bool        // remove each frame's mean band level: timbre without loudness
    let smooth: Int        // moving average over this many frames before the novelty
    let relative: Bool     // strength divided by the track's median novelty
    let chromaWeight: Float
    var kl = false                 // symmetric KL between per-dimension Gaussians
    var flux: Float = 0            // weight of an added rhythm-activity dimension (spectral flux)
    var cepstrum = false           // DCT of the band shape instead of the bands
    var foote = false              // checkerboard kernel over a cosine self-similarity matrix
    var longFrames = false         // 4096-sample frames every 2048 samples (finer pitch resolution)
    var windows: [Double] = []     // several half-windows, averaged
    var groupPower = 0.0           // > 0: timbre and harmony scored apart, combined as a power mean
    var tempogram: Float = 0       // weight of 12 appended rhythm-periodicity dimensions
    var tempogramSpan = 2.0        // seconds each side of the frame the tempogram looks at
    var maxLag = 1.6
    var nearest = 0                // 1: nearest-neighbour ratio alone; 2: its product with the mean contrast
}

/// Symmetric KL divergence between Gaussians fitted per dimension before and after each frame.
func klCurve(_ f: [Float], dimension d: Int, framePeriod: Double, halfWindow: Double) -> NoveltyCurve {
    let frames = f.count / d
    let w = max(2, Int((halfWindow / framePeriod).rounded()))
    var sum = [Double](repeating: 0, count: (frames + 1) * d), sq = sum
    for t in 0..<frames { for k in 0..<d {
        let x = Double(f[t * d + k]); sum[(t + 1) * d + k] = sum[t * d + k] + x; sq[(t + 1) * d + k] = sq[t * d + k] + x * x } }
    var values = [Double](repeating: 0, count: frames + 1)
    for t in 0...frames {
        let b0 = max(0, t - w), a1 = min(frames, t + w)
        let nb = Double(t - b0), na = Double(a1 - t)
        guard nb >= Double(w) / 2 && na >= Double(w) / 2 else { continue }
        var total = 0.0
        for k in 0..<d {
            let mb = (sum[t * d + k] - sum[b0 * d + k]) / nb, ma = (sum[a1 * d + k] - sum[t * d + k]) / na
            let vb = max(0, (sq[t * d + k] - sq[b0 * d + k]) / nb - mb * mb) + 1
            let va = max(0, (sq[a1 * d + k] - sq[t * d + k]) / na - ma * ma) + 1
            total += 0.5 * (va / vb + vb / va - 2) + 0.5 * (ma - mb) * (ma - mb) * (1 / va + 1 / vb)
        }
        values[t] = (total / Double(d)).squareRoot()
    }
    return NoveltyCurve(framePeriod: framePeriod, values: values)
}
let allVariants = [
    Variant(name: "baseline 2.5 s", halfWindow: 2.5, shape: false, smooth: 1, relative: false, chromaWeight: 1),
    Variant(name: "relative", halfWindow: 2.5, shape: false, smooth: 1, relative: true, chromaWeight: 1),
    Variant(name: "shape", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1),
    Variant(name: "shape+relative", halfWindow: 2.5, shape: true, smooth: 1, relative: true, chromaWeight: 1),
    Variant(name: "smooth 5", halfWindow: 2.5, shape: false, smooth: 5, relative: false, chromaWeight: 1),
    Variant(name: "smooth 5 rel", halfWindow: 2.5, shape: false, smooth: 5, relative: true, chromaWeight: 1),
    Variant(name: "4 s rel", halfWindow: 4, shape: false, smooth: 1, relative: true, chromaWeight: 1),
    Variant(name: "1.5 s rel", halfWindow: 1.5, shape: false, smooth: 1, relative: true, chromaWeight: 1),
    Variant(name: "no chroma rel", halfWindow: 2.5, shape: false, smooth: 1, relative: true, chromaWeight: 0),
    Variant(name: "chroma x2 rel", halfWindow: 2.5, shape: false, smooth: 1, relative: true, chromaWeight: 2),
    Variant(name: "shape smooth5 rel", halfWindow: 2.5, shape: true, smooth: 5, relative: true, chromaWeight: 1),
    Variant(name: "kl", halfWindow: 2.5, shape: false, smooth: 1, relative: false, chromaWeight: 1, kl: true),
    Variant(name: "kl shape", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, kl: true),
    Variant(name: "kl shape multi", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, kl: true, windows: [1.5, 2.5, 4]),
    Variant(name: "shape multi", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4]),
    Variant(name: "kl shape 4s", halfWindow: 4, shape: true, smooth: 1, relative: false, chromaWeight: 1, kl: true),
    Variant(name: "kl shape chroma2", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 2, kl: true),
    Variant(name: "shape multi flux1", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, flux: 1, windows: [1.5, 2.5, 4]),
    Variant(name: "shape multi flux3", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, flux: 3, windows: [1.5, 2.5, 4]),
    Variant(name: "cepstrum multi", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, cepstrum: true, windows: [1.5, 2.5, 4]),
    Variant(name: "cepstrum multi flux3", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, flux: 3, cepstrum: true, windows: [1.5, 2.5, 4]),
    Variant(name: "cepstrum multi chroma0.5", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 0.5, cepstrum: true, windows: [1.5, 2.5, 4]),
    Variant(name: "cepstrum multi chroma2", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 2, cepstrum: true, windows: [1.5, 2.5, 4]),
    Variant(name: "cepstrum multi chroma0", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 0, cepstrum: true, windows: [1.5, 2.5, 4]),
    Variant(name: "cepstrum 2.5", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, cepstrum: true),
    Variant(name: "cepstrum 1.5+2.5+4+6", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, cepstrum: true, windows: [1.5, 2.5, 4, 6]),
    Variant(name: "cepstrum noshape multi", halfWindow: 2.5, shape: false, smooth: 1, relative: false, chromaWeight: 1, cepstrum: true, windows: [1.5, 2.5, 4]),
    Variant(name: "foote shape 2.5 s", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, foote: true),
    Variant(name: "foote shape 4 s", halfWindow: 4, shape: true, smooth: 1, relative: false, chromaWeight: 1, foote: true),
    Variant(name: "foote shape multi", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, foote: true, windows: [1.5, 2.5, 4]),
    Variant(name: "long frames shape multi", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, longFrames: true, windows: [1.5, 2.5, 4]),
    Variant(name: "long frames shape multi chroma2", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 2, longFrames: true, windows: [1.5, 2.5, 4]),
    Variant(name: "long frames cepstrum multi", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, cepstrum: true, longFrames: true, windows: [1.5, 2.5, 4]),
    Variant(name: "shape multi smooth3", halfWindow: 2.5, shape: true, smooth: 3, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4]),
    Variant(name: "shape 2.5+4", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [2.5, 4]),
    Variant(name: "shape 1.5+2.5+4+6", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4, 6]),
    Variant(name: "shape multi, groups p2", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4], groupPower: 2),
    Variant(name: "shape multi, groups p4", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4], groupPower: 4),
    Variant(name: "shape multi, groups p8", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4], groupPower: 8),
    Variant(name: "nearest neighbours multi", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4], nearest: 1),
    Variant(name: "nearest x contrast multi", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4], nearest: 2),
    Variant(name: "nearest neighbours 2.5", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, nearest: 1),
    Variant(name: "nearest smooth3 multi", halfWindow: 2.5, shape: true, smooth: 3, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4], nearest: 1),
    Variant(name: "shape multi tempogram 0.5", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4], tempogram: 0.5),
    Variant(name: "shape multi tempogram 1", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4], tempogram: 1),
    Variant(name: "shape multi tempogram 2", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4], tempogram: 2),
    Variant(name: "shape multi tempogram 3", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4], tempogram: 3),
    Variant(name: "shape multi tempogram 2, 1.5 s, lags to 1 s", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4], tempogram: 2, tempogramSpan: 1.5, maxLag: 1),
    Variant(name: "shape multi tempogram 3, 1.5 s, lags to 1 s", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4], tempogram: 3, tempogramSpan: 1.5, maxLag: 1),
    Variant(name: "shape multi, groups p1", halfWindow: 2.5, shape: true, smooth: 1, relative: false, chromaWeight: 1, windows: [1.5, 2.5, 4], groupPower: 1),
]
let variants = variantFilter.map { $0.map { allVariants[$0] } } ?? allVariants
let selected = 0

func transform(_ features: [Float], _ v: Variant) -> [Float] {
    let d = SpectralFeatures.dimension, b = SpectralFeatures.bandCount
    var f = features
    let frames = f.count / d
    for t in 0..<frames {
        if v.shape {
            let mean = f[t * d ..< t * d + b].reduce(0, +) / Float(b)
            for k in 0..<b { f[t * d + k] -= mean }
        }
        for k in b..<d { f[t * d + k] *= v.chromaWeight }
    }
    guard v.smooth > 1 else { return f }
    var out = f
    for t in 0..<frames {
        let lo = max(0, t - v.smooth / 2), hi = min(frames - 1, t + v.smooth / 2)
        for k in 0..<d {
            var sum: Float = 0
            for u in lo...hi { sum += f[u * d + k] }
            out[t * d + k] = sum / Float(hi - lo + 1)
        }
    }
    return out
}

/// Each dimension shifted and scaled to mean 0 and standard deviation 1 over the track.
func standardised(_ f: [Float], dimension d: Int) -> [Double] {
    let frames = f.count / d
    var x = f.map(Double.init)
    for k in 0..<d {
        var m = 0.0, v = 0.0
        for t in 0..<frames { m += x[t * d + k] }
        m /= Double(frames)
        for t in 0..<frames { v += (x[t * d + k] - m) * (x[t * d + k] - m) }
        let sd = max(1e-9, (v / Double(frames)).squareRoot())
        for t in 0..<frames { x[t * d + k] = (x[t * d + k] - m) / sd }
    }
    return x
}

/// Foote's novelty: a Gaussian-tapered checkerboard kernel slid along the
/// diagonal of the cosine self-similarity matrix of standardised frames.
func footeCurve(_ f: [Float], dimension d: Int, framePeriod: Double, halfWindow: Double) -> NoveltyCurve {
    let frames = f.count / d
    guard frames > 2 else { return NoveltyCurve(framePeriod: framePeriod, values: []) }
    // Standardise each dimension over the track, then unit-normalise each frame.
    var x = standardised(f, dimension: d)
    for t in 0..<frames {
        var n = 0.0
        for k in 0..<d { n += x[t * d + k] * x[t * d + k] }
        n = max(1e-9, n.squareRoot())
        for k in 0..<d { x[t * d + k] /= n }
    }
    func sim(_ i: Int, _ j: Int) -> Double {
        var s = 0.0
        for k in 0..<d { s += x[i * d + k] * x[j * d + k] }
        return s
    }
    let L = max(2, Int((halfWindow / framePeriod).rounded()))
    var values = [Double](repeating: 0, count: frames + 1)
    let sigma = 0.5 * Double(L)
    for t in L...(frames - L) {
        var total = 0.0, weight = 0.0
        for i in -L..<L {
            for j in -L..<L {
                let g = exp(-(Double(i * i + j * j)) / (2 * sigma * sigma))
                let sign: Double = (i < 0) == (j < 0) ? 1 : -1
                total += sign * g * sim(t + i, t + j)
                weight += g
            }
        }
        values[t] = max(0, total / weight * 4)
    }
    return NoveltyCurve(framePeriod: framePeriod, values: values)
}

/// Appends TrackGate's tempogram (`Tempogram.bands`) to each frame, scaled by 30 * `weight`.
func appendTempogram(_ f: [Float], dimension d: Int, features: SpectralFeatures, weight: Float,
                     span: Double, maxLagSeconds: Double) -> ([Float], Int) {
    let r = Tempogram.binCount
    let rhythm = Tempogram.bands(of: features, span: span, lags: 0.2...maxLagSeconds)
    var out: [Float] = []
    out.reserveCapacity(features.frameCount * (d + r))
    for t in 0..<f.count / d {
        out += f[t * d ..< (t + 1) * d]
        out += rhythm[t * r ..< (t + 1) * r].map { weight * 30 * $0 }
    }
    return (out, d + r)
}

/// A nearest-neighbour two-sample score: how far each frame on one side of t is
/// from its closest frame on the other side, relative to how far it is from its
/// closest frame on its own side (frames within 0.3 s of it excluded). Repeating
/// music keeps it near 1; new material after t raises it.
func nearestCurve(_ f: [Float], dimension d: Int, framePeriod: Double, halfWindow: Double) -> NoveltyCurve {
    let frames = f.count / d
    let w = max(2, Int((halfWindow / framePeriod).rounded()))
    let k = max(1, Int((0.3 / framePeriod).rounded()))
    guard frames > 2 * w else { return NoveltyCurve(framePeriod: framePeriod, values: []) }
    let x = standardised(f, dimension: d).map(Float.init)
    // Distances between frames up to 2w apart: band[i * span + (j - i)] for i <= j < i + span.
    let span = 2 * w
    var band = [Float](repeating: .infinity, count: frames * span)
    for i in 0..<frames {
        for j in i..<min(frames, i + span) {
            var s: Float = 0
            for q in 0..<d { let e = x[i * d + q] - x[j * d + q]; s += e * e }
            band[i * span + (j - i)] = s.squareRoot()
        }
    }
    func dist(_ a: Int, _ b: Int) -> Float { a <= b ? band[a * span + (b - a)] : band[b * span + (a - b)] }
    var values = [Double](repeating: 0, count: frames + 1)
    for t in w...(frames - w) {
        var cross = 0.0, own = 0.0
        for j in t..<(t + w) {
            var c = Float.infinity, o = Float.infinity
            for i in (t - w)..<t { c = min(c, dist(i, j)) }
            for i in t..<(t + w) where abs(i - j) > k { o = min(o, dist(i, j)) }
            cross += Double(c); own += Double(o.isFinite ? o : c)
        }
        for i in (t - w)..<t {
            var c = Float.infinity, o = Float.infinity
            for j in t..<(t + w) { c = min(c, dist(i, j)) }
            for j in (t - w)..<t where abs(i - j) > k { o = min(o, dist(i, j)) }
            cross += Double(c); own += Double(o.isFinite ? o : c)
        }
        values[t] = own > 0 ? cross / own : 0
    }
    return NoveltyCurve(framePeriod: framePeriod, values: values)
}

/// Novelty of the band shape and of the chroma apart, combined per frame as a power mean.
func groupCurve(_ f: [Float], framePeriod: Double, halfWindow: Double, power: Double) -> NoveltyCurve {
    let d = SpectralFeatures.dimension, b = SpectralFeatures.bandCount
    let frames = f.count / d
    var bands: [Float] = [], chroma: [Float] = []
    for t in 0..<frames { bands += f[t * d ..< t * d + b]; chroma += f[t * d + b ..< (t + 1) * d] }
    let x = NoveltyCurve(features: bands, dimension: b, framePeriod: framePeriod, halfWindow: halfWindow)
    let y = NoveltyCurve(features: chroma, dimension: d - b, framePeriod: framePeriod, halfWindow: halfWindow)
    return NoveltyCurve(framePeriod: framePeriod, values: zip(x.values, y.values).map { a, c in
        pow((pow(a, power) + pow(c, power)) / 2, 1 / power)
    })
}

/// Adds a spectral-flux dimension and/or replaces bands by their cosine transform.
func augment(_ f: [Float], _ v: Variant) -> (features: [Float], dimension: Int) {
    let d = SpectralFeatures.dimension, b = SpectralFeatures.bandCount
    let frames = f.count / d
    guard v.flux > 0 || v.cepstrum else { return (f, d) }
    let keepBands = v.cepstrum ? 10 : b
    let outD = keepBands + (d - b) + (v.flux > 0 ? 1 : 0)
    var out: [Float] = []
    out.reserveCapacity(frames * outD)
    for t in 0..<frames {
        let bands = Array(f[t * d ..< t * d + b])
        if v.cepstrum {
            for k in 1...keepBands {
                var c: Float = 0
                for n in 0..<b { c += bands[n] * Float(cos(Double.pi * Double(k) * (Double(n) + 0.5) / Double(b))) }
                out.append(c * Float(2.0 / Double(b).squareRoot()))
            }
        } else {
            out += bands
        }
        out += f[t * d + b ..< (t + 1) * d]
        if v.flux > 0 {
            var flux: Float = 0
            if t > 0 { for k in 0..<b { flux += max(0, f[t * d + k] - f[(t - 1) * d + k]) } }
            out.append(v.flux * flux / Float(b))
        }
    }
    return (out, outD)
}

func novelty(_ x: [Float]) -> [NoveltyCurve] {
    var short = SpectralFeatures(sampleRate: rate)
    x.withUnsafeBufferPointer { short.add([$0]) }
    var long = SpectralFeatures(sampleRate: rate, frameSize: 4096, hop: 2048)
    if variants.contains(where: \.longFrames) { x.withUnsafeBufferPointer { long.add([$0]) } }
    return [NoveltyCurve.sectionChanges(features: short)] + variants.map { v in
        let f = v.longFrames ? long : short
        var (features, dimension) = augment(transform(f.features, v), v)
        if v.tempogram > 0 { (features, dimension) = appendTempogram(features, dimension: dimension, features: f, weight: v.tempogram, span: v.tempogramSpan, maxLagSeconds: v.maxLag) }
        let windows = v.windows.isEmpty ? [v.halfWindow] : v.windows
        let curves = windows.map { w in
            v.nearest == 1 ? nearestCurve(features, dimension: dimension, framePeriod: f.framePeriod, halfWindow: w) :
            v.nearest == 2 ? NoveltyCurve(framePeriod: f.framePeriod, values: zip(
                nearestCurve(features, dimension: dimension, framePeriod: f.framePeriod, halfWindow: w).values,
                NoveltyCurve(features: features, dimension: dimension, framePeriod: f.framePeriod, halfWindow: w).values).map { ($0 * $1).squareRoot() }) :
            v.groupPower > 0 ? groupCurve(features, framePeriod: f.framePeriod, halfWindow: w, power: v.groupPower) :
            v.foote ? footeCurve(features, dimension: dimension, framePeriod: f.framePeriod, halfWindow: w)
                : v.kl ? klCurve(features, dimension: dimension, framePeriod: f.framePeriod, halfWindow: w)
                : NoveltyCurve(features: features, dimension: dimension, framePeriod: f.framePeriod, halfWindow: w)
        }
        let curve = NoveltyCurve(averaging: curves)
        guard v.relative else { return curve }
        let active = curve.values.filter { $0 > 0 }.sorted()
        let median = active.isEmpty ? 1 : active[active.count / 2]
        return NoveltyCurve(framePeriod: curve.framePeriod, values: curve.values.map { $0 / median })
    }
}

/// Whether another real section change lies within `searchWindow` + 0.5 s of a
/// true or claimed boundary: such a case does not test what it claims to (a claim
/// "wrongly" confirmed there is confirmed by a real change; a join may lose to one).
struct Outcome { var truth: Double; var detected: Double; var strength: Double; var kind: String; var contested = false; var label = "" }
// Entry 0 is TrackGate's detector; the rest are the alternatives it was chosen from.
var positivesByVariant = [[Outcome]](repeating: [], count: variants.count + 1)
var negativesByVariant = [[Outcome]](repeating: [], count: variants.count + 1)
let crossfades = [0.0, 0.05, 0.2, 0.5, 1.0]

for _ in 0..<caseCount {
    // Three excerpts: each next one from another piece, or from the same piece far away.
    var track: [Float] = []
    var boundaries: [(Double, String)] = []
    var labels: [String] = []
    var piece = Int(rng.next() % UInt64(pieces.count))
    var position = uniform(0...(Double(pieces[piece].samples.count) / Double(rate) - 14))
    track = excerpt(piece, start: position, seconds: uniform(8...12))
    var placements = [Placement(piece: piece, position: position, seconds: Double(track.count) / Double(rate), trackStart: 0)]
    for _ in 0..<2 {
        let samePiece = rng.next() % 3 == 0 && Double(pieces[piece].samples.count) / Double(rate) > 60
        var kind = "other piece"
        if samePiece {
            let length = Double(pieces[piece].samples.count) / Double(rate)
            var next = uniform(0...(length - 14))
            var tries = 0
            while abs(next - position) < 20 && tries < 50 { next = uniform(0...(length - 14)); tries += 1 }
            position = next
            kind = "same piece"
        } else {
            var next = Int(rng.next() % UInt64(pieces.count))
            while next == piece { next = Int(rng.next() % UInt64(pieces.count)) }
            piece = next
            position = uniform(0...(Double(pieces[piece].samples.count) / Double(rate) - 14))
        }
        let xf = pick(crossfades)
        let next = excerpt(piece, start: position, seconds: uniform(8...12) + xf)
        placements.append(Placement(piece: piece, position: position, seconds: Double(next.count) / Double(rate),
                                    trackStart: Double(track.count - Int(xf * Double(rate))) / Double(rate)))
        let t = join(&track, next, crossfade: xf)
        boundaries.append((t, "\(kind), \(xf == 0 ? "cut" : "\(xf) s fade")"))
        let (a, b) = (placements[placements.count - 2], placements[placements.count - 1])
        labels.append(String(format: "%@ @%.1f -> %@ @%.1f", pieces[a.piece].name, a.position + a.seconds, pieces[b.piece].name, b.position))
    }
    let changesInTrack = realChanges(placements)
    for (v, curve) in novelty(track).enumerated() {
        for ((t, kind), label) in zip(boundaries, labels) {
            let found = curve.strongest(near: t, window: searchWindow) ?? (time: .nan, strength: 0)
            let contested = changesInTrack.contains { abs($0 - t) <= searchWindow + 0.5 }
            positivesByVariant[v].append(Outcome(truth: t, detected: found.time, strength: found.strength, kind: kind, contested: contested, label: label))
        }
    }

    // A continuous excerpt of 30 s with two arbitrary claimed boundaries.
    let p = Int(rng.next() % UInt64(pieces.count))
    let length = Double(pieces[p].samples.count) / Double(rate)
    guard length >= 32 else { continue }
    let excerptStart = uniform(0...(length - 30))
    let continuous = excerpt(p, start: excerptStart, seconds: 30)
    let claims = [uniform(5...13), uniform(17...25)]
    let changesInExcerpt = realChanges([Placement(piece: p, position: excerptStart, seconds: 30, trackStart: 0)])
    for (v, curve) in novelty(continuous).enumerated() {
        for claimed in claims {
            let found = curve.strongest(near: claimed, window: searchWindow) ?? (time: .nan, strength: 0)
            let contested = changesInExcerpt.contains { abs($0 - claimed) <= searchWindow + 0.5 }
            negativesByVariant[v].append(Outcome(truth: claimed, detected: found.time, strength: found.strength,
                                                 kind: "\(pieces[p].name) @\(Int(excerptStart))", contested: contested))
        }
    }
}

// AUC: the chance that a true boundary scores above a claimed one in continuous music.
func areaUnderCurve(_ positives: [Outcome], _ negatives: [Outcome]) -> Double {
    var wins = 0.0
    for pos in positives { for neg in negatives { wins += pos.strength > neg.strength ? 1 : pos.strength == neg.strength ? 0.5 : 0 } }
    return wins / Double(positives.count * negatives.count)
}
/// Located within 1 s, and confirmed (located and above the 95th percentile of the negatives).
func summary(_ p: [Outcome], _ n: [Outcome]) -> String {
    let located = Double(p.filter { abs($0.detected - $0.truth) <= 1 }.count) / Double(p.count)
    let nn = n.map(\.strength).sorted()
    let t95 = nn[nn.count * 95 / 100]
    let recall = Double(p.filter { $0.strength > t95 && abs($0.detected - $0.truth) <= 1 }.count) / Double(p.count)
    return String(format: "AUC %.3f, located within 1 s %.1f %%, confirmed at 5 %% false rate %.1f %%",
                  areaUnderCurve(p, n), 100 * located, 100 * recall)
}
func table(_ positives: [Outcome], _ negatives: [Outcome]) {
    print("| threshold | confirmed within 1 s | median error | wrongly confirmed |")
    print("| --- | --- | --- | --- |")
    for threshold in stride(from: 0.7, through: 1.5, by: 0.05) {
        let confirmed = positives.filter { $0.strength >= threshold - 1e-9 && abs($0.detected - $0.truth) <= 1 }
        let errors = confirmed.map { abs($0.detected - $0.truth) }.sorted()
        let falseRate = Double(negatives.filter { $0.strength >= threshold - 1e-9 }.count) / Double(negatives.count)
        print(String(format: "| %.2f | %.1f %% | %.2f s | %.1f %% |", threshold,
                     100 * Double(confirmed.count) / Double(positives.count),
                     errors.isEmpty ? .nan : errors[errors.count / 2], 100 * falseRate))
    }
}
print("Each variant on all cases / on the clear cases (no annotated change of the music within 3.5 s):")
for (v, name) in (["TrackGate (sectionChanges)"] + variants.map(\.name)).enumerated() {
    let p = positivesByVariant[v], n = negativesByVariant[v]
    print(String(format: "%-28@ all: %@", name, summary(p, n)))
    print(String(format: "%-28@ clear: %@", "", summary(p.filter { !$0.contested }, n.filter { !$0.contested })))
}
let positives = positivesByVariant[selected], negatives = negativesByVariant[selected]
let clearPositives = positives.filter { !$0.contested }, clearNegatives = negatives.filter { !$0.contested }
print("\nTrackGate's detector in detail. cases: \(positives.count) true boundaries, \(negatives.count) claimed boundaries in continuous music")
print(String(format: "AUC (true boundary vs claimed in continuous music): %.3f\n", areaUnderCurve(positives, negatives)))
table(positives, negatives)
print("\nClear cases only: \(clearPositives.count) true boundaries and \(clearNegatives.count) claims with no annotated change of the music within 3.5 s")
print(String(format: "AUC: %.3f\n", areaUnderCurve(clearPositives, clearNegatives)))
table(clearPositives, clearNegatives)
let byKind = Dictionary(grouping: positives, by: { $0.kind.contains("same") ? "same piece" : "other piece" })
for (kind, outcomes) in byKind.sorted(by: { $0.key < $1.key }) {
    let s = outcomes.map(\.strength).sorted()
    print(String(format: "strength of true boundaries, %@: 5th percentile %.2f, median %.2f (%d)", kind, s[s.count / 20], s[s.count / 2], s.count))
}
let n = negatives.map(\.strength).sorted()
print(String(format: "strength of claimed boundaries in continuous music: median %.2f, 95th percentile %.2f, max %.2f",
             n[n.count / 2], n[n.count * 95 / 100], n.last!))

if detail {
    print("\nBy kind (TrackGate's detector):")
    for (kind, outcomes) in Dictionary(grouping: positives, by: \.kind).sorted(by: { $0.key < $1.key }) {
        let located = outcomes.filter { abs($0.detected - $0.truth) <= 1 }.count
        let confirmed = outcomes.filter { $0.strength >= defaultStrength && abs($0.detected - $0.truth) <= 1 }.count
        let s = outcomes.map(\.strength).sorted()
        print(String(format: "%-26@ n %3d, located %3d, confirmed %3d, median strength %.2f", kind, outcomes.count, located, confirmed, s[s.count / 2]))
    }
    print("\nClear true boundaries not confirmed at the default strength \(defaultStrength):")
    for o in clearPositives where o.strength < defaultStrength || abs(o.detected - o.truth) > 1 {
        print(String(format: "%@ (%@): at %.1f s, change at %.1f s, strength %.2f", o.label, o.kind, o.truth, o.detected, o.strength))
    }
    print("\nStrongest claims in continuous music:")
    for o in negatives.sorted(by: { $0.strength > $1.strength }).prefix(25) {
        print(String(format: "%-20@ claimed %5.1f s, change at %5.1f s, strength %.2f%@", o.kind, o.truth, o.detected, o.strength,
                     o.contested ? " (annotated change near)" : ""))
    }
}
