/// The attributes the built-in stages write into entities, quotes and stances, with their JSON names, so that a
/// writer (an extract or stance stage) and a reader (the store, the report, the CSV writer, the REPL) cannot disagree
/// about a spelling or a type. They live in each value's `attributes` (the JSON schema is unchanged: a custom stage
/// still adds any attribute it likes), and setting one to nil removes it.
extension Entity {
    /// JSON names of the entity attributes below.
    public enum Attribute {
        /// ``Entity/role``.
        public static let role = "role"
        /// ``Entity/country``.
        public static let country = "country"
        /// ``Entity/value``.
        public static let value = "value"
        /// ``Entity/kind``.
        public static let kind = "kind"
    }

    /// A finer type within `type`, written by `extract entities`: `facility` for a base, camp, airport, dam, crossing
    /// or refinery (type `LOC`).
    public var kind: String? {
        get { attributes[Attribute.kind]?.stringValue }
        set { attributes[Attribute.kind] = newValue.map(JSONValue.string) }
    }

    /// A person's role or title as the article gives it (`defence minister`), written by `extract entities`.
    public var role: String? {
        get { attributes[Attribute.role]?.stringValue }
        set { attributes[Attribute.role] = newValue.map(JSONValue.string) }
    }

    /// The country a person acts for, when the article or the actor table says (`France`).
    public var country: String? {
        get { attributes[Attribute.country]?.stringValue }
        set { attributes[Attribute.country] = newValue.map(JSONValue.string) }
    }

    /// A `DATE` entity's normalised value (ISO 8601: `2026-11-24`, `2026-11`, `2026-W48`), written by `extract dates`.
    public var value: String? {
        get { attributes[Attribute.value]?.stringValue }
        set { attributes[Attribute.value] = newValue.map(JSONValue.string) }
    }
}

extension Quote {
    /// How a quotation is given.
    public enum Kind: String, Sendable, CaseIterable {
        /// Quoted words in quotation marks.
        case direct
        /// Reported speech without quotation marks ("X said that ...").
        case reported
    }

    /// JSON names of the quote attributes below.
    public enum Attribute {
        /// ``Quote/kind``.
        public static let kind = "kind"
        /// ``Quote/outlet``.
        public static let outlet = "outlet"
    }

    /// Whom the speaker told it, when named: "Reuters" in "…, X told Reuters" or "X told Reuters that …" (the
    /// listener is never the speaker), written by `extract quotes`.
    public var outlet: String? {
        get { attributes[Attribute.outlet]?.stringValue }
        set { attributes[Attribute.outlet] = newValue.map(JSONValue.string) }
    }

    /// Direct or reported, written by `extract quotes` (nil when a stage did not say, or said something else).
    public var kind: Kind? {
        get { attributes[Attribute.kind]?.stringValue.flatMap(Kind.init(rawValue:)) }
        set { attributes[Attribute.kind] = newValue.map { .string($0.rawValue) } }
    }
}

extension Stance {
    /// JSON names of the stance attributes below.
    public enum Attribute {
        /// ``Stance/confidence``.
        public static let confidence = "confidence"
        /// ``Stance/mentions``.
        public static let mentions = "mentions"
    }

    /// How sure the scorer is of the label, 0…1 (three decimals), written by the stance stages.
    public var confidence: Double? {
        get { attributes[Attribute.confidence]?.doubleValue }
        set { attributes[Attribute.confidence] = newValue.map(JSONValue.double) }
    }

    /// How many mentions of the target the score is based on.
    public var mentions: Int? {
        get { attributes[Attribute.mentions]?.intValue }
        set { attributes[Attribute.mentions] = newValue.map(JSONValue.int) }
    }
}
