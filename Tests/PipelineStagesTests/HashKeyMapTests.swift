import Testing

@testable import PipelineStages

/// The open-addressing map the taggers and caches look word hashes up in: what a Dictionary would answer.
@Suite struct HashKeyMapTests {
    @Test func answersLikeADictionaryThroughGrowthUpdatesAndKeyZero() {
        var map = HashKeyMap<UInt32>()
        var reference: [UInt64: UInt32] = [:]
        var g = SeededKeys(seed: 7)
        // Colliding low bits, key 0, the largest key, and random keys; some set twice.
        var keys: [UInt64] = [0, UInt64.max, 1 << 40, 2 << 40, 3 << 40]
        for _ in 0..<5_000 { keys.append(g.next()) }
        for (i, k) in keys.enumerated() {
            map[k] = UInt32(i)
            reference[k] = UInt32(i)
            if i % 7 == 0 {
                map[k] = UInt32(i * 3)
                reference[k] = UInt32(i * 3)
            }
        }
        #expect(map.count == reference.count)
        for k in keys { #expect(map[k] == reference[k]) }
        for _ in 0..<1_000 {
            let k = g.next()
            #expect(map[k] == reference[k])
        }
        #expect(map.sortedPairs.map(\.key) == reference.keys.sorted())
        var again = HashKeyMap<UInt32>()
        for k in keys.reversed() { again[k] = reference[k] }
        #expect(again == map)
        again[12345] = 1
        #expect(again != map)
    }

    @Test func aMapSizedBeforehandHoldsTheSameKeys() {
        var g = SeededKeys(seed: 11)
        let keys = (0..<3_000).map { _ in g.next() } + [0]
        var sized = HashKeyMap<Int32>(minimumCapacity: keys.count)
        var grown = HashKeyMap<Int32>()
        for (i, k) in keys.enumerated() {
            sized[k] = Int32(i)
            grown[k] = Int32(i)
        }
        #expect(sized == grown && sized.count == keys.count)
        for (i, k) in keys.enumerated() { #expect(sized[k] == Int32(i)) }
        #expect(sized[g.next()] == nil)
        // Too small a hint still works: the map grows.
        var small = HashKeyMap<Int32>(minimumCapacity: 2)
        for (i, k) in keys.enumerated() { small[k] = Int32(i) }
        #expect(small == grown)
    }

    @Test func aFullerMapAnswersTheSameAndKeepsItsLoadAsItGrows() {
        var g = SeededKeys(seed: 13)
        let keys = (0..<4_000).map { _ in g.next() }
        var full = HashKeyMap<Int32>(minimumCapacity: 1_000, load: 0.75)
        var half = HashKeyMap<Int32>(minimumCapacity: 1_000)
        for (i, k) in keys.enumerated() {
            full[k] = Int32(i)
            half[k] = Int32(i)
        }
        #expect(full == half && full.count == keys.count)
        for (i, k) in keys.enumerated() { #expect(full[k] == Int32(i)) }
        for _ in 0..<1_000 { #expect(full[g.next()] == nil) }
    }

    @Test func aKeyFilterPassesEveryKeyAndStopsMostOthers() {
        var g = SeededKeys(seed: 17)
        let keys = (0..<20_000).map { _ in g.next() } + [0, .max]
        let filter = KeyFilter(keys: keys)
        #expect(keys.allSatisfy(filter.mayContain))
        let passed = (0..<100_000).filter { _ in filter.mayContain(g.next()) }.count
        // At least eight slots per key: about one in nine others passes.
        #expect(passed < 15_000)
        #expect(KeyFilter(keys: []).mayContain(1) == false)
    }

    /// A deterministic stream of keys (splitmix64).
    struct SeededKeys {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
