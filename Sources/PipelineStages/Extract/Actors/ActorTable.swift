import Foundation
import PipelineCore

/// The actors entities stand for, read from tab-separated files (`Resources/actors.tsv`, and a user's own with
/// `aliases=PATH`): `CANONICAL TYPE NAMES ADJECTIVES SEATS`, `|` between alternatives, `#` comments. See the README.
struct ActorTable: Sendable, Equatable {
    /// One line of the file.
    struct Entry: Sendable, Equatable {
        var canonical: String
        var type: String
        var names: [String]
        var adjectives: [String]
        var seats: [String]
    }

    private(set) var entries: [Entry] = []

    init(entries: [Entry] = []) { self.entries = entries }

    /// Parses a file's text.
    ///
    /// - Throws: ``StageConfigurationError`` naming the file and line of a malformed line.
    init(text: String, file: String, option: String = "aliases") throws {
        for (number, line, columns) in text.tableRows {
            guard columns.count >= 2, !columns[0].isEmpty else {
                throw StageConfigurationError(
                    "\(file):\(number): expected CANONICAL<TAB>TYPE[<TAB>NAMES<TAB>ADJECTIVES<TAB>SEATS], found '\(line.prefix(60))'",
                    option: option)
            }
            guard ["PER", "ORG", "LOC", "MISC"].contains(columns[1]) else {
                throw StageConfigurationError(
                    "\(file):\(number): type '\(columns[1])' is not one of PER, ORG, LOC, MISC", option: option)
            }
            func list(_ k: Int) -> [String] {
                k < columns.count
                    ? columns[k].split(separator: "|").map { $0.trimmingSpaces }.filter { !$0.isEmpty } : []
            }
            entries.append(
                Entry(canonical: columns[0], type: columns[1], names: list(2), adjectives: list(3), seats: list(4)))
        }
    }

    /// Reads a file.
    static func load(_ path: String, option: String = "aliases") throws -> ActorTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StageConfigurationError(
                "aliases file '\(path)' \(FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist")",
                option: option)
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw StageConfigurationError("aliases file '\(path)' is not valid UTF-8", option: option)
        }
        return try ActorTable(text: text, file: path, option: option)
    }

    /// The table shipped with pipeline.
    static let builtIn: ActorTable = {
        guard let path = Bundle.module.path(forResource: "actors", ofType: "tsv", inDirectory: "Resources"),
            let table = try? load(path)
        else { return ActorTable() }
        return table
    }()

    /// This table with `other`'s entries after it (a later entry wins a name both give).
    func merged(with other: ActorTable) -> ActorTable { ActorTable(entries: entries + other.entries) }

    /// The gazetteer lists for the tagger's features: names by type, seats, adjectives.
    func featureGazetteer() -> FeatureGazetteer {
        let tokenizer = Tokenizer()
        func tokens(_ text: String) -> [String] {
            var t = text
            return t.withUTF8 { p in
                tokenizer.tokenize(p).map { String(decoding: UnsafeBufferPointer(rebasing: p[$0]), as: UTF8.self) }
            }
        }
        var g = FeatureGazetteer()
        for type in ["LOC", "ORG", "PER", "MISC"] {
            let names = entries.filter { $0.type == type }.flatMap { [$0.canonical] + $0.names }
            g.add(list: type, phrases: names.map(tokens))
        }
        g.add(list: "seat", phrases: entries.flatMap(\.seats).map(tokens))
        g.add(list: "adjective", phrases: entries.flatMap(\.adjectives).map(tokens))
        return g
    }
}
