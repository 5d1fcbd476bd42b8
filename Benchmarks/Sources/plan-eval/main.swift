// Evaluates the section-plan test (`PlanAlignment`) on real music of five
// Debian packages, one genre each, with plans as BGM v2.0 requests make them:
//
//   bash Benchmarks/plan-eval-music.sh                 # once: the music, as 44.1 kHz mono WAV
//   swift run -c release --package-path Benchmarks plan-eval [--music DIR] [--cases 100] [--seed 2]
//       [--packages etr,hedgewars,supertux,xmoto,frozen-bubble] [--windows 4,5,6,8] [--detail]
//
// Per package, with a fixed seed, three kinds of track (plans of 1-5
// boundaries, segments of 8-30 s, 30-120 s in all):
//   joins     each segment an excerpt of another piece of the package, joined at the
//             planned times by a hard cut (one in three) or an equal-power crossfade
//             of 0.5-4 s centred on the planned time;
//   one-piece each segment from the same piece, at least 20 s from the last one;
//   arbitrary a continuous excerpt of one piece, with a plan drawn at random (a
//             request the track ignores).
// Every excerpt is scaled to the same RMS, so level alone gives nothing away.
//
// Each half-window of `--windows` is scored; the one the product uses is chosen
// leaving one package out (the most plans confirmed, joins and one-piece, on the
// other packages), and each package's row is printed with the window chosen
// without it: every figure is out of sample.
import AudioCore
import AudioDSP
import AudioIO
import Dispatch
import Foundation
import Synchronization

nonisolated(unsafe) var musicRoot = "/tmp/trackgate-plan-music"
nonisolated(unsafe) var casesPerKind = 100
nonisolated(unsafe) var seed: UInt64 = 2
nonisolated(unsafe) var packages = ["etr", "hedgewars", "supertux", "xmoto", "frozen-bubble"]
nonisolated(unsafe) var detail = false
nonisolated(unsafe) var level = 0.05
nonisolated(unsafe) var windows = [4.0, 5, 6, 8]
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let a = arguments.next() {
    switch a {
    case "--music": musicRoot = arguments.next() ?? musicRoot
    case "--cases": casesPerKind = Int(arguments.next() ?? "") ?? casesPerKind
    case "--seed": seed = UInt64(arguments.next() ?? "") ?? seed
    case "--packages": packages = (arguments.next() ?? "").split(separator: ",").map(String.init)
    case "--windows": windows = (arguments.next() ?? "").split(separator: ",").compactMap { Double($0) }
    case "--detail": detail = true
    case "--level": level = Double(arguments.next() ?? "") ?? level
    default: fatalError("unknown argument \(a)")
    }
}

let rate = 44_100

struct Piece: Sendable {
    let name: String
    let samples: [Float]
    var seconds: Double { Double(samples.count) / Double(rate) }
}

func loadPieces(_ package: String) -> [Piece] {
    let folder = "\(musicRoot)/\(package)"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasSuffix(".wav") }).sorted(),
          !names.isEmpty else {
        print("no music in \(folder): run bash Benchmarks/plan-eval-music.sh")
        exit(1)
    }
    return names.compactMap { name in
        guard let audio = try? SoundFile.readAll(path: "\(folder)/\(name)"), audio.sampleRate == rate else { return nil }
        return Piece(name: name, samples: audio.channels[0])
    }
}

struct Generator {
    var random: SplitMix64
    init(state: UInt64) { random = SplitMix64(seed: state) }
    mutating func next() -> UInt64 { random.next() }
    mutating func uniform(_ r: ClosedRange<Double>) -> Double {
        r.lowerBound + Double(next() >> 11) / Double(1 << 53) * (r.upperBound - r.lowerBound)
    }
    mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.count)) }
}

/// A plan: 1-5 boundaries, segments of 8-30 s, 30-120 s in all.
func randomPlan(_ g: inout Generator, maximum: Double = 120) -> [Double] {
    while true {
        let k = g.int(1...5)
        let segments = (0...k).map { _ in g.uniform(8...30).rounded() }
        let total = segments.reduce(0, +)
        if total >= 30 && total <= maximum { return segments }
    }
}

func excerpt(_ piece: Piece, start: Double, seconds: Double) -> [Float] {
    let a = Int(start * Double(rate)), b = min(piece.samples.count, a + Int((seconds * Double(rate)).rounded()))
    let x = Array(piece.samples[a..<b])
    let rms = (x.reduce(0.0) { $0 + Double($1 * $1) } / Double(max(1, x.count))).squareRoot()
    return rms > 0 ? x.map { $0 * Float(0.1 / rms) } : x
}

/// Excerpts joined so that each boundary falls at its planned time, the middle
/// of an equal-power crossfade of `crossfades[i]` seconds (0: a hard cut).
/// `parts[i]` must carry half the fade before it and after it beyond its
/// segment (`padded`), so both sides of a fade are real music.
func joined(_ parts: [[Float]], crossfades: [Double]) -> [Float] {
    var track = parts[0]
    for (i, part) in parts.dropFirst().enumerated() {
        let n = 2 * (Int(crossfades[i] * Double(rate)) / 2)
        let start = track.count - n
        for j in 0..<n {
            let t = (Double(j) + 0.5) / Double(n)
            track[start + j] = track[start + j] * Float(cos(t * .pi / 2)) + part[j] * Float(sin(t * .pi / 2))
        }
        track += part[n...]
    }
    return track
}

/// Segment `index` of `segments` from `piece` at `start`, with half of each
/// neighbouring crossfade added before and after it.
func padded(_ piece: Piece, start: Double, segments: [Double], index: Int, crossfades: [Double]) -> [Float] {
    let before = index > 0 ? Double(Int(crossfades[index - 1] * Double(rate)) / 2) / Double(rate) : 0
    let after = index < crossfades.count ? Double(Int(crossfades[index] * Double(rate)) / 2) / Double(rate) : 0
    return excerpt(piece, start: start - before, seconds: before + segments[index] + after)
}

enum Kind: String, CaseIterable {
    case joins, onePiece = "one-piece", arbitrary
    /// A continuous excerpt with a plan of equal segments: every order of them is the same plan.
    case arbitraryEqual = "arbitrary-equal"
    var isArbitrary: Bool { self == .arbitrary || self == .arbitraryEqual }
}

struct Case {
    let kind: Kind
    let segments: [Double]
    var fades: [Double] = []
    /// For continuous excerpts: the piece and where the excerpt starts in it.
    var piece: String? = nil
    var start = 0.0
    let track: [Float]
    let label: String
}


func makeCases(_ pieces: [Piece], package: String, g: inout Generator) -> [Case] {
    var cases: [Case] = []
    for kind in Kind.allCases {
        var made = 0, attempts = 0
        while made < casesPerKind && attempts < casesPerKind * 50 {
            attempts += 1
            switch kind {
            case .joins:
                guard pieces.count >= 2 else { break }
                let segments = randomPlan(&g)
                let fades = segments.dropLast().map { _ in g.int(0...2) == 0 ? 0 : g.uniform(0.5...4) }
                var parts: [[Float]] = [], names: [String] = []
                var previous = -1
                for (i, s) in segments.enumerated() {
                    var p = g.int(0...(pieces.count - 1))
                    while p == previous || pieces[p].seconds < s + 10 { p = g.int(0...(pieces.count - 1)) }
                    previous = p
                    let start = g.uniform(3...(pieces[p].seconds - s - 3))
                    parts.append(padded(pieces[p], start: start, segments: segments, index: i, crossfades: fades))
                    names.append("\(pieces[p].name)@\(Int(start))")
                }
                cases.append(Case(kind: kind, segments: segments, fades: fades, track: joined(parts, crossfades: fades),
                                  label: names.joined(separator: " | ") + " fades " + fades.map { String(format: "%.1f", $0) }.joined(separator: ",")))
                made += 1
            case .onePiece:
                let segments = randomPlan(&g, maximum: 90)
                let candidates = pieces.indices.filter { pieces[$0].seconds >= segments.reduce(0, +) + 20 * Double(segments.count) }
                guard !candidates.isEmpty else { continue }
                let p = candidates[g.int(0...(candidates.count - 1))]
                // Excerpts at least 20 s apart in the piece, in any order.
                var starts: [Double] = []
                var ok = true
                for s in segments {
                    var tries = 0, start = 0.0
                    repeat {
                        start = g.uniform(3...(pieces[p].seconds - s - 3))
                        tries += 1
                    } while tries < 200 && (starts.last.map { abs(start - $0) < 20 + s } ?? false)
                    if tries >= 200 { ok = false; break }
                    starts.append(start)
                }
                guard ok else { continue }
                let fades = segments.dropLast().map { _ in g.int(0...2) == 0 ? 0 : g.uniform(0.5...4) }
                let parts = starts.indices.map { padded(pieces[p], start: starts[$0], segments: segments, index: $0, crossfades: fades) }
                cases.append(Case(kind: kind, segments: segments, fades: fades, track: joined(parts, crossfades: fades),
                                  label: "\(pieces[p].name)@" + starts.map { String(Int($0)) }.joined(separator: ",")))
                made += 1
            case .arbitrary, .arbitraryEqual:
                var segments = randomPlan(&g)
                if kind == .arbitraryEqual {
                    let length = g.uniform(8...30).rounded()
                    segments = Array(repeating: length, count: max(2, min(6, Int(90 / length))))
                }
                let total = segments.reduce(0, +)
                let candidates = pieces.indices.filter { pieces[$0].seconds >= total + 4 }
                guard !candidates.isEmpty else { continue }
                let p = candidates[g.int(0...(candidates.count - 1))]
                let start = g.uniform(2...(pieces[p].seconds - total - 2))
                cases.append(Case(kind: kind, segments: segments, piece: pieces[p].name, start: start,
                                  track: excerpt(pieces[p], start: start, seconds: total), label: "\(pieces[p].name)@\(Int(start))"))
                made += 1
            }
        }
    }
    return cases
}

/// The section changes of the extremetuxracer pieces, seconds from their start,
/// annotated by hand for boundary-eval (2026-11-21; see Benchmarks/README.md).
let annotatedChanges: [String: [Double]] = [
    "credits1-cp.wav": [3.4, 13.6, 27.2, 40.8, 54.4, 68.2, 82.5],
    "freezingpoint.wav": [4.0, 7.8, 30.0, 91.8],
    "race1-jt.wav": [12.2, 14.8, 40.3],
    "spunkyrace-ks.wav": [38.3, 40.0, 45.2, 74.9, 77.4, 101.4, 106.0],
    "start1-jt.wav": [3.7, 14.9, 19.9, 22.6, 34.6, 40.2, 60.3, 65.6],
]

struct Outcome: Sendable {
    let kind: Kind
    /// Per window: whether the plan was confirmed, and its p-value.
    let confirmed: [Bool]
    let p: [Double?]
    let applicable: Bool
    /// The detector before this test: every boundary with a change of strength
    /// 0.95 or more within ±3 s (the fixed `boundary_confirm_strength`).
    let fixedStrength: Bool
    /// Per true boundary: timing error of the strongest change within ±3 s, the
    /// boundary's p-value per window, the crossfade.
    let joins: [(error: Double?, p: [Double?], fade: Double)]
    /// Per claimed boundary in continuous music: p-value per window, and whether
    /// an annotated change of the music lies within 3.5 s (etr only).
    let claims: [(p: [Double?], contested: Bool)]
    let label: String
}

func evaluate(_ c: Case) -> Outcome {
    var features = SpectralFeatures(sampleRate: rate)
    c.track.withUnsafeBufferPointer { features.add([$0]) }
    let section = SectionFeatures(features)
    let locating = NoveltyCurve.sectionChanges(section)
    let results = windows.map { w in
        PlanAlignment.test(curve: NoveltyCurve(features: section.values, dimension: section.dimension,
                                               framePeriod: section.framePeriod, halfWindow: w),
                           segments: c.segments, level: level)
    }
    let boundaries = PlanAlignment.boundaries(of: c.segments)
    let joins = c.kind.isArbitrary ? [] : boundaries.enumerated().map { i, t in
        (error: locating.strongest(near: t, window: 3).map { abs($0.time - t) }, p: results.map { $0.boundaryPValues[i] },
         fade: c.fades[i])
    }
    let claims = !c.kind.isArbitrary ? [] : boundaries.enumerated().map { i, t in
        (p: results.map { $0.boundaryPValues[i] },
         contested: (annotatedChanges[c.piece ?? ""] ?? []).contains { abs($0 - (c.start + t)) <= 3.5 })
    }
    let fixed = boundaries.allSatisfy { (locating.strongest(near: $0, window: 3)?.strength ?? 0) >= 0.95 }
    return Outcome(kind: c.kind, confirmed: results.map { $0.status == .confirmed }, p: results.map(\.pValue),
                   applicable: results.allSatisfy { $0.status != .notApplicable }, fixedStrength: fixed, joins: joins, claims: claims, label: c.label)
}

func percent(_ a: Int, _ b: Int) -> String { b == 0 ? "-" : String(format: "%.0f %% (%d/%d)", 100 * Double(a) / Double(b), a, b) }

print("plan-eval: seed \(seed), \(casesPerKind) tracks of each kind per package, level \(level), half-windows \(windows)")
var outcomesByPackage: [(package: String, pieces: Int, outcomes: [Outcome])] = []
for (index, package) in packages.enumerated() {
    let pieces = loadPieces(package)
    var g = Generator(state: seed &* 1_000_003 &+ UInt64(index))
    let cases = makeCases(pieces, package: package, g: &g)
    let results = Mutex([Outcome?](repeating: nil, count: cases.count))
    DispatchQueue.concurrentPerform(iterations: cases.count) { i in
        let outcome = evaluate(cases[i])
        results.withLock { $0[i] = outcome }
    }
    outcomesByPackage.append((package, pieces.count, results.withLock { $0.compactMap { $0 } }))
}

/// Plans confirmed among the joins and one-piece tracks with window `w`.
func power(_ outcomes: [Outcome], _ w: Int) -> Int {
    outcomes.filter { !$0.kind.isArbitrary && $0.confirmed[w] }.count
}

print("\nPlans confirmed per package and half-window (joins + one piece, of \(2 * casesPerKind); arbitrary plans confirmed):")
print("| package | " + windows.map { String(format: "%.0f s", $0) }.joined(separator: " | ") + " |")
print("| --- |" + String(repeating: " --- |", count: windows.count))
for p in outcomesByPackage {
    print("| \(p.package) | " + windows.indices.map { w in
        "\(power(p.outcomes, w)); \(p.outcomes.filter { $0.kind.isArbitrary && $0.confirmed[w] }.count)"
    }.joined(separator: " | ") + " |")
}

print("\nOut of sample: each package with the half-window chosen on the other packages.")
print("| package | pieces | window | joins: plans confirmed | one piece: plans confirmed | arbitrary: plans confirmed | arbitrary, equal segments | joins standing out, located within 1 s | joins located within 1 s | median error, all joins | claims wrongly standing out (all; away from annotated changes) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
var nullP: [Double] = []
var nullByBoundaries: [Int: [Double]] = [:]
for p in outcomesByPackage {
    let others = outcomesByPackage.filter { $0.package != p.package }.flatMap(\.outcomes)
    let w = windows.indices.max { power(others, $0) < power(others, $1) } ?? 0
    func plans(_ kind: Kind) -> String {
        let of = p.outcomes.filter { $0.kind == kind }
        return percent(of.filter { $0.confirmed[w] }.count, of.count)
    }
    let joins = p.outcomes.flatMap(\.joins)
    let located = joins.filter { ($0.error ?? .infinity) <= 1 }
    let standing = located.filter { ($0.p[w] ?? 1) <= level }
    // Over every join: a join with no change within ±3 s counts as missed by more than any.
    let errors = joins.map { $0.error ?? .infinity }.sorted()
    let claims = p.outcomes.flatMap(\.claims)
    let clear = claims.filter { !$0.contested }
    let wrong = { (c: [(p: [Double?], contested: Bool)]) in c.filter { ($0.p[w] ?? 1) <= level }.count }
    let annotated = p.package == "etr"
    print("| \(p.package) | \(p.pieces) | \(String(format: "%.0f s", windows[w])) | \(plans(.joins)) | \(plans(.onePiece)) | "
          + "\(plans(.arbitrary)) | \(plans(.arbitraryEqual)) | \(percent(standing.count, joins.count)) | \(percent(located.count, joins.count)) | "
          + "\(errors.isEmpty ? "-" : String(format: "%.2f s", errors[errors.count / 2])) | "
          + "\(percent(wrong(claims), claims.count)); \(annotated ? percent(wrong(clear), clear.count) : "not annotated") |")
    nullP += p.outcomes.filter { $0.kind.isArbitrary }.compactMap { $0.p[w] }
    for o in p.outcomes where o.kind.isArbitrary { nullByBoundaries[o.claims.count, default: []].append(o.p[w] ?? 1) }
    if detail {
        for (name, range) in [("cut", 0.0...0.0), ("crossfade 0.5-2 s", 0.4...2), ("crossfade 2-4 s", 2.0001...5)] {
            let group = joins.filter { range.contains($0.fade) }
            print("    \(name): located within 1 s \(percent(group.filter { ($0.error ?? .infinity) <= 1 }.count, group.count))")
        }
        for o in p.outcomes where o.kind.isArbitrary == o.confirmed[w] {
            print("    \(o.kind.rawValue) \(o.confirmed[w] ? "CONFIRMED" : "not confirmed") "
                  + "p=\(o.p[w].map { String(format: "%.3f", $0) } ?? "n/a") \(o.label)")
        }
    }
}
print("\nBefore, the same tracks judged by a fixed strength (0.95 at every boundary, within ±3 s):")
print("| package | joins: plans confirmed | one piece: plans confirmed | arbitrary: plans confirmed |")
print("| --- | --- | --- | --- |")
for p in outcomesByPackage {
    func fixed(_ kind: Kind) -> String {
        let of = p.outcomes.filter { $0.kind == kind }
        return percent(of.filter(\.fixedStrength).count, of.count)
    }
    print("| \(p.package) | \(fixed(.joins)) | \(fixed(.onePiece)) | \(fixed(.arbitrary)) |")
}
nullP.sort()
if !nullP.isEmpty {
    // Under the null the p-values are uniform: each share should be close to its level.
    let shares = [0.01, 0.05, 0.1, 0.25, 0.5].map { a in
        String(format: "p <= %.2f: %.1f %%", a, 100 * Double(nullP.filter { $0 <= a }.count) / Double(nullP.count))
    }
    print("\narbitrary plans, all packages (\(nullP.count)): " + shares.joined(separator: ", "))
}
print("arbitrary plans by boundary count: " + nullByBoundaries.keys.sorted().map { k in
    let ps = nullByBoundaries[k]!
    return String(format: "%d: %.1f %% of %d", k, 100 * Double(ps.filter { $0 <= level }.count) / Double(ps.count), ps.count)
}.joined(separator: "; "))
let all = outcomesByPackage.flatMap(\.outcomes)
print("applicable: \(all.filter(\.applicable).count) of \(all.count) tracks")
