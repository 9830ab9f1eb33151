import Testing

@testable import PipelineCore

private func build(_ text: String, _ settings: BuildSettings = BuildSettings()) -> PipelineBuilder.Outcome {
    PipelineBuilder(registry: TestStages.registry).build(
        PipelineDefinition.parse(text: text, file: "t.pipe"),
        settings: settings)
}

private func errors(_ o: PipelineBuilder.Outcome) -> [Diagnostic] { o.diagnostics.filter { $0.severity == .error } }

@Suite struct PipelineBuilderTests {
    @Test func buildsAValidPipelineWithDefaultsAndOrigins() throws {
        let o = build(
            """
            let k = 2
            load memory count=4
            extract split
            summarize first sentences=$k
            write collect path=box
            """, BuildSettings(overrides: [("k", "1")]))
        #expect(errors(o).isEmpty, "\(o.diagnostics)")
        let p = try #require(o.pipeline)
        #expect(p.stages.map(\.label) == ["load memory", "extract split", "summarize first", "write collect"])
        let lead = p.stages[2]
        #expect(lead.options[Lead.sentences] == 1)
        #expect(lead.options.origins["sentences"] == .setFlag(variable: "k"))
        #expect(lead.options.origins["mode"] == .defaultValue)
        #expect(p.stages[0].options.origins["count"] == .file(SourceLocation(file: "t.pipe", line: 2, column: 19)))
        #expect(p.variables["k"]?.value == .int(1))
    }

    @Test func unknownStageSuggestsTheClosestName() {
        let m = MarkedText("load memory\nextract 1️⃣splt\nwrite collect path=x\n")
        let e = errors(build(m.text))
        #expect(e.count == 1)
        #expect(e[0].message == "unknown extract stage 'splt'; did you mean 'split'?")
        #expect(e[0].location?.line == m["1️⃣"].line && e[0].location?.column == m["1️⃣"].column)
    }

    @Test func stageUnderTheWrongKindSaysWhichKind() {
        let e = errors(build("load memory\nsummarize split\nwrite collect path=x\n"))
        #expect(e.first?.notes.contains { $0.contains("'split' is a extract stage") } == true)
    }

    @Test func unknownOptionSuggestsTheClosestOption() {
        let m = MarkedText("load memory\nextract split\nsummarize first 1️⃣sentnces=3\nwrite collect path=x\n")
        let e = errors(build(m.text))
        #expect(e.count == 1)
        #expect(e[0].message == "unknown option 'sentnces' for stage 'summarize first'; did you mean 'sentences'?")
        #expect(e[0].location?.column == m["1️⃣"].column)
    }

    @Test func typeRangeAndEnumErrorsPointAtTheValue() {
        let m = MarkedText(
            """
            load memory count=1️⃣"many"
            extract split
            summarize first sentences=2️⃣11 mode=3️⃣strct words=4️⃣[1]
            write collect path=x
            """)
        let e = errors(build(m.text))
        #expect(e.count == 4, "\(e)")
        #expect(e[0].message.contains("expected an int, found string \"many\""))
        #expect(e[1].message.contains("11 is out of range for 'sentences' (allowed 1…10)"))
        #expect(e[2].message.contains("did you mean 'strict'?"))
        #expect(e[3].message.contains("item 1: expected a string"))
        for (d, k) in zip(e, ["1️⃣", "2️⃣", "3️⃣", "4️⃣"]) {
            #expect(d.location?.line == m[k].line && d.location?.column == m[k].column, "\(d)")
        }
    }

    @Test func intIsAcceptedForDoubleAndSingleValueForList() throws {
        let o = build("load memory\nextract split\nsummarize first words=\"a\"\nwrite collect path=x\n")
        #expect(errors(o).isEmpty)
        #expect(try #require(o.pipeline).stages[2].options[Lead.words] == ["a"])
    }

    @Test func missingRequiredOption() {
        let m = MarkedText("load memory\nextract split\nsummarize first\nextract 1️⃣picky\nwrite collect path=x\n")
        let e = errors(build(m.text))
        #expect(e.count == 1)
        #expect(e[0].message.contains("needs option 'model'"))
        #expect(e[0].location?.column == m["1️⃣"].column)
    }

    @Test func requiresWithoutProviderNamesTheProvider() {
        let m = MarkedText("load memory\n1️⃣summarize first\nwrite collect path=x\n")
        let e = errors(build(m.text))
        #expect(e.count == 1)
        #expect(e[0].message == "stage 'summarize first' requires 'sentences', which no earlier stage provides")
        #expect(e[0].notes.contains("add 'extract split' before this line"))
        #expect(e[0].location?.line == m["1️⃣"].line)
    }

    @Test func stageOrderIsChecked() {
        let e = errors(build("extract split\nload memory\nwrite collect path=x\nextract split\n"))
        #expect(e.contains { $0.message.contains("'load memory' cannot come after a extract stage") })
        #expect(e.contains { $0.message.contains("'extract split' cannot come after a write stage") })
    }

    @Test func loaderAndWriterAreRequired() {
        let e = errors(build("extract split\n"))
        #expect(e.map(\.message).contains("the pipeline has no load stage"))
        #expect(e.map(\.message).contains("the pipeline has no write stage"))
        let relaxed = build("extract split\n", BuildSettings(requireLoaderAndWriter: false))
        #expect(errors(relaxed).filter { $0.message.contains("no load") }.isEmpty)
    }

    @Test func unknownVariableInSetAndInFile() {
        let o = build(
            "let lead = 1\nload memory count=$cuont\nwrite collect path=x\n",
            BuildSettings(overrides: [("led", "2")]))
        let e = errors(o)
        #expect(e.count == 2)
        #expect(e[0].message == "unknown variable 'led' in --set led=2; did you mean 'lead'?")
        #expect(e[0].location == nil)
        #expect(e[1].message.hasPrefix("undefined variable '$cuont'"))
        #expect(e[1].location?.column == 19)
    }

    @Test func duplicateOption() {
        let e = errors(build("load memory count=1 count=2\nwrite collect path=x\n"))
        #expect(e.first?.message.contains("given twice") == true)
        #expect(e.first?.location?.column == 21)
    }

    @Test func stageConfigurationErrorPointsAtTheOption() {
        let m = MarkedText("load memory\nextract split\nsummarize first sentences=2 1️⃣ratio=0.5\nwrite collect path=x\n")
        let e = errors(build(m.text))
        #expect(e.count == 1)
        #expect(e[0].message == "summarize first: not both")
        #expect(e[0].location?.column == m["1️⃣"].column)
    }

    @Test func inputAndOutputReplaceTheFirstLoaderAndLastWriter() throws {
        let o = build(
            "load memory path=a\nload memory path=b\nwrite collect path=c\nwrite collect path=d\n",
            BuildSettings(input: "in.jsonl", output: "out.jsonl"))
        let p = try #require(o.pipeline)
        #expect(
            p.stages.map { $0.options.values["path"] } == ["in.jsonl", "b", "c", "out.jsonl"].map(OptionValue.string))
        #expect(p.stages[0].options.origins["path"] == .flag("--input"))
    }

    @Test func customLayersFlowThroughRequiresAndProvides() throws {
        let o = build("load memory\nextract split\nsummarize first\nextract picky model=m\nwrite collect path=x\n")
        let p = try #require(o.pipeline, "\(o.diagnostics)")
        #expect(p.stages[3].provides == [Layer("custom_layer")])
    }

    @Test func suggestions() {
        #expect(Suggest.editDistance("sentnces", "sentences") == 1)
        #expect(Suggest.closest(to: "sentnces", in: ["ratio", "sentences"]) == "sentences")
        #expect(Suggest.closest(to: "zzz", in: ["ratio", "sentences"]) == nil)
    }
}

/// `extract brittle`: construction throws a plain error (not a StageConfigurationError), and it provides a layer.
struct Brittle: ExtractStage {
    static let descriptor = StageDescriptor(
        kind: .extract, name: "brittle", help: "fails to build",
        requires: [.text], provides: [Layer("brittle")])
    struct Broken: Error, CustomStringConvertible { var description: String { "the dictionary is corrupt" } }
    init(options: StageOptions, context: StageContext) throws { throw Broken() }
    func process(_ d: inout Document) throws {}
}

/// `extract needs_brittle`: requires what `brittle` provides.
struct NeedsBrittle: ExtractStage {
    static let descriptor = StageDescriptor(
        kind: .extract, name: "needs_brittle", help: "after brittle",
        requires: [Layer("brittle")], provides: [])
    init(options: StageOptions, context: StageContext) throws {}
    func process(_ d: inout Document) throws {}
}

/// `extract trainee`: a trainable stage whose trainer counts its epochs.
struct Trainee: ExtractStage, TrainableStage {
    static let descriptor = StageDescriptor(
        kind: .extract, name: "trainee", help: "trains", requires: [.text], provides: [])
    static let training = TrainingDescriptor(help: "counts", formats: "any", metric: "none", defaultEpochs: 1)
    init(options: StageOptions, context: StageContext) throws {}
    func process(_ d: inout Document) throws {}
    static func train(_ request: TrainingRequest, report: (TrainingEvent) -> Void) throws -> TrainingSummary {
        var last = 0
        for epoch in 1...request.epochs { last = epoch }
        return TrainingSummary(epoch: last, dev: [:], modelBytes: 0)
    }
}

@Suite struct BuilderDefectTests {
    @Test func aStageWhoseConstructionThrowsStillProvidesItsLayers() throws {
        var registry = TestStages.registry
        try registry.register(Brittle.self)
        try registry.register(NeedsBrittle.self)
        let o = PipelineBuilder(registry: registry).build(
            PipelineDefinition.parse(
                text: "load memory\nextract brittle\nextract needs_brittle\nwrite collect path=x\n", file: "t.pipe"))
        let errors = o.diagnostics.filter { $0.severity == .error }
        #expect(
            errors.map(\.message) == ["extract brittle: the dictionary is corrupt"], "only the real error: \(errors)")
        #expect(errors.first?.location?.line == 2)
    }

    @Test func trainingWithZeroEpochsIsARequestErrorNotATrap() throws {
        let factory = try StageFactory(checking: Trainee.self)
        let train = try #require(factory.train)
        for epochs in [0, -3, 1001] {
            let request = TrainingRequest(trainFiles: ["t.txt"], output: "m", epochs: epochs)
            #expect(throws: TrainingError.request("epochs must be between 1 and 1000, got \(epochs)")) {
                _ = try train(request) { _ in }
            }
        }
        #expect(throws: TrainingError.request("give at least one training file")) {
            _ = try train(TrainingRequest(trainFiles: [], output: "m", epochs: 2)) { _ in }
        }
        #expect(try train(TrainingRequest(trainFiles: ["t.txt"], output: "m", epochs: 3)) { _ in }.epoch == 3)
    }

    @Test func aTrainingSettingMustBeOneTheStageHas() throws {
        let tuned = TrainingDescriptor(
            help: "h", formats: "f", metric: "F1", defaultEpochs: 1,
            settings: ["rate": "step size", "rank": "adapter rank"])
        let ask = { (settings: [String: String]) in
            TrainingRequest(trainFiles: ["t.txt"], output: "m", epochs: 1, settings: settings)
        }
        try ask(["rate": "0.1", "rank": "8"]).check(against: tuned)
        #expect(throws: TrainingError.request("unknown setting 'rat' (settings: rank, rate); did you mean 'rate'?")) {
            try ask(["rat": "0.1"]).check(against: tuned)
        }
        #expect(throws: TrainingError.request("setting 'rate' needs a value: rate=VALUE")) {
            try ask(["rate": ""]).check(against: tuned)
        }
        // The registry's entry checks them before the trainer runs: Trainee has no settings.
        let train = try #require(try StageFactory(checking: Trainee.self).train)
        #expect(throws: TrainingError.request("unknown setting 'rate' (this stage's training has no settings)")) {
            _ = try train(ask(["rate": "0.1"])) { _ in }
        }
    }
}
