extension ValueExpression {
    /// The value in `.pipe` syntax: literals as written by ``OptionValue/description``, `$NAME`, `[a, b]`.
    public var pipeText: String {
        switch self {
        case .literal(let v, _): return v.description
        case .variable(let n, _): return "$" + n
        case .list(let items, _): return "[" + items.map(\.pipeText).joined(separator: ", ") + "]"
        }
    }
}

extension PipelineDefinition {
    /// The definition as `.pipe` text that parses back to the same plugins, variables and stages: `plugin` lines
    /// (as written), `let` lines, then one line per stage. Includes are already expanded.
    ///
    /// - Parameters:
    ///   - header: a comment for the first line (without `#`), or nil.
    ///   - overrides: raw `--set`-style values that replace variables' declared values (the REPL's `:set`); a raw value
    ///     in `.pipe` syntax keeps its type, anything else is written as a string.
    public func formatted(header: String? = nil, overrides: [String: String] = [:]) -> String {
        var text = header.map { "# \($0)\n" } ?? ""
        for p in plugins { text += "plugin \(OptionValue.quote(p.written))\n" }
        if !plugins.isEmpty { text += "\n" }
        for (name, v) in variables {
            text += "let \(name) = \(overrides[name].map(Self.literalText) ?? v.value.pipeText)\n"
        }
        if !variables.isEmpty { text += "\n" }
        for s in stages {
            text += "\(s.kind.rawValue) \(s.name)"
            for o in s.options { text += " \(o.key)=\(o.value.pipeText)" }
            text += "\n"
        }
        return text
    }

    /// A `--set`-style raw value in `.pipe` syntax: as typed when it parses as a value, else quoted as a string.
    static func literalText(_ raw: String) -> String {
        let def = PipelineDefinition.parse(text: "let x = \(raw)\n", file: "<set>")
        if def.diagnostics.isEmpty, let v = def.variables["x"] { return v.value.pipeText }
        return OptionValue.quote(raw)
    }
}
