import OrderedCollections

/// One interaction between two actors that a sentence reports: who did what to whom, coded on a
/// cooperation–conflict scale (CAMEO-style root categories, as GDELT and ICEWS code the world's news).
public struct Event: Sendable, Hashable {
    /// The four quad classes the CAMEO root categories fall into.
    public enum Quad: String, Sendable, Hashable, CaseIterable {
        /// Statements, appeals, intentions, consultations, diplomatic cooperation (roots 01–05).
        case verbalCooperation = "verbal_cooperation"
        /// Material cooperation, aid, yielding (roots 06–08).
        case materialCooperation = "material_cooperation"
        /// Investigations, demands, disapproval, rejections, threats (roots 09–13).
        case verbalConflict = "verbal_conflict"
        /// Protests, force postures, reduced relations, coercion, assaults, fighting, mass violence (roots 14–20).
        case materialConflict = "material_conflict"

        /// The quad class of a CAMEO root category ("01" … "20"; a finer code such as "193" counts by its first two
        /// digits); nil for anything else.
        public init?(code: String) {
            guard code.utf8.count >= 2, let root = Int(code.prefix(2)) else { return nil }
            switch root {
            case 1...5: self = .verbalCooperation
            case 6...8: self = .materialCooperation
            case 9...13: self = .verbalConflict
            case 14...20: self = .materialConflict
            default: return nil
            }
        }
    }

    /// The index of the sentence that reports the event.
    public var sentence: Int
    /// The actor who acts (a canonical actor of `extract entities`).
    public var source: String
    /// The actor acted upon.
    public var target: String
    /// The word that carries the action, lemmatised (`attack`, `sign`, `sanction`).
    public var action: String
    /// The CAMEO-style category: a root "01" … "20", or a finer code.
    public var code: String
    /// The quad class of `code`.
    public var quad: Quad
    /// Goldstein-style weight, −10 (most conflictual) … +10 (most cooperative).
    public var weight: Double
    /// Whether the text says the act did not happen (`did not attack`, `denied striking`).
    public var negated: Bool
    /// Whether the act is threatened, planned, possible or conditional (`threatened to`, `would`, `may`).
    public var hypothetical: Bool
    /// Whose claim the event is, when the sentence reports it ("the interior ministry said rebels attacked …").
    public var reportedBy: String?
    /// Further fields written by stages (e.g. the mention spans, `symmetric`), kept in order and round-tripped.
    public var attributes: OrderedDictionary<String, JSONValue>

    /// Creates an event.
    public init(
        sentence: Int, source: String, target: String, action: String, code: String, quad: Quad, weight: Double,
        negated: Bool = false, hypothetical: Bool = false, reportedBy: String? = nil,
        attributes: OrderedDictionary<String, JSONValue> = [:]
    ) {
        self.sentence = sentence
        self.source = source
        self.target = target
        self.action = action
        self.code = code
        self.quad = quad
        self.weight = weight
        self.negated = negated
        self.hypothetical = hypothetical
        self.reportedBy = reportedBy
        self.attributes = attributes
    }
}
