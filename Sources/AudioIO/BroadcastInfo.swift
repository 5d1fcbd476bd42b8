/// The Broadcast Wave Format `bext` chunk (EBU Tech 3285, version 2).
///
/// Version 2 adds five loudness fields (EBU Tech 3285 v2, clause 2.3) stored as
/// 16-bit integers in hundredths; they are carried here in their natural units
/// and rounded on write. A chunk without them is written as version 1.
public struct BroadcastInfo: Sendable, Hashable, Codable {
    /// Free description, at most 256 ASCII characters (longer text is cut).
    public var description: String
    /// Name of the originator, at most 32 characters.
    public var originator: String
    /// Unique reference of the originator, at most 32 characters.
    public var originatorReference: String
    /// `yyyy-mm-dd`.
    public var originationDate: String
    /// `hh:mm:ss`.
    public var originationTime: String
    /// First sample's position in samples since midnight.
    public var timeReference: UInt64
    /// Process history, one line per step (EBU R 98), at most 256 characters here.
    public var codingHistory: String
    /// The version-2 loudness fields, or nil to write a version-1 chunk.
    public var loudness: Loudness?

    /// EBU Tech 3285 v2 loudness metadata, measured per EBU R 128. A field is
    /// nil when the chunk marks it not set (0x7FFF, Tech 3285 v2 clause 2.3).
    public struct Loudness: Sendable, Hashable, Codable {
        public var integratedLUFS: Double?
        public var rangeLU: Double?
        public var maxTruePeakDBTP: Double?
        public var maxMomentaryLUFS: Double?
        public var maxShortTermLUFS: Double?

        public init(integratedLUFS: Double?, rangeLU: Double?, maxTruePeakDBTP: Double?,
                    maxMomentaryLUFS: Double?, maxShortTermLUFS: Double?) {
            self.integratedLUFS = integratedLUFS
            self.rangeLU = rangeLU
            self.maxTruePeakDBTP = maxTruePeakDBTP
            self.maxMomentaryLUFS = maxMomentaryLUFS
            self.maxShortTermLUFS = maxShortTermLUFS
        }
    }

    public init(description: String, originator: String, originatorReference: String = "",
                originationDate: String, originationTime: String, timeReference: UInt64 = 0,
                codingHistory: String = "", loudness: Loudness? = nil) {
        self.description = description
        self.originator = originator
        self.originatorReference = originatorReference
        self.originationDate = originationDate
        self.originationTime = originationTime
        self.timeReference = timeReference
        self.codingHistory = codingHistory
        self.loudness = loudness
    }
}

extension BroadcastInfo.Loudness {
    /// The value that marks a field not set (EBU Tech 3285 v2, clause 2.3).
    static let notSet = Int16.max

    /// The stored form: hundredths, clamped to the 16-bit field below the
    /// not-set mark; nil is stored as not set, minus infinity (silence) as the lowest value.
    static func hundredths(_ value: Double?) -> Int16 {
        guard let value else { return notSet }
        guard value.isFinite else { return Int16.min }
        return Int16(max(Double(Int16.min), min(Double(notSet - 1), (value * 100).rounded())))
    }

    /// A stored field in natural units; nil when it is marked not set.
    static func value(_ stored: Int16) -> Double? {
        stored == notSet ? nil : Double(stored) / 100
    }
}
