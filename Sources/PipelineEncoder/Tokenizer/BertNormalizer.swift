import Foundation

/// BERT's text normalization and pre-tokenization, as `tokenizer.json`'s `BertNormalizer` (clean text, Chinese
/// characters, accent stripping, lower-casing) and `BertPreTokenizer` (white space and punctuation) do it, on Unicode
/// scalars, remembering for every normalized scalar the original scalar it came from.
///
/// The order is the reference implementation's: control characters, U+0000 and U+FFFD are removed and white space
/// becomes a space; CJK ideographs are surrounded by spaces; each scalar is decomposed (NFD) and its non-spacing marks
/// (category Mn) removed; then it is lower-cased (full Unicode mapping, so `İ` gives `i` and a combining dot, which
/// stays).
enum BertNormalizer {
    /// One word of the pre-tokenized text: its normalized scalars and, for each, the index of the original scalar.
    struct Word {
        var scalars: [Unicode.Scalar] = []
        var origins: [Int] = []
    }

    /// Splits `text` into normalized words: runs of non-space scalars, with every punctuation scalar a word of its own.
    static func words(_ text: String) -> [Word] {
        var words: [Word] = []
        var current = Word()
        func flush() {
            if !current.scalars.isEmpty {
                words.append(current)
                current = Word()
            }
        }
        var index = 0
        var decomposed: [Unicode.Scalar] = []
        for s in text.unicodeScalars {
            defer { index += 1 }
            let v = s.value
            if v < 0x80 {
                // ASCII: controls go (tab, LF and CR are white space), letters are lower-cased.
                if v == 0x20 || v == 0x09 || v == 0x0A || v == 0x0D {
                    flush()
                    continue
                }
                if v < 0x20 || v == 0x7F { continue }
                if isASCIIPunctuation(v) {
                    flush()
                    words.append(Word(scalars: [s], origins: [index]))
                    continue
                }
                let lower = v >= 0x41 && v <= 0x5A ? Unicode.Scalar(v + 32)! : s
                current.scalars.append(lower)
                current.origins.append(index)
                continue
            }
            if v == 0xFFFD || isControl(s) { continue }
            if s.properties.isWhitespace {
                flush()
                continue
            }
            // An ideograph is a word of its own (a compatibility ideograph decomposes to its unified form first).
            let ideograph = isCJK(v)
            if ideograph { flush() }
            defer { if ideograph { flush() } }
            decomposed.removeAll(keepingCapacity: true)
            decomposed.append(contentsOf: String(s).decomposedStringWithCanonicalMapping.unicodeScalars)
            for d in decomposed where d.properties.generalCategory != .nonspacingMark {
                for l in d.properties.lowercaseMapping.unicodeScalars {
                    if l.value < 0x80 ? isASCIIPunctuation(l.value) : isPunctuation(l) {
                        flush()
                        words.append(Word(scalars: [l], origins: [index]))
                    } else if l.properties.isWhitespace {
                        flush()
                    } else {
                        current.scalars.append(l)
                        current.origins.append(index)
                    }
                }
            }
        }
        flush()
        return words
    }

    /// `!"#$%&'()*+,-./`, `:;<=>?@`, `[\]^_` and backquote, `{|}~`: BERT treats ASCII symbols as punctuation too.
    @inline(__always)
    static func isASCIIPunctuation(_ v: UInt32) -> Bool {
        (v >= 33 && v <= 47) || (v >= 58 && v <= 64) || (v >= 91 && v <= 96) || (v >= 123 && v <= 126)
    }

    /// Unicode punctuation (categories Pc, Pd, Ps, Pe, Pi, Pf, Po).
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    /// What the reference removes as control: categories Cc, Cf, Cn, Co and Cs (tab, LF and CR are white space).
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// The CJK Unified Ideographs blocks BERT splits character by character (not Hangul, Hiragana or Katakana).
    static func isCJK(_ v: UInt32) -> Bool {
        (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0x20000 && v <= 0x2A6DF)
            || (v >= 0x2A700 && v <= 0x2B73F) || (v >= 0x2B740 && v <= 0x2B81F) || (v >= 0x2B820 && v <= 0x2CEAF)
            || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0x2F800 && v <= 0x2FA1F)
    }
}
