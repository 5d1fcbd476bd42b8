extension Array where Element == [Float] {
    /// Lends every channel's storage at once, for the streaming `add` methods
    /// that take one buffer per channel.
    public func withUnsafeChannelPointers<R, E: Error>(_ body: ([UnsafeBufferPointer<Float>]) throws(E) -> R) throws(E) -> R {
        var pointers: [UnsafeBufferPointer<Float>] = []
        pointers.reserveCapacity(count)
        func lend(_ index: Int) throws(E) -> R {
            if index == count { return try body(pointers) }
            return try self[index].withUnsafeBufferPointer { (p) throws(E) in
                pointers.append(p)
                return try lend(index + 1)
            }
        }
        return try lend(0)
    }
}
