/// Reads RFC 4180 records (quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF) from a byte stream.
/// A record with broken quoting is reported with its starting line, and reading resumes at the next line.
struct CSVParser {
    enum Row {
        case fields([String], line: Int)
        case malformed(String, line: Int)
    }

    private var stream: any ByteStream
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var position = 0
    private var length = 0
    private var eof = false
    private var line = 1
    private let delimiter: UInt8
    private(set) var bytesRead = 0

    init(stream: any ByteStream, delimiter: UInt8) {
        self.stream = stream
        self.delimiter = delimiter
    }

    private mutating func nextByte() throws -> UInt8? {
        if position >= length {
            if eof { return nil }
            length = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
            position = 0
            bytesRead += length
            if length == 0 { eof = true; return nil }
        }
        let b = buffer[position]
        position += 1
        return b
    }

    private mutating func peekByte() throws -> UInt8? {
        guard let b = try nextByte() else { return nil }
        position -= 1
        return b
    }

    /// Skips the rest of the current physical line.
    private mutating func skipLine() throws {
        while let b = try nextByte() {
            if b == 0x0A { line += 1; return }
        }
    }

    private static func string(_ bytes: [UInt8]) -> String? { String(validating: bytes, as: UTF8.self) }

    /// The next row, or nil at the end of the input.
    mutating func next() throws -> Row? {
        guard try peekByte() != nil else { return nil }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var atFieldStart = true
        while true {
            guard let b = try nextByte() else {
                // End of input ends the record.
                guard let s = Self.string(field) else { return .malformed("invalid UTF-8", line: startLine) }
                fields.append(s)
                return .fields(fields, line: startLine)
            }
            if atFieldStart && b == 0x22 {
                // Quoted field.
                atFieldStart = false
                while true {
                    guard let q = try nextByte() else {
                        return .malformed("unterminated quoted field (the closing '\"' is missing)", line: startLine)
                    }
                    if q == 0x0A { line += 1 }
                    if q == 0x22 {
                        if try peekByte() == 0x22 { _ = try nextByte(); field.append(0x22); continue }
                        break
                    }
                    field.append(q)
                }
                // After the closing quote: delimiter, end of line or end of input.
                let after = try nextByte()
                let crlf = after == 0x0D ? try peekByte() == 0x0A : false
                if after == nil || after == delimiter || after == 0x0A || crlf {
                    if after == 0x0D { _ = try nextByte() }
                    guard let s = Self.string(field) else {
                        if after != nil && after != delimiter {
                            line += 1
                        } else if after == delimiter {
                            try skipLine()
                        }
                        return .malformed("invalid UTF-8", line: startLine)
                    }
                    fields.append(s)
                    field.removeAll(keepingCapacity: true)
                    atFieldStart = true
                    if after == nil { return .fields(fields, line: startLine) }
                    if after == 0x0A || after == 0x0D { line += 1; return .fields(fields, line: startLine) }
                    continue
                }
                if after != 0x0A { try skipLine() } else { line += 1 }
                return .malformed(
                    "unexpected text after a closing quote (quotes inside a field must be doubled: \"\")",
                    line: startLine)
            }
            atFieldStart = false
            if b == delimiter {
                guard let s = Self.string(field) else {
                    try skipLine(); return .malformed("invalid UTF-8", line: startLine)
                }
                fields.append(s)
                field.removeAll(keepingCapacity: true)
                atFieldStart = true
            } else if b == 0x0A {
                line += 1
                if field.last == 0x0D { field.removeLast() }
                guard let s = Self.string(field) else { return .malformed("invalid UTF-8", line: startLine) }
                fields.append(s)
                return .fields(fields, line: startLine)
            } else if b == 0x22 {
                try skipLine()
                return .malformed(
                    "a '\"' inside an unquoted field (quote the whole field and double the quote)",
                    line: startLine)
            } else {
                field.append(b)
            }
        }
    }

    mutating func close() { stream.close() }
}
