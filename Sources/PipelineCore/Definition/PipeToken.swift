/// A lexical token of a `.pipe` file.
struct PipeToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A bare word: keyword, stage name, option key, number, `true`/`false`, or an unquoted string value.
        case word(String)
        /// A double-quoted string, escapes decoded.
        case string(String)
        /// `$NAME`.
        case variable(String)
        case equals
        case leftBracket
        case rightBracket
        case comma
        case newline
        case end
    }

    var kind: Kind
    var location: SourceLocation

    var describe: String {
        switch kind {
        case .word(let w): return "'\(w)'"
        case .string(let s): return "string \(OptionValue.quote(s))"
        case .variable(let v): return "'$\(v)'"
        case .equals: return "'='"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .comma: return "','"
        case .newline: return "end of line"
        case .end: return "end of file"
        }
    }
}
