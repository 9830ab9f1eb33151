import Foundation
import PipelineCore

/// The words that carry an interaction between actors, with their CAMEO-style code, quad class and weight, read from
/// tab-separated files (`Resources/events.tsv`, and a user's own with `dictionary=PATH`):
/// `ACTION POS CODE WEIGHT [FORMS] [FLAGS]`, `#` comments. See the README, "Events".
///
/// Every inflected form of an action's first word (made from the lemma, plus the irregular forms listed) is hashed
/// once into a ``HashKeyMap``, so that a token is looked up by the FNV-1a hash of its lower-cased bytes.
struct EventDictionary: Sendable {
    /// One action.
    struct Entry: Sendable, Equatable {
        /// The lemma as written (`call on`).
        var action: String
        /// A noun (`attack`, `talks`), not a verb.
        var noun: Bool
        var code: String
        var quad: Event.Quad
        var weight: Double
        /// Two actors joined by "and" do it together.
        var symmetric: Bool
        /// The FNV-1a hashes of the lower-cased words after the first (a fixed phrase: `call on` → [on]).
        var rest: [UInt64]
        /// For a noun of several words, the hash of its last word's plural (`air strikes`), which may stand in for
        /// the last of `rest`.
        var restPlural: UInt64?

        /// Whether `hashes` (the words after the first) spell the rest of the phrase.
        func restMatches(_ hash: (Int) -> UInt64) -> Bool {
            for (i, h) in rest.enumerated() where hash(i) != h {
                guard i == rest.count - 1, let p = restPlural, hash(i) == p else { return false }
            }
            return true
        }
    }

    /// How a token's form relates to its entry's lemma.
    enum Form: UInt8, Sendable {
        /// A verb's base form or a noun's singular.
        case base
        /// A verb's -s form or a noun's plural.
        case plural
        /// A verb's past tense or past participle (-ed or irregular).
        case past
        /// A verb's -ing form.
        case ing
    }

    /// One reading of a word: an entry and the form the word has in it.
    struct Reading: Sendable, Equatable {
        var entry: Int32
        var form: Form
    }

    private(set) var entries: [Entry] = []
    /// FNV-1a of a lower-cased first word → index into `readings`.
    private var index = HashKeyMap<Int32>()
    private var readings: [[Reading]] = []

    init() {}

    /// Parses a file's text.
    ///
    /// - Throws: ``StageConfigurationError`` naming the file and line of a malformed line.
    init(text: String, file: String, option: String = "dictionary") throws {
        try add(text: text, file: file, option: option)
    }

    /// Adds the lines of a file; a later line replaces an earlier one of the same action and part of speech.
    mutating func add(text: String, file: String, option: String = "dictionary") throws {
        for (number, line, columns) in text.tableRows {
            func fail(_ message: String) -> StageConfigurationError {
                StageConfigurationError("\(file):\(number): \(message)", option: option)
            }
            guard columns.count >= 4, !columns[0].isEmpty else {
                throw fail(
                    "expected ACTION<TAB>POS<TAB>CODE<TAB>WEIGHT[<TAB>FORMS<TAB>FLAGS], found '\(line.prefix(60))'")
            }
            guard columns[1] == "verb" || columns[1] == "noun" else {
                throw fail("part of speech '\(columns[1])' is not verb or noun")
            }
            guard columns[2].utf8.allSatisfy({ $0 &- 48 < 10 }), let quad = Event.Quad(code: columns[2]) else {
                throw fail(
                    "code '\(columns[2])' is not a CAMEO-style code: a root 01 ... 20 or a finer code such as 193")
            }
            guard let weight = Double(columns[3]), weight >= -10, weight <= 10 else {
                throw fail("weight '\(columns[3])' is not a number from -10 to 10")
            }
            let flags = columns.count > 5 ? columns[5].split(separator: ",").map { $0.trimmingSpaces } : []
            for f in flags where f != "symmetric" {
                throw fail("unknown flag '\(f)' (the one flag is symmetric)")
            }
            let words = columns[0].lowercased().split(separator: " ").map(String.init)
            let forms = columns.count > 4 ? columns[4].split(separator: "|").map { $0.trimmingSpaces } : []
            for form in forms
            where form.lowercased().split(separator: " ").dropFirst().map(String.init) != Array(words.dropFirst()) {
                throw fail(
                    "form '\(form)' does not end with the action's other words '\(words.dropFirst().joined(separator: " "))'"
                )
            }
            let noun = columns[1] == "noun"
            let entry = Entry(
                action: words.joined(separator: " "), noun: noun, code: columns[2], quad: quad,
                weight: weight, symmetric: flags.contains("symmetric"), rest: words.dropFirst().map { Self.hash($0) },
                restPlural: noun && words.count > 1 ? Self.hash(Self.plural(words[words.count - 1])) : nil)
            add(entry, irregular: forms.compactMap { $0.lowercased().split(separator: " ").first.map(String.init) })
        }
    }

    private mutating func add(_ entry: Entry, irregular: [String]) {
        let k: Int32
        if let same = entries.firstIndex(where: { $0.action == entry.action && $0.noun == entry.noun }) {
            k = Int32(same)
            entries[same] = entry
        } else {
            k = Int32(entries.count)
            entries.append(entry)
        }
        let lemma = String(entry.action.split(separator: " ")[0])
        // A noun of several words inflects its last word ("air strikes"), not its first.
        var forms: [(String, Form)] = [(lemma, .base)]
        if !entry.noun || entry.rest.isEmpty { forms.append((Self.plural(lemma), .plural)) }
        if !entry.noun {
            forms += [(Self.past(lemma), .past), (Self.ing(lemma), .ing)]
            for f in irregular {
                forms.append((f, f.hasSuffix("ing") ? .ing : f == Self.plural(lemma) ? .plural : .past))
            }
        } else {
            for f in irregular { forms.append((f, .plural)) }
        }
        for (word, form) in forms {
            let h = Self.hash(word)
            let slot: Int
            if let s = index[h] {
                slot = Int(s)
            } else {
                slot = readings.count
                index[h] = Int32(slot)
                readings.append([])
            }
            if !readings[slot].contains(where: { $0.entry == k && $0.form == form }) {
                readings[slot].append(Reading(entry: k, form: form))
            }
        }
    }

    /// The readings of a word, by the FNV-1a hash of its lower-cased bytes.
    @inline(__always) func readings(_ hash: UInt64) -> [Reading]? {
        guard let s = index[hash] else { return nil }
        return readings[Int(s)]
    }

    /// The dictionary shipped with pipeline.
    static let builtIn: EventDictionary = {
        guard let path = Bundle.module.path(forResource: "events", ofType: "tsv", inDirectory: "Resources"),
            let table = try? load(path)
        else { return EventDictionary() }
        return table
    }()

    /// Reads a file.
    static func load(_ path: String, option: String = "dictionary") throws -> EventDictionary {
        var d = EventDictionary()
        try d.add(file: path, option: option)
        return d
    }

    /// Adds the lines of a file.
    mutating func add(file path: String, option: String = "dictionary") throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StageConfigurationError(
                "event dictionary '\(path)' \(FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist")",
                option: option)
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw StageConfigurationError("event dictionary '\(path)' is not valid UTF-8", option: option)
        }
        try add(text: text, file: path, option: option)
    }

    // MARK: forms

    /// FNV-1a 64 of a word's bytes (lower-cased by the caller).
    static func hash<S: StringProtocol>(_ word: S) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in word.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    private static func isVowel(_ c: Character) -> Bool { "aeiou".contains(c) }

    /// Whether a final consonant doubles before -ed and -ing: one syllable ending in consonant–vowel–consonant
    /// (`ban` → `banned`, `slam` → `slamming`), not in w, x or y.
    private static func doubles(_ w: String) -> Bool {
        let c = Array(w)
        guard c.count >= 3, let last = c.last, !isVowel(last), !"wxy".contains(last), isVowel(c[c.count - 2]),
            !isVowel(c[c.count - 3])
        else { return false }
        var groups = 0
        var inVowel = false
        for ch in c {
            let v = isVowel(ch)
            if v && !inVowel { groups += 1 }
            inVowel = v
        }
        return groups == 1
    }

    /// A verb's -s form or a noun's plural.
    static func plural(_ w: String) -> String {
        if w.hasSuffix("s") || w.hasSuffix("x") || w.hasSuffix("z") || w.hasSuffix("ch") || w.hasSuffix("sh") {
            return w + "es"
        }
        if w.hasSuffix("y"), w.count >= 2, !isVowel(Array(w)[w.count - 2]) { return String(w.dropLast()) + "ies" }
        return w + "s"
    }

    /// A regular verb's past tense.
    static func past(_ w: String) -> String {
        if w.hasSuffix("e") { return w + "d" }
        if w.hasSuffix("y"), w.count >= 2, !isVowel(Array(w)[w.count - 2]) { return String(w.dropLast()) + "ied" }
        if doubles(w), let last = w.last { return w + String(last) + "ed" }
        return w + "ed"
    }

    /// A regular verb's -ing form.
    static func ing(_ w: String) -> String {
        if w.hasSuffix("ie") { return String(w.dropLast(2)) + "ying" }
        if w.hasSuffix("e"), !w.hasSuffix("ee"), !w.hasSuffix("ye"), !w.hasSuffix("oe") {
            return String(w.dropLast()) + "ing"
        }
        if doubles(w), let last = w.last { return w + String(last) + "ing" }
        return w + "ing"
    }
}
