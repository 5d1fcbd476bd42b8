extension Array where Element == [Float] {
    /// Lends every channel's storage at once, for the streaming `add` methods
    /// that take one buffer per channel.
    public func withUnsafeChannelPointers<R>(_ body: ([UnsafeBufferPointer<Float>]) throws -> R) rethrows -> R {
        var pointers: [UnsafeBufferPointer<Float>] = []
        pointers.reserveCapacity(count)
        func lend(_ index: Int) throws -> R {
            if index == count { return try body(pointers) }
            return try self[index].withUnsafeBufferPointer { p in
                pointers.append(p)
                return try lend(index + 1)
            }
        }
        return try lend(0)
    }
}
