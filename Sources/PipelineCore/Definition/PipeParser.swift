import Foundation

/// Parses `.pipe` files (one statement per logical line) into a ``PipelineDefinition``, recovering after each error so
/// that every error in the file is reported in one pass.
struct PipeParser {
    private var definition: PipelineDefinition
    private var includeStack: [String] = []
    /// Where each file was first included (canonical path → the `include` line): a file's statements go in once.
    private var included: [String: SourceLocation] = [:]

    /// How deeply includes may nest (deeper is an error at the line, not a stack overflow).
    static let maxIncludeDepth = 64

    static let statementKeywords = StageKind.allCases.map(\.rawValue) + ["let", "include", "plugin"]

    init(root: String) {
        definition = PipelineDefinition(file: root)
    }

    mutating func parseRoot() -> PipelineDefinition {
        guard let text = readFile(definition.file, from: nil) else { return definition }
        parse(text: text, file: definition.file)
        return definition
    }

    mutating func parseRoot(text: String) -> PipelineDefinition {
        parse(text: text, file: definition.file)
        return definition
    }

    /// The largest `.pipe` file read (a definition is a page of text; `include "/dev/zero"` must not fill memory).
    static let maxFileBytes = 4 << 20

    private mutating func readFile(_ path: String, from location: SourceLocation?) -> String? {
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
        guard exists, !isDir.boolValue, let handle = FileHandle(forReadingAtPath: path) else {
            let why = exists ? (isDir.boolValue ? "is a directory" : "cannot be read") : "does not exist"
            definition.diagnostics.append(.error("pipeline file '\(path)' \(why)", at: location))
            return nil
        }
        defer { try? handle.close() }
        var data = Data()
        while data.count <= Self.maxFileBytes {
            guard let chunk = try? handle.read(upToCount: 1 << 16), !chunk.isEmpty else { break }
            data.append(chunk)
        }
        guard data.count <= Self.maxFileBytes else {
            definition.diagnostics.append(
                .error(
                    "pipeline file '\(path)' is larger than \(Self.maxFileBytes >> 20) MB; "
                        + "a .pipe file holds stage lines, not data", at: location))
            return nil
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            definition.diagnostics.append(.error("pipeline file '\(path)' is not valid UTF-8", at: location))
            return nil
        }
        return text
    }

    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    private mutating func parse(text: String, file: String) {
        definition.sources[file] = text
        includeStack.append(Self.canonical(file))
        defer { includeStack.removeLast() }
        var lexer = PipeLexer(text: text, file: file)
        let tokens = lexer.tokenize()
        definition.diagnostics += lexer.diagnostics
        var cursor = TokenCursor(tokens: tokens)
        while !cursor.atEnd {
            if case .newline = cursor.peek.kind { cursor.next(); continue }
            let before = definition.diagnostics.count
            parseStatement(&cursor, file: file)
            if definition.diagnostics.count > before {
                cursor.skipLine()
            } else if !cursor.isLineEnd {
                let t = cursor.peek
                definition.diagnostics.append(
                    .error("unexpected \(t.describe) at the end of the statement", at: t.location))
                cursor.skipLine()
            }
        }
    }

    private mutating func parseStatement(_ cursor: inout TokenCursor, file: String) {
        let first = cursor.take()
        guard case .word(let keyword) = first.kind else {
            definition.diagnostics.append(
                .error(
                    "expected a statement (load, extract, summarize, stance, write, let, include or plugin), found \(first.describe)",
                    at: first.location))
            return
        }
        if let kind = StageKind(rawValue: keyword) {
            parseStage(kind, first.location, &cursor)
        } else if keyword == "let" {
            parseLet(&cursor)
        } else if keyword == "include" {
            parseInclude(&cursor, file: file)
        } else if keyword == "plugin" {
            parsePlugin(&cursor, file: file)
        } else {
            definition.diagnostics.append(
                .error(
                    "unknown statement '\(keyword)'\(Suggest.hint(for: keyword, in: Self.statementKeywords))",
                    at: first.location,
                    notes: ["a line starts with load, extract, summarize, stance, write, let, include or plugin"]))
        }
    }

    private mutating func parseStage(_ kind: StageKind, _ kindLocation: SourceLocation, _ cursor: inout TokenCursor) {
        let nameTok = cursor.take()
        let stageName: String?
        switch nameTok.kind {
        case .word(let w): stageName = w
        case .variable(let v): stageName = "$" + v  // the builder resolves it (`summarize $method`)
        default: stageName = nil
        }
        guard let name = stageName else {
            definition.diagnostics.append(
                .error(
                    "expected a stage name after '\(kind)', found \(nameTok.describe)",
                    at: nameTok.location,
                    notes: ["`pipeline stages \(kind)` lists the \(kind) stages"]))
            return
        }
        var options: [OptionAssignment] = []
        while !cursor.isLineEnd {
            let keyTok = cursor.take()
            guard case .word(let key) = keyTok.kind else {
                definition.diagnostics.append(
                    .error(
                        "expected an option 'key=value', found \(keyTok.describe)",
                        at: keyTok.location))
                return
            }
            let eq = cursor.peek
            guard case .equals = eq.kind else {
                definition.diagnostics.append(
                    .error(
                        "expected '=' after option '\(key)'", at: eq.location,
                        notes: ["options are written key=value, e.g. \(key)=3"]))
                return
            }
            cursor.take()
            guard let value = parseValue(&cursor) else { return }
            options.append(OptionAssignment(key: key, keyLocation: keyTok.location, value: value))
        }
        definition.stages.append(
            StageStatement(
                kind: kind, kindLocation: kindLocation, name: name,
                nameLocation: nameTok.location, options: options))
    }

    private mutating func parseLet(_ cursor: inout TokenCursor) {
        let nameTok = cursor.take()
        guard case .word(let name) = nameTok.kind, name.unicodeScalars.allSatisfy(PipeLexer.isIdentifierScalar),
            let f = name.unicodeScalars.first, !(f >= "0" && f <= "9")
        else {
            definition.diagnostics.append(
                .error(
                    "expected a variable name after 'let', found \(nameTok.describe)",
                    at: nameTok.location))
            return
        }
        let eq = cursor.take()
        guard case .equals = eq.kind else {
            definition.diagnostics.append(.error("expected '=' after 'let \(name)'", at: eq.location))
            return
        }
        guard let value = parseValue(&cursor) else { return }
        if let previous = definition.variables[name] {
            definition.diagnostics.append(
                .error(
                    "variable '\(name)' is already declared at \(previous.location)", at: nameTok.location))
            return
        }
        definition.variables[name] = VariableDeclaration(name: name, location: nameTok.location, value: value)
    }

    /// The file name after `include` or `plugin`, and the path it names relative to `file`'s folder; nil (reported)
    /// when there is none.
    private mutating func fileOperand(
        _ cursor: inout TokenCursor, after keyword: String, file: String
    )
        -> (written: String, resolved: String, token: PipeToken)?
    {
        let t = cursor.take()
        let path: String
        switch t.kind {
        case .string(let s), .word(let s): path = s
        default:
            definition.diagnostics.append(
                .error(
                    "expected a file name after '\(keyword)', found \(t.describe)",
                    at: t.location))
            return nil
        }
        guard cursor.isLineEnd else { return nil }
        let dir = (file as NSString).deletingLastPathComponent
        let resolved = path.hasPrefix("/") || dir.isEmpty ? path : (dir as NSString).appendingPathComponent(path)
        return (path, resolved, t)
    }

    private mutating func parsePlugin(_ cursor: inout TokenCursor, file: String) {
        guard let (written, resolved, t) = fileOperand(&cursor, after: "plugin", file: file) else { return }
        definition.plugins.append(PluginStatement(written: written, path: resolved, location: t.location))
    }

    private mutating func parseInclude(_ cursor: inout TokenCursor, file: String) {
        guard let (_, resolved, t) = fileOperand(&cursor, after: "include", file: file) else { return }
        let canon = Self.canonical(resolved)
        if includeStack.contains(canon) {
            let chain = (includeStack + [canon]).map { ($0 as NSString).lastPathComponent }.joined(separator: " -> ")
            definition.diagnostics.append(.error("include cycle: \(chain)", at: t.location))
            return
        }
        if let first = included[canon] {
            // A diamond (two files that include a third) inserts the third once; 30 levels of diamonds once took
            // 2^30 parses.
            definition.diagnostics.append(
                Diagnostic(
                    .warning,
                    "'\((resolved as NSString).lastPathComponent)' is already included (at \(first)); "
                        + "its statements go in once", at: t.location))
            return
        }
        guard includeStack.count < Self.maxIncludeDepth else {
            definition.diagnostics.append(
                .error(
                    "includes nest more than \(Self.maxIncludeDepth) deep", at: t.location,
                    notes: [
                        "the chain starts with \(includeStack.prefix(3).map { ($0 as NSString).lastPathComponent }.joined(separator: " -> ")) -> ...; include the files from one file instead"
                    ]))
            return
        }
        included[canon] = t.location
        guard let text = readFile(resolved, from: t.location) else { return }
        parse(text: text, file: resolved)
    }

    /// How deeply lists may nest in one value (deeper is an error, not a stack overflow).
    static let maxNesting = 32

    /// Parses one value; reports and returns nil on error.
    private mutating func parseValue(_ cursor: inout TokenCursor, depth: Int = 0) -> ValueExpression? {
        let t = cursor.take()
        switch t.kind {
        case .string(let s): return .literal(.string(s), t.location)
        case .word(let w): return .literal(Self.typedWord(w), t.location)
        case .variable(let v): return .variable(v, t.location)
        case .leftBracket:
            guard depth < Self.maxNesting else {
                definition.diagnostics.append(
                    .error(
                        "lists nest more than \(Self.maxNesting) deep", at: t.location,
                        notes: ["flatten the value; option values are at most lists of lists"]))
                return nil
            }
            var items: [ValueExpression] = []
            cursor.skipNewlines()
            if case .rightBracket = cursor.peek.kind { cursor.take(); return .list([], t.location) }
            while true {
                cursor.skipNewlines()
                guard let item = parseValue(&cursor, depth: depth + 1) else { return nil }
                items.append(item)
                cursor.skipNewlines()
                let sep = cursor.take()
                switch sep.kind {
                case .comma:
                    cursor.skipNewlines()
                    if case .rightBracket = cursor.peek.kind { cursor.take(); return .list(items, t.location) }
                case .rightBracket: return .list(items, t.location)
                default:
                    definition.diagnostics.append(
                        .error(
                            "expected ',' or ']' in list, found \(sep.describe)",
                            at: sep.location,
                            notes: ["the list starts at \(t.location)"]))
                    return nil
                }
            }
        default:
            definition.diagnostics.append(
                .error(
                    "expected a value, found \(t.describe)", at: t.location,
                    notes: ["values are \"strings\", numbers, true/false, [lists] or $variables"]))
            return nil
        }
    }

    /// A bare word as a typed literal: integer, number, boolean, or else a string.
    static func typedWord(_ text: String) -> OptionValue {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if let i = Int(text) { return .int(i) }
        if let f = text.unicodeScalars.first, (f >= "0" && f <= "9") || f == "-" || f == "+" || f == ".",
            text.unicodeScalars.contains(where: { $0 >= "0" && $0 <= "9" }), let d = Double(text), d.isFinite
        {
            return .double(d)
        }
        return .string(text)
    }

    /// Parses a value given on the command line (`--set NAME=VALUE`): `.pipe` value syntax, or else the raw text as a
    /// string.
    static func parseCommandLineValue(_ text: String) -> OptionValue {
        var lexer = PipeLexer(text: text, file: "--set")
        let tokens = lexer.tokenize()
        if lexer.diagnostics.isEmpty {
            var parser = PipeParser(root: "--set")
            var c = TokenCursor(tokens: tokens)
            if let v = parser.parseValue(&c), parser.definition.diagnostics.isEmpty, c.isLineEnd,
                let literal = Self.literal(v)
            {
                return literal
            }
        }
        return .string(text)
    }

    private static func literal(_ expression: ValueExpression) -> OptionValue? {
        switch expression {
        case .literal(let x, _): return x
        case .variable: return nil
        case .list(let items, _):
            var out: [OptionValue] = []
            for i in items {
                guard let x = literal(i) else { return nil }
                out.append(x)
            }
            return .list(out)
        }
    }
}

/// Walks a token array.
struct TokenCursor {
    let tokens: [PipeToken]
    var index = 0

    var peek: PipeToken { tokens[min(index, tokens.count - 1)] }
    var atEnd: Bool { if case .end = peek.kind { return true } else { return false } }
    var isLineEnd: Bool {
        switch peek.kind {
        case .newline, .end: return true
        default: return false
        }
    }

    @discardableResult
    mutating func next() -> PipeToken {
        let t = peek
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    /// The current token; advances unless it ends the line (so errors never swallow the next line).
    @discardableResult
    mutating func take() -> PipeToken {
        let t = peek
        if !isLineEnd { index += 1 }
        return t
    }

    mutating func skipNewlines() {
        while case .newline = peek.kind { next() }
    }

    mutating func skipLine() {
        while !isLineEnd { next() }
    }
}
