/// The id given to a record without one: `file-name:line` (`stdin:3` for standard input).
enum FallbackID {
    static func make(file: String, line: Int) -> String {
        let base = file == "-" ? "stdin" : (file.split(separator: "/").last.map(String.init) ?? file)
        return "\(base):\(line)"
    }
}
