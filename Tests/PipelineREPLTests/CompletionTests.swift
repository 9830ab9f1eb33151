import Foundation
import Testing

@testable import PipelineCore
@testable import PipelineREPL
@testable import PipelineStages

@Suite(.serialized) struct CompletionTests {
    func completer(loaded: Bool = false) throws -> REPLCompleter {
        let s = REPLSession(registry: BuiltInStages.registry, jobs: 1)
        try s.open(dailyPipe)
        if loaded { _ = try s.execute(":step 2") }
        return REPLCompleter(session: s)
    }

    @Test func commandsKindsAndStageNames() throws {
        let c = try completer()
        #expect(c.candidates(":st") == [":stages", ":step"])
        #expect(c.candidates("ext") == ["extract"])
        #expect(
            c.candidates("extract ") == [
                "command", "dates", "entities", "events", "keyphrases", "quotes", "sentences", "tokens",
            ])
        #expect(c.candidates("summarize l") == ["lead", "lexrank"])
        #expect(c.candidates("").contains(":help"))
    }

    @Test func optionKeysAndValues() throws {
        let c = try completer()
        #expect(c.candidates("summarize lead sen") == ["sentences="])
        #expect(c.candidates("summarize lead sentences=2 ") == ["ratio=", "words="])
        #expect(c.candidates("extract sentences newlines=a") == ["newlines=always", "newlines=auto"])
        #expect(c.candidates("extract tokens punctuation=") == ["punctuation=false", "punctuation=true"])
        #expect(c.candidates(":add summarize lead ra") == ["ratio="])
    }

    @Test func documentIdsLayersVariablesAndPaths() throws {
        let c = try completer(loaded: true)
        #expect(c.candidates(":show 03") == ["03-camp-taji"])
        #expect(c.candidates(":show 03-camp-taji s") == ["sentences"])
        #expect(c.candidates(":set le") == ["lead="])
        #expect(c.candidates(":run to l") == ["lead"])
        #expect(c.candidates(":open \(packageRoot)/Pipelines/da") == ["\(packageRoot)/Pipelines/daily.pipe"])
        #expect(c.candidates(":open \(packageRoot)/Pipel") == ["\(packageRoot)/Pipelines/"])
    }

    @Test func helpers() {
        #expect(Completion.commonPrefix(["sentences=", "sentiment="]) == "sent")
        #expect(Completion.lastWord("summarize lead sen") == "sen")
        #expect(Completion.columns(["a", "bb", "ccc"], width: 10) == "a    bb\nccc")
    }
}
