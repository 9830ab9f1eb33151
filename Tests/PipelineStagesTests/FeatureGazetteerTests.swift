import Testing

@testable import PipelineStages

/// The gazetteer marks every beginning of a longer phrase so that matching stops where no phrase goes on; a gazetteer
/// written without the marks (an older model) is matched at every length, with the same result.
@Suite struct FeatureGazetteerTests {
    static let phrases = [
        ["united", "states"], ["united", "states", "of", "america"], ["new", "york"],
        ["new", "york", "stock", "exchange"],
        ["york"], ["bank", "of", "england"], ["england"], ["al-qaeda", "in", "the", "arabian", "peninsula"],
    ]

    func memberships(_ g: FeatureGazetteer, _ text: String) -> [UInt32] {
        let bytes = Array(text.utf8)
        let ranges = spaceSeparated(bytes)
        return bytes.withUnsafeBufferPointer { g.memberships($0, ranges[...]) }
    }

    @Test func markedAndUnmarkedGazetteersMatchTheSame() throws {
        var g = FeatureGazetteer()
        g.add(list: "LOC", phrases: Self.phrases.filter { $0.count != 3 })
        g.add(list: "ORG", phrases: [["bank", "of", "england"], ["new", "york", "stock", "exchange"]])
        let entries = g.sortedEntries
        #expect(entries.contains { $0.bits == FeatureGazetteer.continues })  // "bank of", a beginning only
        // As an older model wrote it: the phrases only, no marks.
        let unmarked = FeatureGazetteer(
            lists: g.lists, longest: g.longest,
            entries: entries.map { ($0.key, $0.bits & ~FeatureGazetteer.continues) }.filter { $0.1 != 0 })
        let reread = FeatureGazetteer(lists: g.lists, longest: g.longest, entries: entries.map { ($0.key, $0.bits) })
        #expect(reread == g)
        let texts = [
            "The United States of America and the New York Stock Exchange", "united states of europe",
            "the Bank of England said", "New York and York", "Bank of Spain", "England", "al-Qaeda in the Arabian Sea",
            "new new york stock exchange exchange", "",
        ]
        for text in texts {
            #expect(memberships(g, text) == memberships(unmarked, text), "\(text)")
        }
        let loc: UInt32 = 1, org: UInt32 = 2
        // "New York Stock Exchange": the longest phrase wins, in both lists, and starts at "New".
        #expect(
            memberships(g, "at the New York Stock Exchange")
                == [0, 0, (loc | org) << 16 | loc | org, loc | org, loc | org, loc | org])
        // "United States of Europe": "United States" only.
        #expect(memberships(g, "United States of Europe") == [loc << 16 | loc, loc, 0, 0])
    }
}

/// The byte ranges of the words of `bytes`, one space apart.
func spaceSeparated(_ bytes: [UInt8]) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var start = 0
    for k in 0...bytes.count where k == bytes.count || bytes[k] == 0x20 {
        ranges.append(start..<k)
        start = k + 1
    }
    return ranges
}
