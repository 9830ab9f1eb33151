import Foundation
import PipelineCore

/// A stage's `model=` option: a file the user gave (checked to exist when the stage is built, so a typo fails before
/// any document is read), the name of another shipped model (`model=semeval`), or, when unset or `""`, the model this
/// package ships as a resource.
struct ModelChoice: Sendable {
    /// The file given, if any.
    let given: String?
    /// The shipped model chosen by name, if any.
    let named: String?
    /// The shipped model's resource name (`Resources/NAME.model`).
    let builtIn: String
    /// What the model does, for messages: "entity", "stance", "summary".
    let kind: String
    /// The option's name, for errors.
    let option: String

    /// Reads the option's value. `alternatives` maps the names of other shipped models to their resource names; a
    /// file of that name in the working directory wins over the shipped model.
    ///
    /// - Throws: ``StageConfigurationError`` on `option` when a given file does not exist.
    init(_ value: String?, builtIn: String, alternatives: [String: String] = [:], kind: String, option: String) throws {
        let value = value.flatMap { $0.isEmpty ? nil : $0 }
        self.builtIn = builtIn
        self.kind = kind
        self.option = option
        if let v = value, let resource = alternatives[v], !FileManager.default.fileExists(atPath: v) {
            given = nil
            named = resource
        } else {
            given = value
            named = nil
        }
        if let p = given, !FileManager.default.fileExists(atPath: p) {
            let names = alternatives.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw StageConfigurationError(
                "model file '\(p)' does not exist" + (names.isEmpty ? "" : "; the shipped alternatives are \(names)"),
                option: option)
        }
    }

    /// The file to read: the given one, else the shipped one.
    ///
    /// - Throws: ``StageConfigurationError`` when no file was given and the installation lacks the shipped model.
    func path() throws -> String {
        if let p = given { return p }
        guard let p = Bundle.module.path(forResource: named ?? builtIn, ofType: "model", inDirectory: "Resources")
        else {
            throw StageConfigurationError(
                "the built-in \(kind) model is missing from this installation; give \(option)=PATH", option: option)
        }
        return p
    }

    /// Loads the model once per process through `resources`, with `read(path, option)`.
    func load<Model: Sendable>(_ resources: ResourceCache, _ read: (String, String) throws -> Model) throws -> Model {
        try resources.resource(try path(), as: Model.self) { try read($0, option) }
    }
}
