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

    init(entries: [String: Entry] = [:]) { self.entries = entries }

    /// What a lower-cased word does, if anything.
    @inline(__always) subscript(word: String) -> Entry? { entries[word] }

    /// Parses a file's text.
    init(text: String, file: String, option: String = "lexicon") throws {
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
            let c = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard c.count >= 2, !c[0].isEmpty, let value = Double(c[1]), value.isFinite else {
                throw StageConfigurationError("\(file):\(n + 1): expected WORD<TAB>VALUE[<TAB>KIND], found '\(line.prefix(60))'",
                                              option: option)
            }
            let kindName = c.count >= 3 && !c[2].isEmpty ? c[2] : "valence"
            guard let kind = Kind(rawValue: kindName) else {
                throw StageConfigurationError("\(file):\(n + 1): kind '\(kindName)' is not one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))",
                                              option: option)
            }
            entries[c[0].lowercased()] = Entry(value: value, kind: kind)
        }
    }

    static func load(_ path: String, option: String = "lexicon") throws -> StanceLexicon {
        guard let data = FileManager.default.contents(atPath: path), let text = String(validating: data, as: UTF8.self) else {
            throw StageConfigurationError("lexicon file '\(path)' \(FileManager.default.fileExists(atPath: path) ? "is not readable UTF-8 text" : "does not exist")",
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
            if let p = Bundle.module.path(forResource: name, ofType: "tsv", inDirectory: "Resources"), let f = try? load(p) {
                l = l.merged(with: f)
            }
        }
        return l
    }()
}
