extension RandomAccessCollection {
    /// The first index whose element is not `before` the point, in a collection where every element `before` it comes
    /// first (a binary search: O(log n)). `[1, 3, 5, 7].partitionPoint { $0 < 4 }` is 2.
    func partitionPoint(_ before: (Element) throws -> Bool) rethrows -> Index {
        var lo = startIndex
        var n = count
        while n > 0 {
            let half = n / 2
            let mid = index(lo, offsetBy: half)
            if try before(self[mid]) {
                lo = index(after: mid)
                n -= half + 1
            } else {
                n = half
            }
        }
        return lo
    }
}
