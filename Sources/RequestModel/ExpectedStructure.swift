/// What a valid request promises about the track it produces.
public struct ExpectedStructure: Sendable, Equatable, Codable {
    /// One planned section, with its place on the timeline.
    public struct Section: Sendable, Equatable, Codable {
        /// The segment's name (`SegmentType` names in a valid request).
        public let name: String
        /// Seconds from the start of the track.
        public let start: Double
        public let end: Double

        public init(name: String, start: Double, end: Double) {
            self.name = name
            self.start = start
            self.end = end
        }
    }

    /// The requested length in seconds; nil for services that take none (Sonic, Producer).
    public let duration: Double?
    /// The planned sections, in order; empty when the request sets no structure.
    public let sections: [Section]
    /// The longest track the model makes, in seconds, as its vendor documents
    /// it (approximate); nil when not documented or when a length is requested.
    public let longestDuration: Double?
    /// The section order the lyrics' tags ask for (`[Verse]`, `[Chorus]`), untimed.
    public let lyricSections: [String]
    /// Why the track should have no vocals ("make_instrumental is true", "the
    /// style text says \"instrumental\""); nil when nothing says so.
    public let instrumental: String?
    /// True for a Sonic extension, which holds only the new part until concatenated.
    public let extensionOnly: Bool

    /// A request's length and, for BGM v2.0, its timed plan (Nuro).
    public init(duration: Double, sections: [Section]) {
        self.init(duration: duration, sections: sections, longestDuration: nil, lyricSections: [], instrumental: nil,
                  extensionOnly: false)
    }

    public init(duration: Double?, sections: [Section], longestDuration: Double?, lyricSections: [String],
                instrumental: String?, extensionOnly: Bool) {
        self.duration = duration
        self.sections = sections
        self.longestDuration = longestDuration
        self.lyricSections = lyricSections
        self.instrumental = instrumental
        self.extensionOnly = extensionOnly
    }

    /// The times where one section hands over to the next: the cumulative
    /// segment ends, without the last one (which is the end of the track).
    /// intro 15 s, verse 30 s, chorus 45 s, outro 10 s gives [15, 45, 90].
    public var boundaries: [Double] { sections.dropLast().map(\.end) }
}

extension NuroRequest {
    /// The duration and section plan the request asks for.
    public var expectedStructure: ExpectedStructure {
        switch self {
        case .vocal(let r): return ExpectedStructure(duration: Double(r.duration), sections: [])
        case .bgmV1(let r): return ExpectedStructure(duration: Double(r.duration), sections: [])
        case .bgmV2(let r):
            switch r.plan {
            case .duration(let seconds): return ExpectedStructure(duration: Double(seconds), sections: [])
            case .segments(let segments):
                var sections: [ExpectedStructure.Section] = []
                var time = 0.0
                for segment in segments {
                    let end = time + Double(segment.duration)
                    sections.append(.init(name: segment.name, start: time, end: end))
                    time = end
                }
                return ExpectedStructure(duration: time, sections: sections)
            }
        }
    }
}
