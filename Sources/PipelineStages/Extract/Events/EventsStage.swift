import Foundation
import PipelineCore

/// `extract events`: who did what to whom in each sentence, coded on a cooperation–conflict scale (CAMEO-style root
/// categories, quad classes and Goldstein-style weights, as GDELT codes the world's news), between the actors of
/// `extract entities`. See ``EventCoder`` for the patterns and ``EventDictionary`` for the action words.
public struct EventsStage: ExtractStage {
    /// `dictionary=`: more action words.
    static let dictionary = StageOption<String?>(
        "dictionary", type: .path,
        help:
            "a file of more action words (same format as the built-in events.tsv: ACTION POS CODE WEIGHT [FORMS] [FLAGS]); its lines are read after the built-in ones and replace an action they repeat"
    )
    /// `level=`: actors or their countries.
    static let level = StageOption<String>(
        "level", default: "actor", type: .oneOf(["actor", "country"]),
        help:
            "actor: source and target are the canonical actors; country: a person with a known country stands for it (an event within one country is then dropped)"
    )

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .extract, name: "events",
        help:
            "events between actors (who did what to whom): source, target, action, CAMEO-style code, quad class, weight, negated / hypothetical / reported_by",
        options: [dictionary, level], requires: [.sentences, .tokens, .entities], provides: [.events])

    let dictionaryPath: String?
    let countryLevel: Bool
    var loaded = EventDictionary.builtIn

    /// Checks that a given dictionary exists (it is read by `prepare`).
    public init(options: StageOptions, context: StageContext) throws {
        dictionaryPath = options[Self.dictionary].flatMap { $0.isEmpty ? nil : $0 }
        countryLevel = options[Self.level] == "country"
        if let path = dictionaryPath, !FileManager.default.fileExists(atPath: path) {
            throw StageConfigurationError("event dictionary '\(path)' does not exist", option: Self.dictionary.name)
        }
    }

    /// Reads the user's dictionary over the built-in one (once per process).
    public mutating func prepare(_ resources: ResourceCache) throws {
        guard let path = dictionaryPath else { return }
        loaded = try resources.resource(path, as: EventDictionary.self) {
            var d = EventDictionary.builtIn
            try d.add(file: $0, option: Self.dictionary.name)
            return d
        }
    }

    /// Sets `document.events`.
    public func process(_ document: inout Document) throws {
        let coder = EventCoder(dictionary: loaded, countryLevel: countryLevel)
        document.events = try coder.events(
            text: document.text, sentences: document.sentences ?? [], tokens: document.tokens ?? [],
            entities: document.entities ?? [], quotes: document.quotes)
    }
}
