/// ANSI styling that turns into nothing when colour is off.
public struct Style: Sendable {
    /// Whether escape codes are written.
    public var color: Bool

    /// Creates a style.
    public init(color: Bool) { self.color = color }

    private func wrap(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    /// Bold.
    public func bold(_ s: String) -> String { wrap(s, "1") }
    /// Dim.
    public func dim(_ s: String) -> String { wrap(s, "2") }
    /// Red (errors).
    public func red(_ s: String) -> String { wrap(s, "31") }
    /// Green.
    public func green(_ s: String) -> String { wrap(s, "32") }
    /// Yellow.
    public func yellow(_ s: String) -> String { wrap(s, "33") }
    /// Reverse video (summary sentences).
    public func reverse(_ s: String) -> String { wrap(s, "7") }
    /// Underline (stance evidence).
    public func underline(_ s: String) -> String { wrap(s, "4") }

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
    public func entity(_ s: String, type: String) -> String {
        wrap(s, Self.entityCode(type))
    }
}
