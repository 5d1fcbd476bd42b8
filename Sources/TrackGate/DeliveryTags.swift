import AudioIO
import Foundation
import NuroRequest

/// The metadata a delivery file carries: RIFF INFO or Vorbis comments, and
/// for WAV a Broadcast Wave `bext` chunk and cue markers at the requested
/// section boundaries.
///
/// The loudness of the written file is known only after it is written and
/// measured, while libsndfile takes tags before the first frame; so the
/// comment holds a fixed-width placeholder sentence (and `bext` zeroed v2
/// fields) that `MetadataPatch` fills in before the file takes its name.
public struct DeliveryTags: Sendable {
    public var tags: AudioTags
    public var broadcastInfo: BroadcastInfo?
    public var cuePoints: [Int]
    /// The comment text standing in for the loudness sentence.
    public let loudnessPlaceholder: String

    public init(request: NuroRequest, task: TaskAnswer?, settings: FinishSettings, format: OutputFormat,
                sourceRate: Int, outputRate: Int, channelCount: Int, date: Date = Date()) {
        let title = request.title
        let genre: String? = switch request {
        case .vocal(let r): r.genre
        case .bgmV1(let r): r.genre.isEmpty ? nil : r.genre.joined(separator: ", ")
        case .bgmV2: nil
        }
        let structure = request.expectedStructure
        var comment = "Nuro \(Self.kindText(request.kind)) request"
        switch request {
        case .vocal(let r): comment += ": \(r.genre), \(r.mood), \(r.gender) voice, \(r.timbre) timbre, \(r.duration) s"
        case .bgmV1(let r): comment += ": " + (r.mood + r.instrument + r.theme).joined(separator: ", ") + ", \(r.duration) s"
        case .bgmV2: comment += ", \(Int(structure.duration)) s"
        }
        if !structure.sections.isEmpty {
            comment += "; sections " + structure.sections.map {
                "\($0.name.rawValue) \(Self.seconds($0.start))-\(Self.seconds($0.end)) s"
            }.joined(separator: ", ")
        }
        if let id = task?.taskID { comment += "; task \(id)" }
        comment += String(format: ". Normalised by %@ to %.1f LUFS under %.1f dBTP. ", TrackGateVersion.software,
                          settings.targetLUFS, settings.ceilingDBTP)
        // Last, so the padding that keeps its length fixed trails the whole comment.
        loudnessPlaceholder = Self.loudnessSentence(nil, placeholder: true)
        comment += loudnessPlaceholder

        let day = Self.utc("yyyy-MM-dd", date), time = Self.utc("HH:mm:ss", date)
        tags = AudioTags(title: title, genre: genre, comment: comment, date: day, software: TrackGateVersion.software)
        guard format.container == .wav else {
            broadcastInfo = nil
            cuePoints = []
            return
        }
        let bits = format.sampleFormat.isFloat ? "32F" : "\(format.sampleFormat.bitDepth)"
        let mode = channelCount == 1 ? "mono" : channelCount == 2 ? "stereo" : "multitrack"
        let history = "A=PCM,F=\(sourceRate),M=\(mode),T=Nuro\r\n"
            + "A=PCM,F=\(outputRate),W=\(bits),M=\(mode),T=\(TrackGateVersion.software)\r\n"
        broadcastInfo = BroadcastInfo(
            description: Self.ascii("Nuro \(Self.kindText(request.kind)): \(title)", limit: 256), originator: "TrackGate",
            originatorReference: Self.ascii(task?.taskID ?? "", limit: 32),
            originationDate: day, originationTime: time, codingHistory: history,
            loudness: .init(integratedLUFS: 0, rangeLU: 0, maxTruePeakDBTP: 0, maxMomentaryLUFS: 0, maxShortTermLUFS: 0))
        cuePoints = structure.boundaries.map { Int(($0 * Double(outputRate)).rounded()) }
    }

    /// The comment's loudness sentence, padded with trailing spaces to the
    /// placeholder's length (every field at its widest), so it fits the space reserved.
    public static func loudnessSentence(_ r: LoudnessReport?, placeholder: Bool = false) -> String {
        func sentence(_ field: (Double?, Int) -> String) -> String {
            "Loudness of this file: integrated \(field(r?.integratedLUFS, 6)) LUFS, range \(field(r?.loudnessRangeLU, 5)) LU, "
                + "true peak \(field(r?.truePeakDBTP, 6)) dBTP, max momentary \(field(r?.maxMomentaryLUFS, 6)) LUFS, "
                + "max short-term \(field(r?.maxShortTermLUFS, 6)) LUFS."
        }
        let reserved = sentence { String(repeating: "#", count: $1) }
        if placeholder { return reserved }
        let text = sentence { v, width in
            guard let v else { return "n/a" }
            return String(String(format: "%.1f", v).prefix(width))
        }
        return text + String(repeating: " ", count: max(0, reserved.utf8.count - text.utf8.count))
    }

    /// The bext v2 fields for a measurement; a level that does not exist is
    /// stored as 0x7FFF, which EBU Tech 3285 reserves for "not available".
    public static func broadcastLoudness(_ r: LoudnessReport) -> BroadcastInfo.Loudness {
        let missing = 327.67
        return .init(integratedLUFS: r.integratedLUFS ?? missing, rangeLU: r.loudnessRangeLU ?? missing,
                     maxTruePeakDBTP: r.truePeakDBTP ?? missing, maxMomentaryLUFS: r.maxMomentaryLUFS ?? missing,
                     maxShortTermLUFS: r.maxShortTermLUFS ?? missing)
    }

    static func kindText(_ kind: NuroRequest.Kind) -> String {
        switch kind { case .vocal: "vocal song"; case .bgmV1: "BGM v1.0"; case .bgmV2: "BGM v2.0" }
    }

    static func seconds(_ t: Double) -> String {
        t == t.rounded() ? String(Int(t)) : String(format: "%.1f", t)
    }

    /// EBU Tech 3285 fields are ASCII; other characters become '?'.
    static func ascii(_ s: String, limit: Int) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.prefix(limit).map { $0.isASCII && $0.value >= 32 ? $0 : "?" }))
    }

    static func utc(_ pattern: String, _ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = pattern
        return f.string(from: date)
    }
}
