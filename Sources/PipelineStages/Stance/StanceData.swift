import Foundation
import OrderedCollections
import PipelineCore

/// NewsMTSC-style annotated mentions (`sentence`, `from`, `to`, `polarity`) as documents with sentences, tokens and
/// the mention as `from`/`to` in `meta`, for training and scoring the stance stages.
enum StanceData {
    static func read(_ path: String) throws -> [(Document, Stance.Label)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrainingError.io(file: path, message: "cannot read the file")
        }
        let splitter = SentenceSplitter(newlines: .never)
        let tokenizer = Tokenizer()
        var out: [(Document, Stance.Label)] = []
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            if line.allSatisfy({ $0 == " " || $0 == "\r" }) { continue }
            guard case .object(let o)? = try? JSONScanner.parse(Array(line.utf8)),
                let text = o["sentence"]?.stringValue ?? o["text"]?.stringValue,
                let from = o["from"]?.intValue, let to = o["to"]?.intValue,
                let p = o["polarity"]?.stringValue, let label = Stance.Label(rawValue: p)
            else {
                throw TrainingError.data(
                    file: path, line: n + 1,
                    message: "expected sentence, from, to and polarity (negative, neutral, positive)")
            }
            var d = Document(id: o["id"]?.stringValue ?? "\(n + 1)", text: text)
            d.meta["from"] = .int(from)
            d.meta["to"] = .int(to)
            var t = text
            t.withUTF8 { buf in
                var offsets = ScalarOffsets(buf)
                func span(_ r: Range<Int>) -> Span {
                    Span(
                        start: offsets.scalar(atByte: r.lowerBound, in: buf),
                        end: offsets.scalar(atByte: r.upperBound, in: buf))
                }
                let sentences = splitter.split(buf).map(span)
                d.sentences = sentences.isEmpty ? [] : [Span(start: sentences[0].start, end: sentences.last!.end)]
                d.tokens = tokenizer.tokenize(buf).map(span)
            }
            out.append((d, label))
        }
        return out
    }

    /// SemEval-2016-style documents (`text`, `target`, `stance` FAVOR / AGAINST / NONE) with their tokens and the
    /// target in `meta["target"]`, for training and scoring document-level models.
    static func readDocuments(_ path: String) throws -> [(Document, Stance.Label)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrainingError.io(file: path, message: "cannot read the file")
        }
        let tokenizer = Tokenizer()
        let labels: [String: Stance.Label] = ["FAVOR": .positive, "AGAINST": .negative, "NONE": .neutral]
        var out: [(Document, Stance.Label)] = []
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            if line.allSatisfy({ $0 == " " || $0 == "\r" }) { continue }
            guard case .object(let o)? = try? JSONScanner.parse(Array(line.utf8)),
                let text = o["text"]?.stringValue, let target = o["target"]?.stringValue,
                let s = o["stance"]?.stringValue, let label = labels[s]
            else {
                throw TrainingError.data(
                    file: path, line: n + 1, message: "expected text, target and stance (FAVOR, AGAINST, NONE)")
            }
            var d = Document(id: o["id"]?.stringValue ?? "\(n + 1)", text: text)
            d.meta["target"] = .string(target)
            var t = text
            t.withUTF8 { buf in
                var offsets = ScalarOffsets(buf)
                d.tokens = tokenizer.tokenize(buf).map {
                    Span(
                        start: offsets.scalar(atByte: $0.lowerBound, in: buf),
                        end: offsets.scalar(atByte: $0.upperBound, in: buf))
                }
                d.sentences = [Span(start: 0, end: offsets.scalar(atByte: buf.count, in: buf))]
            }
            out.append((d, label))
        }
        return out
    }

    /// Whether a training file holds documents with named targets (SemEval) rather than mentions (NewsMTSC): its
    /// first line has a `stance` field.
    static func holdsDocuments(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path),
            let line = String(decoding: data.prefix(1 << 16), as: UTF8.self).split(separator: "\n").first,
            case .object(let o)? = try? JSONScanner.parse(Array(line.utf8))
        else { return false }
        return o["stance"] != nil && o["polarity"] == nil
    }

    /// The lower-cased words within `radius` tokens of the document's mention (outside it).
    static func window(_ document: Document, radius: Int) -> [String] {
        guard let a = document.meta["from"]?.intValue, let b = document.meta["to"]?.intValue else { return [] }
        let tokens = document.tokens ?? []
        let scalars = Array(document.text.unicodeScalars)
        guard let first = tokens.firstIndex(where: { $0.end > a }) else { return [] }
        var last = first
        while last + 1 < tokens.count && tokens[last + 1].start < b { last += 1 }
        var out: [String] = []
        for i in max(0, first - radius)..<min(tokens.count, last + radius + 1) where i < first || i > last {
            var s = ""
            s.unicodeScalars.append(contentsOf: scalars[tokens[i].start..<min(tokens[i].end, scalars.count)])
            out.append(s.lowercased())
        }
        return out
    }

    /// Accuracy and macro-F1 over the three labels.
    static func evaluate(_ data: [(Document, Stance.Label)], predict: (Document) -> Stance.Label) -> [String: Double] {
        var tp: [Stance.Label: Double] = [:], fp: [Stance.Label: Double] = [:], fn: [Stance.Label: Double] = [:]
        var correct = 0.0
        for (d, gold) in data {
            let p = predict(d)
            if p == gold {
                correct += 1; tp[gold, default: 0] += 1
            } else {
                fp[p, default: 0] += 1; fn[gold, default: 0] += 1
            }
        }
        var f1s: [Double] = []
        for l in Stance.Label.allCases {
            let t = tp[l] ?? 0, p = t + (fp[l] ?? 0), g = t + (fn[l] ?? 0)
            let pr = p > 0 ? t / p : 0, rc = g > 0 ? t / g : 0
            f1s.append(pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0)
        }
        return ["F1 macro": f1s.reduce(0, +) / 3, "accuracy": correct / Double(max(1, data.count))]
    }
}
