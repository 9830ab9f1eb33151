import Foundation
import OrderedCollections
import PipelineCore
import PipelineStages
import StageTemplates
import Testing

/// The templates `Scripts/new-stage` copies: they register beside the built-in stages and work together in one
/// pipeline, so a scaffolded package starts from code that compiles and runs.
struct StageTemplateTests {
    @Test func thePluginTemplateRegistersItsStageAndCarriesTheStamp() throws {
        let registrar = PluginRegistrar()
        #expect(pipelinePluginRegister(Unmanaged.passUnretained(registrar).toOpaque()) == 0)
        let plugin = LoadedPlugin(
            path: "/plugins/libExample.so", stamp: String(cString: pipelinePluginABI()),
            types: registrar.types, replacing: registrar.replacing)
        #expect(plugin.stamp == PluginABI.hostStamp)
        var registry = BuiltInStages.registry
        try registry.register(plugin: plugin)
        #expect(registry.factory(kind: .extract, name: "example") != nil)
        #expect(registry.plugin(registering: .extract, "example")?.path == "/plugins/libExample.so")
    }

    @Test func everyTemplateRegistersAndRunsInOnePipeline() throws {
        var registry = BuiltInStages.registry
        for kind in StageKind.allCases { try registry.register(try #require(StageTemplates.all[kind])) }
        let dir = try TempDir()
        let input = try dir.write(
            "lines.txt",
            """
            Iraq welcomed the progress on the water plan with France. Talks in Baghdad went on for hours and hours.

            Critics rejected the Iraq plan.
            """)
        let text = """
            load example path="\(input)"
            extract sentences
            extract example min_length=5
            summarize example words=8
            stance example targets=["Iraq"]
            write example path="\(dir.path("out.tsv"))"
            write jsonl path="\(dir.path("out.jsonl"))"
            """
        let outcome = PipelineBuilder(registry: registry).build(PipelineDefinition.parse(text: text, file: "t.pipe"))
        let pipeline = try #require(outcome.pipeline, "\(outcome.diagnostics)")
        let summary = try PipelineRunner(pipeline: pipeline).run()
        #expect(summary.documentsIn == 2 && summary.documentsOut == 2 && summary.failed == 0)
        #expect(try dir.read("out.tsv") == "line-1\t\nline-3\t\n")
        let docs = try readJSONL(dir.path("out.jsonl"))
        #expect(docs[0].layers["example"]?.arrayValue?.count == 3)  // France, Talks, Baghdad (Iraq is 4 letters)
        #expect(docs[0].summary?.sentences == [0])  // the longest sentence alone exceeds the 8-word budget
        #expect(docs[0].stances?.first?.score ?? 0 > 0)
        #expect(docs[1].stances?.first?.score ?? 0 < 0)
    }

    @Test func summaryLengthOptionsExcludeEachOther() {
        let registry = try! StageRegistry([ExampleSummarizer.self])
        let outcome = PipelineBuilder(registry: registry).build(
            PipelineDefinition.parse(text: "summarize example sentences=2 words=30\n", file: "t.pipe"),
            settings: BuildSettings(requireLoaderAndWriter: false, providedBefore: [.text, .sentences]))
        #expect(
            outcome.diagnostics.map(\.message) == [
                "summarize example: give one of sentences=K, ratio=R or words=N, not sentences=K and words=N"
            ])
        #expect(outcome.diagnostics.first?.location?.column == 31)
    }
}
