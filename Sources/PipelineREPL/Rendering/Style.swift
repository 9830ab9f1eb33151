/// ANSI styling that turns into nothing when colour is off.
public struct Style: Sendable {
    /// Whether escape codes are written.
    public var color: Bool

    /// Creates a style.
    public init(color: Bool) { self.color = color }

    private func wrap(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    /// Bold (table headings, labels).
    public func bold(_ text: String) -> String { wrap(text, "1") }
    /// Dim (timings, excerpts, notes).
    public func dim(_ text: String) -> String { wrap(text, "2") }
    /// Red (errors).
    public func red(_ text: String) -> String { wrap(text, "31") }
    /// Green (added layers).
    public func green(_ text: String) -> String { wrap(text, "32") }
    /// Yellow (quotation marks, changed layers).
    public func yellow(_ text: String) -> String { wrap(text, "33") }
    /// Reverse video (summary sentences).
    public func reverse(_ text: String) -> String { wrap(text, "7") }

    /// The escape code that starts an entity type's colour (empty without colour).
    public func entityOpen(_ type: String) -> String {
        guard color else { return "" }
        return "\u{1B}[" + Self.entityCode(type) + "m"
    }

    /// The escape code that starts reverse video (empty without colour).
    public var reverseOpen: String { color ? "\u{1B}[7m" : "" }

    /// The escape code that ends any style (empty without colour).
    public var reset: String { color ? "\u{1B}[0m" : "" }

    static func entityCode(_ type: String) -> String {
        switch type.uppercased() {
        case "PER", "PERSON": return "1;35"
        case "LOC", "GPE", "LOCATION": return "1;32"
        case "ORG", "ORGANIZATION": return "1;34"
        case "MISC", "NORP": return "1;33"
        case "DATE", "TIME": return "1;36"
        default: return "1;37"
        }
    }

    /// The colour of an entity type.
    public func entity(_ text: String, type: String) -> String {
        wrap(text, Self.entityCode(type))
    }
}
