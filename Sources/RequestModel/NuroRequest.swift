/// A Nuro generation request, as posted to `/create`, once validated.
public enum NuroRequest: Sendable, Equatable {
    case vocal(VocalRequest)
    case bgmV1(BGMRequestV1)
    case bgmV2(BGMRequestV2)

    /// The three kinds, with the identifiers used in reports.
    public enum Kind: String, Sendable, Codable {
        case vocal
        case bgmV1 = "bgm_v1"
        case bgmV2 = "bgm_v2"
    }

    public var kind: Kind {
        switch self {
        case .vocal: .vocal
        case .bgmV1: .bgmV1
        case .bgmV2: .bgmV2
        }
    }

    /// The request's own words for the track: the description, or for a song the first lyric line.
    public var title: String {
        switch self {
        case .vocal(let r): r.lyrics.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty && !($0.hasPrefix("[") && $0.hasSuffix("]")) } ?? r.genre ?? "Vocal song"
        case .bgmV1(let r): r.description
        case .bgmV2(let r): r.description
        }
    }
}

/// A song with vocals ("Create Vocal Song").
///
/// In a valid request every field is set; a request read despite broken rules
/// (`RequestValidation.readable`) may lack the descriptive ones, which one of the
/// vendor's pages marks optional.
public struct VocalRequest: Sendable, Equatable {
    public var lyrics: String
    public var genre: String?
    public var mood: String?
    public var gender: String?
    public var timbre: String?
    /// Seconds, 30 to 240.
    public var duration: Int
}

/// Background music, classic parameters ("Create BGM v1.0").
public struct BGMRequestV1: Sendable, Equatable {
    public var description: String
    /// Seconds, 1 to 60.
    public var duration: Int
    public var genre: [String]
    public var mood: [String]
    public var instrument: [String]
    public var theme: [String]
}

/// Background music with optional structure ("Create BGM v2.0").
public struct BGMRequestV2: Sendable, Equatable {
    public var description: String
    /// Either a total duration (30 to 120 s) or a plan of segments.
    public var plan: Plan

    public enum Plan: Sendable, Equatable {
        case duration(Int)
        case segments([Segment])
    }
}

/// One section of a v2.0 plan.
public struct Segment: Sendable, Equatable, Codable {
    /// One of `SegmentType`'s names in a valid request; as written (or
    /// "section N" when missing) in one read despite broken rules.
    public var name: String
    /// Seconds, 5 to 120 in a valid request.
    public var duration: Int

    public init(name: String, duration: Int) {
        self.name = name
        self.duration = duration
    }

    public init(name: SegmentType, duration: Int) {
        self.init(name: name.rawValue, duration: duration)
    }

    /// The section type, when the name is one the reference lists.
    public var type: SegmentType? { SegmentType(rawValue: name) }
}

/// The six section types a v2.0 plan may name.
public enum SegmentType: String, Sendable, Codable, CaseIterable {
    case intro, verse, chorus, inst, bridge, outro
}

import Foundation
