import Foundation

/// A generation request of any service TrackGate knows, once read: Nuro's
/// (retired, but its requests fill users' archives) and its successors',
/// Sonic (vocal music) and Producer (instrumental and BGM).
///
/// The service is told from the fields (`RequestValidator`): Nuro requests say
/// `"type"`; Sonic's carry `custom_mode` or a `sonic-*` model; Producer's carry
/// `sound`, or lyrics without `custom_mode`.
public enum TrackRequest: Sendable, Equatable {
    case nuro(NuroRequest)
    case sonic(SonicRequest)
    case producer(ProducerRequest)

    /// The kinds, with the identifiers used in reports (`validate --json`'s `kind`).
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case vocal
        case bgmV1 = "bgm_v1"
        case bgmV2 = "bgm_v2"
        case sonic
        case producer

        /// "vocal", "BGM v2.0", "Sonic", ...
        public var name: String {
            switch self {
            case .vocal: "vocal"
            case .bgmV1: "BGM v1.0"
            case .bgmV2: "BGM v2.0"
            case .sonic: "Sonic"
            case .producer: "Producer"
            }
        }

        /// "vocal request", "BGM v2.0 request", "Sonic request", ...
        public var phrase: String { "\(name) request" }
    }

    public var kind: Kind {
        switch self {
        case .nuro(let r):
            switch r.kind {
            case .vocal: .vocal
            case .bgmV1: .bgmV1
            case .bgmV2: .bgmV2
            }
        case .sonic: .sonic
        case .producer: .producer
        }
    }

    /// The service whose request this is.
    public var service: GenerationService {
        switch self {
        case .nuro: .nuro
        case .sonic: .sonic
        case .producer: .producer
        }
    }

    /// The request's own words for the track: its title, description, or first lyric line.
    public var title: String {
        switch self {
        case .nuro(let r): r.title
        case .sonic(let r): r.title.flatMap(Self.nonEmpty) ?? r.description.flatMap(Self.nonEmpty)
            ?? LyricSections.firstLine(of: r.prompt ?? "") ?? "Sonic song"
        case .producer(let r): r.title.flatMap(Self.nonEmpty) ?? r.sound.flatMap(Self.nonEmpty)
            ?? LyricSections.firstLine(of: r.lyrics ?? "") ?? "Producer track"
        }
    }

    /// The style words the request gives (Nuro genres, Sonic tags, Producer's sound), for tags.
    public var style: String? {
        switch self {
        case .nuro(.vocal(let r)): r.genre.flatMap(Self.nonEmpty)
        case .nuro(.bgmV1(let r)): r.genre.isEmpty ? nil : r.genre.joined(separator: ", ")
        case .nuro(.bgmV2): nil
        case .sonic(let r): r.tags.flatMap(Self.nonEmpty)
        case .producer(let r): r.sound.flatMap(Self.nonEmpty)
        }
    }

    private static func nonEmpty(_ s: String) -> String? {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    /// What the request lets the gate expect of the track.
    public var expectedStructure: ExpectedStructure {
        switch self {
        case .nuro(let r): r.expectedStructure
        case .sonic(let r): r.expectedStructure
        case .producer(let r): r.expectedStructure
        }
    }
}
