/// Keeps byte ranges on character (extended grapheme cluster) boundaries, so that no span splits `e` from a combining
/// accent, an emoji from its modifier, or a flag's two halves. Between two ASCII bytes there is always a boundary
/// (except CR LF, which no span ends between), so only ranges with a non-ASCII neighbour are checked, on a small
/// window of text.
enum CharacterBoundaries {
    /// `ranges` (in order, not overlapping) with every start and end moved forward to the next character boundary;
    /// ranges that become empty or are swallowed by the previous one are dropped.
    static func align(_ bytes: UnsafeBufferPointer<UInt8>, _ ranges: [Range<Int>]) -> [Range<Int>] {
        guard ranges.contains(where: { needsCheck(bytes, $0.lowerBound) || needsCheck(bytes, $0.upperBound) }) else {
            return ranges
        }
        var out: [Range<Int>] = []
        out.reserveCapacity(ranges.count)
        for r in ranges {
            var s = r.lowerBound
            if let last = out.last, s < last.upperBound { s = last.upperBound }
            if needsCheck(bytes, s) { s = nextBoundary(bytes, atOrAfter: s) }
            var e = max(s, r.upperBound)
            if needsCheck(bytes, e) { e = nextBoundary(bytes, atOrAfter: e) }
            if e > s { out.append(s..<e) }
        }
        return out
    }

    /// Whether `i` may fall inside a character: a neighbouring byte is not ASCII.
    @inline(__always)
    static func needsCheck(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i > 0 && i < bytes.count else { return false }
        return bytes[i] >= 0x80 || bytes[i - 1] >= 0x80
    }

    /// The first character boundary at or after byte `i` (which is on a scalar boundary).
    static func nextBoundary(_ bytes: UnsafeBufferPointer<UInt8>, atOrAfter i: Int) -> Int {
        // A character starts at an ASCII byte other than a line feed (after CR) unless a prepended mark precedes it;
        // start the window at the last such byte well before `i` (or at the text's start).
        var ws = i - 1
        var steps = 0
        while ws > 0 && (bytes[ws] >= 0x80 || bytes[ws] == 0x0A || bytes[ws - 1] >= 0x80) && steps < 256 {
            ws -= 1
            steps += 1
        }
        while ws > 0 && ByteClass.isContinuation(bytes[ws]) { ws -= 1 }
        var we = min(bytes.count, i + 256)
        while we < bytes.count && ByteClass.isContinuation(bytes[we]) { we += 1 }
        let window = String(decoding: UnsafeBufferPointer(rebasing: bytes[ws..<we]), as: UTF8.self)
        var at = ws
        for ch in window {
            if at >= i { return at }
            at += ch.utf8.count
        }
        return min(at, bytes.count)
    }
}
