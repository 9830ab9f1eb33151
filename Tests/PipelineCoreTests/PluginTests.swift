import Foundation
import TestSupport
import Testing

@testable import PipelineCore

/// The plugin loader's refusals (each before any code of the file runs), the `plugin` line and its opt-in, and
/// registering a plugin's stages. Loading a real plugin built from a scaffolded package into the release `pipeline` is
/// `Scripts/check-plugins`' job (two builds of the core, in .ci/run).
@Suite struct PluginTests {
    /// An ELF header followed by `text`: the loader reads the stamp from the bytes before it asks the dynamic linker.
    private func fakeLibrary(_ path: String, containing text: String) throws {
        var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + Array(repeating: 0, count: 56)
        bytes += Array(text.utf8) + [0]
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    private func refusal(_ path: String) -> PluginError? {
        do {
            _ = try PluginLoader().load(path)
            return nil
        } catch {
            return error
        }
    }

    @Test func theStampNamesThisCoreVersionItsSourcesAndTheCompiler() throws {
        let stamp = PluginABI.describe(PluginABI.hostStamp)
        let pattern =
            #/core (?<version>[^ ]+) \(sources (?<fingerprint>[0-9a-f]{16})\), Swift (?<compiler>6\.[0-9.]+.*)/#
        let m = try #require(stamp.wholeMatch(of: pattern), "\(stamp)")
        #expect(String(m.version) == PluginABI.coreVersion)
        #expect(PluginABI.hostStamp == PluginABI.stampPrefix + stamp)
        #expect(String(describing: PluginABI.stamp) == PluginABI.hostStamp)
    }

    @Test func missingFilesAndNonFilesAreRefused() throws {
        let folder = try TempDir()
        let dir = folder.url.path
        #expect(refusal(dir + "/libNone.so") == .notFound(path: dir + "/libNone.so"))
        #expect(refusal(dir) == .notAFile(path: dir, what: "a directory"))
        let fifo = dir + "/fifo.so"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(refusal(fifo) == .notAFile(path: fifo, what: "a FIFO"))
        #expect(refusal(fifo)?.description.contains("is a FIFO, not a library file") == true)
    }

    @Test func aFileThatIsNotALibraryIsRefused() throws {
        let folder = try TempDir()
        let dir = folder.url.path
        let text = dir + "/notes.so"
        try "plugin notes\n".write(toFile: text, atomically: true, encoding: .utf8)
        let e = try #require(refusal(text))
        #expect(e == .notALibrary(path: text, reason: "not an ELF file"))
        #expect(e.description.contains("'\(text)' is not a shared library"))
    }

    @Test func aLibraryWithoutTheStampOrEntryPointIsNotAPlugin() throws {
        let folder = try TempDir()
        let dir = folder.url.path
        let unstamped = dir + "/libPlain.so"
        try fakeLibrary(unstamped, containing: "just some library")
        let e = try #require(refusal(unstamped))
        #expect(e.description.contains("is a shared library but not a pipeline plugin: it has no ABI stamp"))
        #expect(e.description.contains("Scripts/new-stage --plugin"))
        // The core itself is a real, loadable library with this very stamp, and no entry point.
        let core = try #require(PluginLoader.coreFile)
        #expect(core.hasSuffix(".so"), "the tests link the core as a shared library")
        #expect(refusal(core) == .notAPlugin(path: core, missing: "pipeline_plugin_abi function"))
    }

    @Test func aPluginBuiltForAnotherCoreIsRefusedWithoutLoading() throws {
        let folder = try TempDir()
        let dir = folder.url.path
        // Not a loadable library at all: it is refused on its stamp before the dynamic linker sees it.
        let old = dir + "/.build/release/libOld.so"
        try FileManager.default.createDirectory(atPath: dir + "/.build/release", withIntermediateDirectories: true)
        let stamp = PluginABI.stampPrefix + "core 0.1.0, Swift 6.0.3"
        try fakeLibrary(old, containing: stamp)
        let e = try #require(refusal(old))
        let canonicalDir = PluginLoader.canonicalPath(dir)
        #expect(
            e
                == .incompatible(
                    path: old, plugin: stamp, host: PluginABI.hostStamp,
                    rebuild: "pipeline plugin build \(canonicalDir)"))
        #expect(
            e.description.contains(
                "was built for core 0.1.0, Swift 6.0.3, but this pipeline is core \(PluginABI.coreVersion)"))
        #expect(e.description.contains("Rebuild it against this pipeline: pipeline plugin build \(canonicalDir)"))
        // With the right stamp, the same bytes reach the dynamic linker, which refuses them with its reason.
        let fake = dir + "/libFake.so"
        try fakeLibrary(fake, containing: PluginABI.hostStamp)
        guard case .notALibrary(_, let reason)? = refusal(fake) else {
            Issue.record("expected the dynamic linker's refusal")
            return
        }
        #expect(!reason.isEmpty)
    }

    @Test func pluginLinesResolveAgainstTheirFile() {
        let def = PipelineDefinition.parse(text: "plugin \"lib/libA.so\"\nplugin /abs/libB.so\n", file: "dir/p.pipe")
        #expect(def.diagnostics.isEmpty, "\(def.diagnostics)")
        #expect(def.plugins.map(\.path) == ["dir/lib/libA.so", "/abs/libB.so"])
        #expect(def.plugins.map(\.written) == ["lib/libA.so", "/abs/libB.so"])
        #expect(def.plugins[0].location.line == 1 && def.plugins[0].location.column == 8)
        let bad = PipelineDefinition.parse(text: "plugin\n", file: "p.pipe")
        #expect(bad.diagnostics.first?.message.contains("expected a file name after 'plugin'") == true)
    }

    @Test func aPluginLineNeedsTheCommandOptIn() throws {
        let m = MarkedText("plugin 1️⃣\"libX.so\"\nload memory\nextract 2️⃣shouting\nwrite collect path=x\n")
        let refused = PipelineBuilder(registry: TestStages.registry).build(
            PipelineDefinition.parse(text: m.text, file: "t.pipe"))
        let errors = refused.diagnostics.filter { $0.severity == .error }
        // One error, at the plugin line: the stage it would have provided is not one more error.
        #expect(errors.count == 1, "\(refused.diagnostics)")
        #expect(
            errors.first?.message
                == "'plugin \"libX.so\"' loads code into the pipeline; allow it with --allow-commands, "
                + "or list t.pipe in the trust file (see the README)")
        #expect(errors.first?.location?.line == m["1️⃣"].line && errors.first?.location?.column == m["1️⃣"].column)
        let stage = refused.diagnostics.first { $0.severity == .warning }
        #expect(stage?.location?.column == m["2️⃣"].column)
        // `check` notes it and goes on; with the opt-in, the loader runs (and here finds no file).
        let noted = PipelineBuilder(registry: TestStages.registry).build(
            PipelineDefinition.parse(text: m.text, file: "t.pipe"), settings: BuildSettings(commands: .note))
        #expect(noted.pipeline != nil && noted.diagnostics.allSatisfy { $0.severity == .warning })
        let allowed = PipelineBuilder(registry: TestStages.registry).build(
            PipelineDefinition.parse(text: m.text, file: "t.pipe"), settings: BuildSettings(commands: .allow))
        #expect(
            allowed.diagnostics.filter { $0.severity == .error }.map(\.message)
                == [
                    "plugin 'libX.so' does not exist; build it with `pipeline plugin build DIR` and give the path of the .so it prints"
                ])
    }

    @Test func aPluginsStagesRegisterOnceAndClashesNameTheFile() throws {
        let plugin = LoadedPlugin(
            path: "/p/libSplit.so", stamp: PluginABI.hostStamp, types: [Splitter.self], replacing: [])
        var empty = StageRegistry()
        try empty.register(plugin: plugin)
        try empty.register(plugin: plugin)
        #expect(empty.plugins == [plugin])
        #expect(empty.names(of: .extract) == ["split"])
        #expect(empty.plugin(registering: .extract, "split") == plugin)
        var full = TestStages.registry
        let before = full.descriptors.count
        #expect(
            throws: PluginError.registration(
                path: "/p/libSplit.so",
                error: .duplicate(stage: "extract split", type: "Splitter"))
        ) {
            try full.register(plugin: plugin)
        }
        #expect(full.descriptors.count == before && full.plugins.isEmpty)
        let e = PluginError.registration(
            path: "/p/libSplit.so", error: .duplicate(stage: "extract split", type: "Splitter"))
        #expect(
            e.description.hasPrefix("plugin '/p/libSplit.so': stage 'extract split' (Splitter) is already registered"))
    }

    @Test func theRegistrarCollectsWhatAnEntryPointRegisters() {
        let entry: @convention(c) (UnsafeMutableRawPointer) -> Int32 = { pointer in
            PluginRegistrar.register([Splitter.self], replacing: [Lead.self], into: pointer)
        }
        let (code, registrar) = PluginRegistrar().collect(calling: entry)
        #expect(code == 0)
        #expect(registrar.types.map { $0.descriptor.qualifiedName } == ["extract split"])
        #expect(registrar.replacing.map { $0.descriptor.qualifiedName } == ["summarize first"])
    }
}
