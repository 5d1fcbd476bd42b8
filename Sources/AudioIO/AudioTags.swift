import CSndFile

/// The string metadata libsndfile can carry: RIFF INFO in WAV, Vorbis comments in
/// FLAC and Ogg, ID3 in MP3 (read only).
///
/// Unset fields are `nil`; an empty string is never stored.
public struct AudioTags: Sendable, Hashable, Codable {
    public var title: String?
    public var artist: String?
    public var album: String?
    public var genre: String?
    public var comment: String?
    public var date: String?
    public var software: String?
    public var copyright: String?
    public var license: String?
    public var trackNumber: String?

    public init(title: String? = nil, artist: String? = nil, album: String? = nil,
                genre: String? = nil, comment: String? = nil, date: String? = nil,
                software: String? = nil, copyright: String? = nil, license: String? = nil,
                trackNumber: String? = nil) {
        self.title = title
        self.artist = artist
        self.album = album
        self.genre = genre
        self.comment = comment
        self.date = date
        self.software = software
        self.copyright = copyright
        self.license = license
        self.trackNumber = trackNumber
    }

    /// True when no field is set.
    public var isEmpty: Bool { entries.isEmpty }

    /// The set fields as (key, value) pairs in a fixed order, keys as in `CodingKeys`.
    public var entries: [(key: String, value: String)] {
        Self.fields.compactMap { field in self[keyPath: field.path].map { (field.key, $0) } }
    }

    /// The set fields under their Vorbis comment names (libsndfile's mapping:
    /// `software` is `ENCODER`), as `TagEditor` stores them.
    public var vorbisFields: [TagField] {
        Self.fields.compactMap { field in self[keyPath: field.path].map { TagField(field.vorbisName, $0) } }
    }

    struct Field: Sendable {
        let key: String
        let path: WritableKeyPath<AudioTags, String?> & Sendable
        let sfType: Int32
        init(_ key: String, _ path: WritableKeyPath<AudioTags, String?> & Sendable, _ sfType: Int) {
            self.key = key
            self.path = path
            self.sfType = Int32(sfType)
        }
        var vorbisName: String {
            switch key {
            case "software": "ENCODER"
            case "track_number": "TRACKNUMBER"
            default: key.uppercased()
            }
        }
    }

    /// The mapping between fields and libsndfile's `SF_STR_*` slots.
    static let fields: [Field] = [
        Field("title", \.title, SF_STR_TITLE),
        Field("artist", \.artist, SF_STR_ARTIST),
        Field("album", \.album, SF_STR_ALBUM),
        Field("genre", \.genre, SF_STR_GENRE),
        Field("comment", \.comment, SF_STR_COMMENT),
        Field("date", \.date, SF_STR_DATE),
        Field("software", \.software, SF_STR_SOFTWARE),
        Field("copyright", \.copyright, SF_STR_COPYRIGHT),
        Field("license", \.license, SF_STR_LICENSE),
        Field("track_number", \.trackNumber, SF_STR_TRACKNUMBER),
    ]

    enum CodingKeys: String, CodingKey {
        case title, artist, album, genre, comment, date, software, copyright, license
        case trackNumber = "track_number"
    }
}
