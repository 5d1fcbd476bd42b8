import Synchronization

/// Asks a running batch to stop taking new tracks (Ctrl-C). Tracks already
/// started finish, so every output stays complete; the rerun does the rest.
public final class BatchCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() { flag.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
