import AudioCore

/// One of `count` disjoint shares of a batch, for job arrays (Kubernetes
/// Indexed Jobs, Slurm arrays, GNU parallel) that spread a batch over machines
/// with no coordinator.
///
/// A track's shard depends on its id alone (a 64-bit FNV-1a hash, which is
/// the same on every machine and Swift version, unlike `Hasher`), so the
/// shares stay the same however the inputs are listed or ordered, and their
/// union is the whole batch.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// Counts from 0, like `JOB_COMPLETION_INDEX` and `SLURM_ARRAY_TASK_ID` with `--array=0-...`.
    public let index: Int
    public let count: Int

    public static let all = Shard(uncheckedIndex: 0, count: 1)

    private init(uncheckedIndex: Int, count: Int) {
        self.index = uncheckedIndex
        self.count = count
    }

    /// Parses `I/N`, 0 <= I < N.
    public init(parsing text: String) throws(ShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ShardError("--shard \(text): expected I/N, e.g. 0/4 for the first of four shares")
        }
        guard count >= 1 else { throw ShardError("--shard \(text): N must be at least 1") }
        guard (0..<count).contains(index) else {
            throw ShardError("--shard \(text): I counts from 0 and must be below N (0/\(count) to \(count - 1)/\(count))")
        }
        self.init(uncheckedIndex: index, count: count)
    }

    public func contains(_ id: String) -> Bool {
        count == 1 || Self.index(of: id, count: count) == index
    }

    /// The share of `count` that `id` belongs to.
    public static func index(of id: String, count: Int) -> Int {
        Int(hash(id) % UInt64(count))
    }

    public var description: String { "\(index)/\(count)" }

    /// FNV-1a, 64-bit, over the UTF-8 bytes, then a final avalanche (the
    /// SplitMix64 finaliser): FNV's low bits alone follow the last byte, and ids
    /// like `track-001` ... `track-999` would otherwise split unevenly.
    static func hash(_ id: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return SplitMix64.mix(h)
    }
}

public struct ShardError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
