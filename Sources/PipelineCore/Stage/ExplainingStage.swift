/// A stage that can say why it scored a document as it did (the REPL's `:why ID TARGET`): which words and rules moved
/// a target's score, in which sentence, by how much.
public protocol ExplainingStage: Stage {
    /// The contributions behind the stage's result for `target` in `document`, strongest first.
    func explain(_ document: Document, target: String) throws -> [Explanation]
}

/// One reason a score moved.
public struct Explanation: Sendable, Hashable {
    /// The sentence it comes from.
    public var sentence: Int
    /// What moved the score: a word, a rule, a mention's class probabilities.
    public var reason: String
    /// How much (positive: toward a favourable stance).
    public var contribution: Double

    /// Creates an explanation.
    public init(sentence: Int, reason: String, contribution: Double) {
        self.sentence = sentence
        self.reason = reason
        self.contribution = contribution
    }
}
