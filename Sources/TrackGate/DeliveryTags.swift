import AudioIO
import Foundation
import RequestModel

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
    /// Control characters found in the request's text (a NUL would end a C
    /// string and cut the tag there): each is written as a space, and the
    /// report's notes say so. Empty when there were none.
    public private(set) var replacedControlCharacters: [String] = []

    public init(request: TrackRequest, task: AnswerEntry?, settings: FinishSettings, format: OutputFormat,
                sourceRate: Int, outputRate: Int, channelCount: Int, sourceCodec: String = "pcm",
                date: Date = SourceDateEpoch.now()) {
        let title = request.title
        let genre: String? = switch request {
        case .nuro: request.style
        // Sonic's tags and Producer's sound are free text, often a sentence: a genre tag only when short.
        case .sonic, .producer: request.style.flatMap { $0.count <= 80 ? $0 : nil }
        }
        let structure = request.expectedStructure
        // What the request asked for, in its own words; fields it left out are left out.
        let asked: [String?] = switch request {
        case .nuro(.vocal(let r)): [r.genre, r.mood, r.gender.map { "\($0) voice" }, r.timbre.map { "\($0) timbre" }]
        case .nuro(.bgmV1(let r)): (r.mood + r.instrument + r.theme).map(Optional.some)
        case .nuro(.bgmV2): []
        case .sonic(let r): [r.model, r.tags, r.makeInstrumental == true ? "instrumental" : nil,
                             r.vocalGender.map { $0 == "f" ? "female voice" : $0 == "m" ? "male voice" : $0 }]
        case .producer(let r): [r.model, r.sound]
        }
        var parts = asked.compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        if let duration = structure.duration { parts.append("\(Self.seconds(duration)) s") }
        var comment = "\(request.service.rawValue) \(Self.kindText(request.kind)) request: " + parts.joined(separator: ", ")
        if !structure.sections.isEmpty {
            comment += "; sections " + structure.sections.map {
                "\($0.name) \(Self.seconds($0.start))-\(Self.seconds($0.end)) s"
            }.joined(separator: ", ")
        } else if !structure.lyricSections.isEmpty {
            comment += "; sections " + structure.lyricSections.joined(separator: ", ")
        }
        if let task { comment += task.service == .nuro ? "; task \(task.id)" : "; clip \(task.id)" }
        comment += String(format: ". Normalised by %@ to %.1f LUFS under %.1f dBTP. ", TrackGateVersion.software,
                          settings.targetLUFS, settings.ceilingDBTP)
        // Last, so the space reserved for it ends the comment.
        loudnessPlaceholder = Self.loudnessSentence(nil, placeholder: true)
        comment += loudnessPlaceholder

        let day = Self.utc("yyyy-MM-dd", date), time = Self.utc("HH:mm:ss", date)
        var replaced: Set<String> = []
        func clean(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
                guard scalar.value < 0x20 || scalar.value == 0x7F else { return scalar }
                replaced.insert(scalar.value == 0 ? "NUL" : String(format: "U+%04X", scalar.value))
                return " "
            }))
        }
        let cleanTitle = clean(title)
        tags = AudioTags(title: cleanTitle, genre: genre.map(clean), comment: clean(comment), date: day,
                         software: TrackGateVersion.software)
        replacedControlCharacters = replaced.sorted()
        guard format.container == .wav else {
            broadcastInfo = nil
            cuePoints = []
            return
        }
        let bits = format.sampleFormat.isFloat ? "32F" : "\(format.sampleFormat.bitDepth)"
        let mode = channelCount == 1 ? "mono" : channelCount == 2 ? "stereo" : "multitrack"
        let history = "A=\(Self.codingAlgorithm(sourceCodec)),F=\(sourceRate),M=\(mode),T=\(request.service.rawValue)\r\n"
            + "A=PCM,F=\(outputRate),W=\(bits),M=\(mode),T=\(TrackGateVersion.software)\r\n"
        broadcastInfo = BroadcastInfo(
            description: Self.ascii("\(request.service.rawValue) \(Self.kindText(request.kind)): \(cleanTitle)", limit: 256),
            originator: "TrackGate", originatorReference: Self.ascii(task?.id ?? "", limit: 32),
            originationDate: day, originationTime: time, codingHistory: history,
            loudness: .init(integratedLUFS: 0, rangeLU: 0, maxTruePeakDBTP: 0, maxMomentaryLUFS: 0, maxShortTermLUFS: 0))
        // libsndfile writes at most 100 cue markers; a plan with more (only a request
        // that broke the reference's rules has one) keeps its first 100.
        cuePoints = structure.boundaries.prefix(SoundFileWriter.maximumCuePoints).map { Int(($0 * Double(outputRate)).rounded()) }
    }

    /// The comment with the loudness sentence of the written file in place of
    /// the placeholder: what `TagEditor` sets in FLAC, MP3 and Opus deliveries
    /// (WAV's fixed-width INFO text is patched in place instead).
    public func comment(measured: LoudnessReport) -> TagField {
        TagField("COMMENT", (tags.comment ?? "").replacingOccurrences(of: loudnessPlaceholder, with: Self.loudnessSentence(measured)))
    }

    /// The comment's loudness sentence; with `placeholder`, the space reserved
    /// for it: every field at its widest, and 4 bytes more, so `MetadataPatch` can
    /// always end a FLAC comment early with a PADDING block.
    public static func loudnessSentence(_ r: LoudnessReport?, placeholder: Bool = false) -> String {
        func sentence(_ field: (Double?, Int) -> String) -> String {
            "Loudness of this file: integrated \(field(r?.integratedLUFS, 6)) LUFS, range \(field(r?.loudnessRangeLU, 5)) LU, "
                + "true peak \(field(r?.truePeakDBTP, 6)) dBTP, max momentary \(field(r?.maxMomentaryLUFS, 6)) LUFS, "
                + "max short-term \(field(r?.maxShortTermLUFS, 6)) LUFS."
        }
        if placeholder { return sentence { String(repeating: "#", count: $1) } + "####" }
        return sentence { v, width in
            guard let v else { return "n/a" }
            return String(String(format: "%.1f", v).prefix(width))
        }
    }

    /// The bext v2 fields for a measurement; a level that does not exist is
    /// stored as 0x7FFF, which EBU Tech 3285 reserves for "not available".
    public static func broadcastLoudness(_ r: LoudnessReport) -> BroadcastInfo.Loudness {
        let missing = 327.67
        return .init(integratedLUFS: r.integratedLUFS ?? missing, rangeLU: r.loudnessRangeLU ?? missing,
                     maxTruePeakDBTP: r.truePeakDBTP ?? missing, maxMomentaryLUFS: r.maxMomentaryLUFS ?? missing,
                     maxShortTermLUFS: r.maxShortTermLUFS ?? missing)
    }

    static func kindText(_ kind: TrackRequest.Kind) -> String {
        switch kind {
        case .vocal: "vocal song"
        case .bgmV1: "BGM v1.0"
        case .bgmV2: "BGM v2.0"
        case .sonic: "song"
        case .producer: "track"
        }
    }

    /// The coding history's `A=` for the downloaded file (EBU R 98): PCM for
    /// PCM and lossless codecs, `MPEG1L3` and the like for MPEG audio, the
    /// codec's name in capitals otherwise (`AAC`, `VORBIS`, `OPUS`).
    static func codingAlgorithm(_ codec: String) -> String {
        switch codec {
        case "mp3": "MPEG1L3"
        case "mp2": "MPEG1L2"
        case "mp1": "MPEG1L1"
        case "flac", "alac", "other": "PCM"
        case let c where c.hasPrefix("pcm"): "PCM"
        case let c: c.uppercased().filter { $0.isLetter || $0.isNumber }
        }
    }

    static func seconds(_ t: Double) -> String {
        t == t.rounded() ? String(Int(t)) : String(format: "%.1f", t)
    }

    /// EBU Tech 3285 fields are ASCII: other text is transliterated (ICU's
    /// Any-Latin and Latin-ASCII: "Café" becomes "Cafe", "東京" "dong jing"),
    /// control characters become spaces, and whatever has no ASCII form '?'.
    /// The UTF-8 original stays in the tags that allow it (INFO, Vorbis comments).
    static func ascii(_ s: String, limit: Int) -> String {
        let latin = s.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false) ?? s
        let scalars = latin.unicodeScalars.map { (scalar: Unicode.Scalar) -> Unicode.Scalar in
            scalar.isASCII ? (scalar.value < 32 || scalar.value == 127 ? " " : scalar) : "?"
        }
        return String(String.UnicodeScalarView(scalars.prefix(limit)))
    }

    static func utc(_ pattern: String, _ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = pattern
        return f.string(from: date)
    }
}
