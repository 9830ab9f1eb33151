import CStemmer

/// A Snowball stemmer (libstemmer). Not thread-safe: one per job slot (the keyphrase stage's workers each own one).
final class Stemmer {
    private let stemmer: OpaquePointer

    /// The languages offered by `keyphrases language=`.
    static let languages = [
        "english", "french", "german", "spanish", "italian", "portuguese", "dutch", "russian", "arabic", "turkish",
    ]

    /// A stemmer for `language`, or nil when libstemmer does not know it.
    init?(language: String) {
        guard let s = sb_stemmer_new(language, "UTF_8") else { return nil }
        stemmer = s
    }

    deinit { sb_stemmer_delete(stemmer) }

    /// The stem of a lower-cased word.
    func stem(_ word: String) -> String {
        var w = word
        return w.withUTF8 { p in
            guard let base = p.baseAddress, let out = sb_stemmer_stem(stemmer, base, Int32(p.count)) else {
                return word
            }
            let n = Int(sb_stemmer_length(stemmer))
            return String(decoding: UnsafeBufferPointer(start: out, count: n), as: UTF8.self)
        }
    }
}
