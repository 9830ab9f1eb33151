import Foundation
import PipelineCore

/// A trained entity model: the feature resources (word clusters, gazetteer, case profile) and the tagger(s). Stored
/// as one binary file (little-endian): the magic `PIPENER1`, format and feature-set versions, the resources, each
/// tagger's transitions, feature keys and half-precision weights, and an FNV-1a checksum of everything before it, so
/// that a truncated or foreign file is refused with a clear message when the stage is built, never per document.
/// Format 2 adds the case profile after the gazetteer; a model without one is written as format 1, as before.
struct EntityModel: Sendable, Equatable {
    /// Changes whenever ``TokenFeatures`` changes meaning: a model trained with other features is refused.
    static let featureVersion: UInt32 = 1
    static let magic = Array("PIPENER1".utf8)
    static let formatVersion: UInt32 = 2

    var resources: FeatureResources
    /// The sentence tagger.
    var tagger: LinearTagger
    /// The second-pass tagger, which also sees what the first pass found elsewhere in the document.
    var documentTagger: LinearTagger? {
        didSet { fused = documentTagger.map { FusedTagger(tagger, $0) } }
    }
    /// Both passes over one table, for tagging (built when the model is made or read).
    private(set) var fused: FusedTagger?

    init(resources: FeatureResources, tagger: LinearTagger, documentTagger: LinearTagger?) {
        self.resources = resources
        self.tagger = tagger
        self.documentTagger = documentTagger
        fused = documentTagger.map { FusedTagger(tagger, $0) }
    }

    // MARK: writing

    /// The model's bytes; rows whose weights are all zero are left out.
    func serialized() -> [UInt8] {
        var out = ByteWriter()
        out.bytes(Self.magic)
        out.u32(resources.casing == nil ? 1 : Self.formatVersion)
        out.u32(Self.featureVersion)
        out.u32(UInt32(EntityTags.count))
        out.u32(documentTagger == nil ? 0 : 1)
        let clusters = resources.clusters?.table.sortedPairs ?? []
        out.u32(UInt32(clusters.count))
        for (k, v) in clusters { out.u64(k); out.u64(v) }
        let gazetteer = resources.gazetteer
        out.u32(UInt32(gazetteer?.lists.count ?? 0))
        for name in gazetteer?.lists ?? [] { out.string(name) }
        out.u32(UInt32(gazetteer?.longest ?? 0))
        let entries = gazetteer?.sortedEntries ?? []
        out.u32(UInt32(entries.count))
        for e in entries { out.u64(e.key); out.u32(e.bits) }
        if let casing = resources.casing?.table.sortedPairs {
            out.u32(UInt32(casing.count))
            for (k, _) in casing { out.u64(k) }
            out.bytes(casing.map(\.value))
        }
        Self.write(tagger, to: &out)
        if let documentTagger { Self.write(documentTagger, to: &out) }
        out.u64(ByteWriter.checksum(out.data))
        return out.data
    }

    private static func write(_ t: LinearTagger, to out: inout ByteWriter) {
        let T = EntityTags.count
        for x in t.transitions { out.f32(x) }
        var kept: [Int] = []
        for r in 0..<t.table.count where (0..<T).contains(where: { Float16(t.weights[r * T + $0]) != 0 }) {
            kept.append(r)
        }
        out.u32(UInt32(kept.count))
        for r in kept { out.u64(t.table.keys[r]) }
        for r in kept { for k in 0..<T { out.f16(Float16(t.weights[r * T + k])) } }
    }

    // MARK: reading

    /// Reads a model file.
    ///
    /// - Throws: ``StageConfigurationError`` naming the file: missing, not a model, another version, truncated or
    ///   corrupt.
    static func load(_ path: String, option: String = "model") throws -> EntityModel {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StageConfigurationError("model file '\(path)' does not exist", option: option)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StageConfigurationError("model file '\(path)' cannot be read", option: option)
        }
        do {
            return try parse(Array(data))
        } catch let e as ModelFileError {
            throw StageConfigurationError("model file '\(path)' \(e.message)", option: option)
        }
    }

    static func parse(_ bytes: [UInt8]) throws -> EntityModel {
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw ModelFileError(
                message:
                    "is not an entity model (it does not start with PIPENER1); train one with `pipeline train extract entities`"
            )
        }
        guard bytes.count >= magic.count + 8 + 8 else { throw ModelFileError(message: "is truncated") }
        let stored = bytes[(bytes.count - 8)...].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        var r = ByteReader(bytes: bytes, end: bytes.count - 8)
        r.at = magic.count
        let format = try r.u32(), features = try r.u32()
        guard format == 1 || format == formatVersion else {
            throw ModelFileError(
                message: "has format version \(format); this pipeline reads versions 1 to \(formatVersion)")
        }
        guard features == featureVersion else {
            throw ModelFileError(
                message:
                    "was trained with feature set \(features); this pipeline computes feature set \(featureVersion): train the model again"
            )
        }
        guard ByteWriter.checksum(Array(bytes[0..<(bytes.count - 8)])) == UInt64(littleEndian: stored) else {
            throw ModelFileError(message: "is truncated or corrupt (checksum mismatch)")
        }
        guard try r.u32() == UInt32(EntityTags.count) else { throw ModelFileError(message: "has another tag set") }
        let hasDocumentTagger = try r.u32() == 1
        var resources = FeatureResources()
        let clusterCount = Int(try r.u32())
        if clusterCount > 0 {
            var clusters = WordClusters()
            for _ in 0..<clusterCount {
                let k = try r.u64(), v = try r.u64()
                clusters.set(k, bits: UInt32(truncatingIfNeeded: v >> 8), length: UInt8(truncatingIfNeeded: v))
            }
            resources.clusters = clusters
        }
        let listCount = Int(try r.u32())
        var lists: [String] = []
        for _ in 0..<listCount { lists.append(try r.string()) }
        let longest = Int(try r.u32())
        let entryCount = Int(try r.u32())
        var entries: [(UInt64, UInt32)] = []
        entries.reserveCapacity(entryCount)
        for _ in 0..<entryCount { entries.append((try r.u64(), try r.u32())) }
        if listCount > 0 { resources.gazetteer = FeatureGazetteer(lists: lists, longest: longest, entries: entries) }
        if format >= 2 {
            let words = Int(try r.u32())
            guard words <= (r.end - r.at) / 9 else { throw ModelFileError(message: "is truncated") }
            let keys = try r.u64s(words)
            var casing = CaseProfile()
            for (k, c) in zip(keys, try r.u8s(words)) { casing.set(k, class: c) }
            resources.casing = casing
        }
        let tagger = try readTagger(&r)
        let second = hasDocumentTagger ? try readTagger(&r) : nil
        guard r.at == r.end else { throw ModelFileError(message: "has \(r.end - r.at) unexpected bytes at its end") }
        return EntityModel(resources: resources, tagger: tagger, documentTagger: second)
    }

    private static func readTagger(_ r: inout ByteReader) throws -> LinearTagger {
        let T = EntityTags.count
        var transitions: [Float] = []
        for _ in 0..<((T + 1) * T) { transitions.append(try r.f32()) }
        let rows = Int(try r.u32())
        guard rows <= (r.end - r.at) / 8 else { throw ModelFileError(message: "is truncated") }
        let keys = try r.u64s(rows)
        let weights = try r.f16s(rows * T)
        return LinearTagger(table: FeatureTable(keys: keys), weights: weights, transitions: transitions)
    }
}
