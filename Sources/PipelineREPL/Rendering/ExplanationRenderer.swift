import Foundation
import PipelineCore

/// Renders what a stance stage says moved its score (`:why`): the stage, then its strongest reasons with their
/// contributions and the sentence each comes from.
struct ExplanationRenderer {
    /// Colours.
    let style: Style
    /// Reasons shown per stage (the rest are counted).
    var limit = 15

    /// One stage's explanation of the stance toward `target` in `document`.
    func render(_ reasons: [Explanation], stage: String, target: String, in document: Document) -> [String] {
        let sentences = document.sentences ?? []
        var out = ["\(stage) — \(target) in \(document.id):"]
        if reasons.isEmpty { out.append("  no mention, nothing moved the score (neutral)") }
        for r in reasons.prefix(limit) {
            let excerpt =
                r.sentence < sentences.count ? String(document.text.slice(sentences[r.sentence]).prefix(60)) : ""
            out.append(
                String(format: "  %+.3f  ", r.contribution) + r.reason + style.dim("  [\(r.sentence)] \(excerpt)…"))
        }
        if reasons.count > limit { out.append("  ... \(reasons.count - limit) more") }
        return out
    }
}
