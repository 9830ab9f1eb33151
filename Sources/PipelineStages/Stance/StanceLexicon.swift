import Foundation
import PipelineCore

/// Words and what they do to the stance toward a nearby target: valences (−1…1) written for this project or learned
/// from annotated news, and the rule words written for this project (negators, intensifiers, diminishers, hedges, contrast, conflict and
/// cooperation verbs). Tab-separated files `WORD VALUE KIND`, `#` comments; a later file's entry for a word wins.
struct StanceLexicon: Sendable, Equatable {
    enum Kind: String, Sendable, CaseIterable {
        case valence, negator, intensifier, diminisher, hedge, contrast, conflict, cooperation
    }
    struct Entry: Sendable, Equatable {
        var value: Double
        var kind: Kind
    }

    private(set) var entries: [String: Entry] = [:]
    /// The entries by ``StanceFeatures/wordHash(_:)`` of their word, for callers that hashed their words already
    /// (the stance model, per mention and word of its sentence): a slot in `indexed`, checked against the word.
    private var byHash = HashKeyMap<Int32>()
    private var indexed: [(word: String, entry: Entry)] = []
    /// Two words of the lexicon share a hash: look-ups by hash go through `entries`.
    private var hashesCollide = false

    init(entries: [String: Entry] = [:]) {
        self.entries = entries
        buildIndex()
    }

    static func == (a: StanceLexicon, b: StanceLexicon) -> Bool { a.entries == b.entries }

    private mutating func buildIndex() {
        byHash = HashKeyMap()
        indexed = []
        hashesCollide = false
        for (w, e) in entries {
            let h = StanceFeatures.wordHash(w)
            if byHash[h] != nil { hashesCollide = true }
            byHash[h] = Int32(indexed.count)
            indexed.append((w, e))
        }
    }

    /// What a lower-cased word does, if anything.
    @inline(__always) subscript(word: String) -> Entry? { entries[word] }

    /// What a lower-cased word whose ``StanceFeatures/wordHash(_:)`` is `hash` does, if anything.
    @inline(__always) func entry(_ word: String, hash: UInt64) -> Entry? {
        if hashesCollide { return entries[word] }
        guard let i = byHash[hash] else { return nil }
        let candidate = indexed[Int(i)]
        return candidate.word == word ? candidate.entry : nil
    }

    /// Parses a file's text.
    init(text: String, file: String, option: String = "lexicon") throws {
        for (number, line, c) in text.tableRows {
            guard c.count >= 2, !c[0].isEmpty, let value = Double(c[1]), value.isFinite else {
                throw StageConfigurationError(
                    "\(file):\(number): expected WORD<TAB>VALUE[<TAB>KIND], found '\(line.prefix(60))'",
                    option: option)
            }
            let kindName = c.count >= 3 && !c[2].isEmpty ? c[2] : "valence"
            guard let kind = Kind(rawValue: kindName) else {
                throw StageConfigurationError(
                    "\(file):\(number): kind '\(kindName)' is not one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))",
                    option: option)
            }
            entries[c[0].lowercased()] = Entry(value: value, kind: kind)
        }
        buildIndex()
    }

    static func load(_ path: String, option: String = "lexicon") throws -> StanceLexicon {
        guard let data = FileManager.default.contents(atPath: path), let text = String(validating: data, as: UTF8.self)
        else {
            throw StageConfigurationError(
                "lexicon file '\(path)' \(FileManager.default.fileExists(atPath: path) ? "is not readable UTF-8 text" : "does not exist")",
                option: option)
        }
        return try StanceLexicon(text: text, file: path, option: option)
    }

    /// `other`'s entries over these.
    func merged(with other: StanceLexicon) -> StanceLexicon {
        StanceLexicon(entries: entries.merging(other.entries) { _, new in new })
    }

    /// The file text, words sorted.
    var text: String {
        var out = "# Stance lexicon: WORD<TAB>VALUE<TAB>KIND (see the README, \"Stance lexicon\")\n"
        for (w, e) in entries.sorted(by: { $0.key < $1.key }) {
            out += "\(w)\t\(String(format: "%.4f", e.value))\t\(e.kind.rawValue)\n"
        }
        return out
    }

    /// The shipped rules and learned valences.
    static let builtIn: StanceLexicon = {
        var l = StanceLexicon()
        for name in ["stance-lexicon", "stance-valences", "stance-rules"] {
            if let p = Bundle.module.path(forResource: name, ofType: "tsv", inDirectory: "Resources"),
                let f = try? load(p)
            {
                l = l.merged(with: f)
            }
        }
        return l
    }()
}
