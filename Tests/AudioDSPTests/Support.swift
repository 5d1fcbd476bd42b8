import AudioDSP
import TrackGateTestSupport

/// Feeds `channels` to a fresh meter in blocks of `block` frames.
func measure(_ channels: [[Float]], rate: Int, weights: [Double]? = nil, truePeak: Bool = false,
             block: Int = 4096) -> LoudnessMeasurement {
    var meter = LoudnessMeter(sampleRate: rate, channelWeights: weights ?? Array(repeating: 1, count: channels.count),
                              truePeak: truePeak)
    feed(&meter, channels, block: block)
    return meter.measurement
}

func feed(_ meter: inout LoudnessMeter, _ channels: [[Float]], block: Int = 4096) {
    let frames = channels.first?.count ?? 0
    var offset = 0
    while offset < frames {
        let end = min(frames, offset + block)
        meter.add(channels.map { Array($0[offset..<end]) })
        offset = end
    }
}

typealias Seg = EBUTestSignals.Segment

/// The rates every compliance case runs at: the two common ones and a prime,
/// which has no exact 5 ms or 100 ms grid.
let complianceRates = [44_100, 48_000, 69_313]
