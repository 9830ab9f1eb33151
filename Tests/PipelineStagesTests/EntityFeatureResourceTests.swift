import Foundation
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// The case profile and the training-data name lists: learned as documented, written into the model and read back,
/// and refused with a clear message when asked for without what they are learned from.
@Suite struct EntityFeatureResourceTests {
    /// The lower-cased FNV hash of a word, as the profile keys it.
    func key(_ w: String) -> UInt64 {
        var bytes = Array(w.utf8)
        return bytes.withUnsafeMutableBufferPointer { TokenFeatures.fnv(UnsafeBufferPointer($0), lowercase: true) }
    }

    @Test func theCaseProfileCountsOnlyWordsAfterALowerCaseWord() {
        let texts = [
            "Rain fell on the Bahia zone . Showers helped the Bahia crop .",
            "TRADERS SAID SHOWERS HELPED . The rain came and the showers went and the showers stopped .",
            "Traders in the Bahia region said so . Traders said the bill passed , the Bill said .",
        ]
        let profile = CaseProfile.learn(texts)
        // "Bahia" after "the" three times, always capitalised: class 4 (at least 95 %, seen under ten times).
        #expect(profile[key("bahia")] == 4)
        // "showers" mid-sentence twice in lower case; the capitalised sentence start and the headline do not count.
        #expect(profile[key("showers")] == 1)
        // "bill" once in lower case after "the", once capitalised after "the": half of the time.
        #expect(profile[key("bill")] == 3)
        // "Traders" only ever starts a sentence or follows a capitalised word: never counted, class 0.
        #expect(profile[key("traders")] == 0)
        // Ten or more occurrences move a word to the frequent classes.
        let many = CaseProfile.learn([String](repeating: "we met the Kurds there", count: 10))
        #expect(many[key("kurds")] == 8)
    }

    @Test func namePhrasesAreCapitalisedRunsSeenMidSentenceOftenEnough() {
        let texts =
            [String](
                repeating:
                    "Rates rose after the Bank of England met . Officials at the Federal Reserve said so . FEDERAL RESERVE SAYS NOTHING .",
                count: 3) + ["Talks with the World Bank ended ."]
        // "World Bank" is seen once; "Rates" and "Officials" start sentences; the headline is in capitals.
        #expect(NewsNamePhrases.learn(texts) == [["Bank", "of", "England"], ["Federal", "Reserve"]])
        #expect(NewsNamePhrases.learn(texts, minCount: 1).last == ["World", "Bank"])
    }

    @Test func namesListedFromTrainingDataLeaveOutTheirOwnPartAndTakeTheMostFrequentType() throws {
        let dir = try TempDir()
        let corpus = try TaggedCorpus.read(try dir.write("tiny.conll", tinyConll))
        func listed(_ names: [(tokens: [String], type: Int)]) -> [String] {
            names.map { $0.tokens.joined(separator: " ") + "/" + EntityTags.types[$0.type] }
        }
        #expect(
            listed(corpus.names()) == [
                "Claire Duval/PER", "Baghdad/LOC", "United Nations/ORG", "Geneva/LOC",
                "Iraqi/MISC", "Duval/PER",
            ])
        // Two parts: document 0 is part 0, document 1 part 1.
        #expect(listed(corpus.names(folds: 2, excluding: 0)) == ["Iraqi/MISC", "Duval/PER"])
        #expect(listed(corpus.names(folds: 2, excluding: 1)).count == 4)
    }

    @Test func aModelWithTheCaseProfileAndNameListsWritesBackToItsOwnBytes() throws {
        let dir = try TempDir()
        let train = try dir.write("tiny.conll", tinyConll)
        let paragraphs = "Officials in the Bahia region met the Kurds .\n\nThe minister said the showers helped ."
        let news = try dir.write("news.txt", paragraphs + "\n\n" + paragraphs)
        var notes: [String] = []
        _ = try EntitiesStage.train(
            TrainingRequest(
                trainFiles: [train], unlabelledFiles: [news], output: dir.path("m.model"), epochs: 2, seed: 3,
                settings: ["casing": "on", "clusters": "off", "lists": "on"])
        ) { if case .note(let n) = $0 { notes.append(n) } }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir.path("m.model")))
        let model = try EntityModel.load(dir.path("m.model"))
        #expect(model.serialized() == [UInt8](bytes))
        #expect(Array(bytes[8..<12]) == [2, 0, 0, 0])  // format 2: it has a case profile
        #expect(model.resources.clusters == nil)
        #expect(model.resources.casing?[key("bahia")] == 4)
        #expect(model.resources.gazetteer?.lists.suffix(4) == ["train-PER", "train-ORG", "train-LOC", "train-MISC"])
        // Seen twice after a lower-case word: the, Bahia, met, Kurds, said, showers, helped.
        #expect(notes.contains("case profile: 7 words"))
        // Four more features per token with the profile.
        let plain = FeatureResources()
        var withCasing = plain
        withCasing.casing = model.resources.casing
        let counts = Array("Bahia rain".utf8).withUnsafeBufferPointer { p in
            [plain, withCasing].map { TokenFeatures(p, [0..<5, 6..<10][...], resources: $0).hashes.count }
        }
        #expect(counts[1] - counts[0] == 8)
    }

    /// A worker's kept sums of words' own features give the emissions made without them, to the bit, whether the
    /// sums are new, kept, or the cache was emptied when full.
    @Test func keptSumsGiveTheSameEmissions() throws {
        let model = try EntityModel.load(
            try ModelChoice(nil, builtIn: "entities", kind: "entity", option: "model").path())
        let fused = try #require(model.fused)
        let sentences = [
            "Iraqi Prime Minister Karim al-Saadi met Claire Duval in Baghdad .",
            "SOCCER - LEEDS BEAT CHELSEA 2-1 .",
            "Duval said the talks in Baghdad went well .",
        ]
        func featuresOf(_ text: String, skipping: ((UInt64) -> Bool)? = nil) -> TokenFeatures {
            let bytes = Array(text.utf8)
            let ranges = spaceSeparated(bytes)
            return bytes.withUnsafeBufferPointer {
                TokenFeatures($0, ranges[...], resources: model.resources, skipping: skipping)
            }
        }
        let features = sentences.map { featuresOf($0) }
        // Tokens with the same key have the same own features ("Baghdad", "in", "." twice or more).
        var localOf: [UInt64: [UInt64]] = [:]
        for f in features {
            for i in 0..<f.count {
                let local = Array(f.hashes[f.offsets[i]..<(f.offsets[i] + f.localCount)])
                if let seen = localOf[f.localKeys[i]] {
                    #expect(seen == local)
                } else {
                    localOf[f.localKeys[i]] = local
                }
            }
        }
        #expect(localOf.count < features.reduce(0) { $0 + $1.count })
        for capacity in [1 << 15, 5] {
            var cache: EmissionCache? = EmissionCache(capacity: capacity)
            for _ in 0..<2 {
                for f in features {
                    let kept = fused.emissions(f, cache: &cache)
                    let plain = fused.emissions(f)
                    #expect(kept.first == plain.first && kept.second == plain.second)
                }
            }
            // Emptied before a sentence it has no room for: never more than its capacity or one sentence's tokens.
            #expect(cache!.count > 0 && cache!.count <= max(capacity, features.map(\.count).max()!))
        }
        // Features made without the own features of the tokens the cache keeps (as the stage makes them) give the
        // same emissions too, and leave those features out.
        var cache: EmissionCache? = EmissionCache()
        var skipped = 0
        for _ in 0..<2 {
            for (text, plain) in zip(sentences, features) {
                cache!.makeRoom(for: plain.count)
                let kept = cache!
                let lean = featuresOf(text) { kept.start(of: $0) != nil }
                skipped += lean.ownWritten.filter { !$0 }.count
                #expect(
                    lean.hashes.count == plain.hashes.count - lean.ownWritten.filter { !$0 }.count * lean.localCount)
                let e = fused.emissions(lean, cache: &cache)
                let p = fused.emissions(plain)
                #expect(e.first == p.first && e.second == p.second)
            }
        }
        #expect(skipped > features.reduce(0) { $0 + $1.count })  // every token the second time round, some the first
    }

    @Test func settingsThatNeedUnlabelledTextOrAnOnOffValueAreRefused() throws {
        let dir = try TempDir()
        let train = try dir.write("tiny.conll", tinyConll)
        func request(_ settings: [String: String]) -> TrainingRequest {
            TrainingRequest(trainFiles: [train], output: dir.path("m.model"), epochs: 1, settings: settings)
        }
        #expect(
            throws: TrainingError.request("casing is learned from unlabelled text: give it with --unlabelled FILE")
        ) { try EntitiesStage.train(request(["casing": "on"])) { _ in } }
        #expect(throws: TrainingError.request("lists must be on or off, not 'yes'")) {
            try EntitiesStage.train(request(["lists": "yes"])) { _ in }
        }
    }
}
