import AudioIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Synthesises music-like stereo audio with audible sections: chords, bass,
/// arpeggios and drums whose arrangement, key and level change at each section
/// boundary, the way a generated track should follow its segment plan.
///
/// It is not real music (the structure evaluation uses recordings for that),
/// but it has what detectors and meters meet in practice: harmonic tones,
/// transients, noise, stereo width and a decaying ending.
public struct MusicSynth {
    /// How one section is arranged.
    public struct Style: Sendable {
        public var rootMIDI: Int
        public var progression: [Int]   // chord roots in semitones above the key root
        public var bpm: Double
        public var pad: Float
        public var bass: Float
        public var arpeggio: Float
        public var drums: Float

        public init(rootMIDI: Int, progression: [Int], bpm: Double, pad: Float, bass: Float, arpeggio: Float, drums: Float) {
            self.rootMIDI = rootMIDI
            self.progression = progression
            self.bpm = bpm
            self.pad = pad
            self.bass = bass
            self.arpeggio = arpeggio
            self.drums = drums
        }

        /// A distinct arrangement for each section type, varied by `variant`.
        public static func forSection(_ name: String, variant: Int = 0) -> Style {
            let key = [57, 60, 55, 62][variant % 4]
            switch name {
            case "intro": return Style(rootMIDI: key, progression: [0, 5], bpm: 84, pad: 0.20, bass: 0, arpeggio: 0.05, drums: 0)
            case "verse": return Style(rootMIDI: key, progression: [0, 8, 3, 10], bpm: 96, pad: 0.12, bass: 0.22, arpeggio: 0, drums: 0.22)
            case "chorus": return Style(rootMIDI: key + 5, progression: [0, 7, 9, 5], bpm: 120, pad: 0.16, bass: 0.30, arpeggio: 0.12, drums: 0.45)
            case "bridge": return Style(rootMIDI: key + 3, progression: [0, 4], bpm: 72, pad: 0.22, bass: 0.10, arpeggio: 0.10, drums: 0)
            case "inst": return Style(rootMIDI: key + 7, progression: [0, 5, 7, 3], bpm: 110, pad: 0.05, bass: 0.25, arpeggio: 0.20, drums: 0.35)
            default: return Style(rootMIDI: key, progression: [0, 5, 0], bpm: 84, pad: 0.18, bass: 0.08, arpeggio: 0.03, drums: 0)
            }
        }
    }

    public let sampleRate: Int
    public let seed: UInt64

    public init(sampleRate: Int = 44_100, seed: UInt64 = 1) {
        self.sampleRate = sampleRate
        self.seed = seed
    }

    /// Renders sections back to back. The last section's `fadeOut` seconds decay to silence.
    public func render(sections: [(style: Style, seconds: Double)], fadeOut: Double = 4) -> AudioBuffer {
        let total = sections.reduce(0) { $0 + Int(($1.seconds * Double(sampleRate)).rounded()) }
        var left = [Float](repeating: 0, count: total)
        var right = [Float](repeating: 0, count: total)
        var rng = SeededRandom(seed: seed)
        var start = 0
        for (index, section) in sections.enumerated() {
            let frames = Int((section.seconds * Double(sampleRate)).rounded())
            renderSection(section.style, into: &left, &right, start: start, frames: frames, rng: &rng)
            // 20 ms ramps at the joins avoid clicks without blurring the change.
            let ramp = min(frames / 4, sampleRate / 50)
            for i in 0..<ramp {
                let g = Float(i) / Float(ramp)
                if index > 0 { left[start + i] *= g; right[start + i] *= g }
                if index < sections.count - 1 { left[start + frames - 1 - i] *= g; right[start + frames - 1 - i] *= g }
            }
            start += frames
        }
        let fade = min(total, Int(fadeOut * Double(sampleRate)))
        for i in 0..<fade {
            let g = Float(pow(Double(i) / Double(fade), 2))
            left[total - 1 - i] *= g
            right[total - 1 - i] *= g
        }
        return AudioBuffer(sampleRate: sampleRate, channels: [left, right])
    }

    /// Convenience: a plan of named sections (`intro`, `verse`, ...).
    public func render(plan: [(name: String, seconds: Double)], variant: Int = 0) -> AudioBuffer {
        render(sections: plan.map { (Style.forSection($0.name, variant: variant), $0.seconds) })
    }

    private func frequency(_ midi: Int) -> Double { 440 * pow(2, Double(midi - 69) / 12) }

    private func renderSection(_ style: Style, into left: inout [Float], _ right: inout [Float],
                               start: Int, frames: Int, rng: inout SeededRandom) {
        let rate = Double(sampleRate)
        let beat = 60 / style.bpm
        let bar = 4 * beat
        for i in 0..<frames {
            let t = Double(i) / rate
            let barIndex = Int(t / bar)
            let chordRoot = style.rootMIDI + style.progression[barIndex % style.progression.count]
            let inBar = t - Double(barIndex) * bar
            let beatIndex = Int(inBar / beat)
            let inBeat = inBar - Double(beatIndex) * beat
            let eighth = beat / 2
            let inEighth = inBar.truncatingRemainder(dividingBy: eighth)
            let eighthIndex = Int(inBar / eighth)

            var l = 0.0, r = 0.0
            if style.pad > 0 {
                // A minor-ish triad with four harmonics, detuned between the channels for width.
                let swell = min(1, inBar / 0.3)
                for (n, interval) in [0, 3, 7].enumerated() {
                    let f = frequency(chordRoot + interval)
                    for k in 1...4 {
                        let a = Double(style.pad) * swell / Double(k * 3)
                        l += a * sin(2 * .pi * f * Double(k) * 1.002 * t + Double(n))
                        r += a * sin(2 * .pi * f * Double(k) * 0.998 * t + Double(n) * 1.3)
                    }
                }
            }
            if style.bass > 0 {
                let f = frequency(chordRoot - 24)
                let env = exp(-inBeat * 3)
                let v = Double(style.bass) * env * (sin(2 * .pi * f * t) + 0.3 * sin(4 * .pi * f * t))
                l += v; r += v
            }
            if style.arpeggio > 0 {
                let notes = [0, 7, 12, 15]
                let f = frequency(chordRoot + 12 + notes[eighthIndex % notes.count])
                let env = exp(-inEighth * 8)
                let v = Double(style.arpeggio) * env * (2 / .pi) * asin(sin(2 * .pi * f * t))
                l += v * 0.7; r += v * 1.0
            }
            if style.drums > 0 {
                let d = Double(style.drums)
                if beatIndex % 2 == 0 {
                    // Kick: a falling sine, 120 Hz down towards 45 Hz.
                    let phase = 2 * .pi * (45 * inBeat + 75 / 20 * (1 - exp(-20 * inBeat)))
                    let v = d * exp(-inBeat * 9) * sin(phase)
                    l += v; r += v
                } else {
                    let v = d * 0.5 * exp(-inBeat * 18) * Double(rng.bipolar())
                    l += v; r += v
                }
                let hat = d * 0.08 * exp(-inEighth * 60) * Double(rng.bipolar())
                l += hat * 0.8; r += hat * 1.2
            }
            left[start + i] = Float(tanh(l))
            right[start + i] = Float(tanh(r))
        }
    }
}
