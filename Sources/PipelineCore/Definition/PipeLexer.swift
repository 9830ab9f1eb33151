/// Splits `.pipe` text into tokens with their positions. `#` starts a comment (outside strings); a `\` at the end of a
/// line joins the next line; newlines inside `[ ... ]` are kept as tokens and skipped by the parser.
struct PipeLexer {
    private let scalars: [Unicode.Scalar]
    private let file: String
    private var i = 0
    private var line = 1
    private var column = 1
    private(set) var diagnostics: [Diagnostic] = []

    init(text: String, file: String) {
        var s = Array(text.unicodeScalars)
        if s.first == "\u{FEFF}" { s.removeFirst() }
        scalars = s
        self.file = file
    }

    /// Characters allowed in a bare word.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\r", "\n", "=", "[", "]", ",", "\"", "#", "$", "\\": return false
        default: return scalar.value >= 0x21
        }
    }

    static func isIdentifierScalar(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
            || scalar == "_" || scalar == "-"
    }

    private func loc(_ len: Int = 1) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column, length: len)
    }

    private mutating func advance() {
        if scalars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
        i += 1
    }

    mutating func tokenize() -> [PipeToken] {
        var tokens: [PipeToken] = []
        while i < scalars.count {
            let u = scalars[i]
            switch u {
            case " ", "\t", "\r":
                advance()
            case "#":
                while i < scalars.count && scalars[i] != "\n" { advance() }
            case "\n":
                tokens.append(PipeToken(kind: .newline, location: loc()))
                advance()
            case "\\":
                // Continuation: only spaces (and a comment) may follow before the newline.
                let start = loc()
                var j = i + 1
                while j < scalars.count && (scalars[j] == " " || scalars[j] == "\t" || scalars[j] == "\r") { j += 1 }
                if j < scalars.count && scalars[j] == "#" {
                    while j < scalars.count && scalars[j] != "\n" { j += 1 }
                }
                if j >= scalars.count || scalars[j] == "\n" {
                    while i < j { advance() }
                    if i < scalars.count { advance() }  // the newline
                } else {
                    diagnostics.append(
                        .error("unexpected '\\'; a backslash continues a line only at its end", at: start))
                    advance()
                }
            case "=":
                tokens.append(PipeToken(kind: .equals, location: loc())); advance()
            case "[":
                tokens.append(PipeToken(kind: .leftBracket, location: loc())); advance()
            case "]":
                tokens.append(PipeToken(kind: .rightBracket, location: loc())); advance()
            case ",":
                tokens.append(PipeToken(kind: .comma, location: loc())); advance()
            case "\"":
                if let t = lexString() { tokens.append(t) }
            case "$":
                let start = loc()
                advance()
                var name = ""
                while i < scalars.count && Self.isIdentifierScalar(scalars[i]) {
                    name.unicodeScalars.append(scalars[i]); advance()
                }
                if name.isEmpty {
                    diagnostics.append(.error("expected a variable name after '$'", at: start))
                } else {
                    var l = start
                    l.length = name.unicodeScalars.count + 1
                    tokens.append(PipeToken(kind: .variable(name), location: l))
                }
            default:
                if Self.isWordScalar(u) {
                    let start = loc()
                    var w = ""
                    while i < scalars.count && Self.isWordScalar(scalars[i]) {
                        w.unicodeScalars.append(scalars[i]); advance()
                    }
                    var l = start
                    l.length = w.unicodeScalars.count
                    tokens.append(PipeToken(kind: .word(w), location: l))
                } else {
                    diagnostics.append(
                        .error(
                            "unexpected character U+\(String(u.value, radix: 16, uppercase: true))",
                            at: loc()))
                    advance()
                }
            }
        }
        tokens.append(PipeToken(kind: .newline, location: loc()))
        tokens.append(PipeToken(kind: .end, location: loc()))
        return tokens
    }

    private mutating func lexString() -> PipeToken? {
        let start = loc()
        advance()
        var value = ""
        var width = 1
        while i < scalars.count {
            let u = scalars[i]
            if u == "\"" {
                advance()
                var l = start
                l.length = width + 1
                return PipeToken(kind: .string(value), location: l)
            }
            if u == "\n" { break }
            if u == "\\" {
                let escLoc = loc(2)
                advance(); width += 1
                guard i < scalars.count, scalars[i] != "\n" else { break }
                let e = scalars[i]
                advance(); width += 1
                switch e {
                case "\"": value += "\""
                case "\\": value += "\\"
                case "n": value += "\n"
                case "t": value += "\t"
                case "r": value += "\r"
                case "$": value += "$"
                case "u":
                    // \u{XXXX}
                    var hex = ""
                    if i < scalars.count && scalars[i] == "{" {
                        advance(); width += 1
                        while i < scalars.count && scalars[i] != "}" && scalars[i] != "\n" && hex.count < 8 {
                            hex.unicodeScalars.append(scalars[i]); advance(); width += 1
                        }
                        if i < scalars.count && scalars[i] == "}" { advance(); width += 1 } else { hex = "" }
                    }
                    if let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) {
                        value.unicodeScalars.append(s)
                    } else {
                        diagnostics.append(.error("invalid unicode escape; write \\u{XXXX}", at: escLoc))
                    }
                default:
                    diagnostics.append(
                        .error(
                            "invalid escape '\\\(Character(e))' in string; use \\\", \\\\, \\n, \\t, \\r or \\u{XXXX}",
                            at: escLoc))
                }
                continue
            }
            value.unicodeScalars.append(u)
            advance()
            width += 1
        }
        var l = start
        l.length = 1
        diagnostics.append(.error("unterminated string; add a closing '\"'", at: l))
        return nil
    }
}
