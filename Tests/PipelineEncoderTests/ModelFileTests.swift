import Foundation
import PipelineCore
import TestSupport
import Testing

@testable import PipelineEncoder

/// Missing, truncated, foreign and tampered model files are errors that name the file and what to do.
struct ModelFileTests {
    @Test func aMissingBaseEncoderNamesTheFetchCommand() throws {
        let dir = try TempDir()
        let e = try #require(throws: EncoderError.self) {
            try BaseEncoder.load(environment: ["PIPELINE_MODELS": dir.path("m")])
        }
        #expect("\(e)".contains(dir.path("m/all-minilm-l6-v2/")) && "\(e)".contains("Scripts/fetch-models"))
        #expect(BaseEncoder.directory(environment: ["HOME": "/h"]) == "/h/.cache/pipeline/models/all-minilm-l6-v2")
        #expect(
            BaseEncoder.directory(environment: ["HOME": "/h", "XDG_CACHE_HOME": "/c"])
                == "/c/pipeline/models/all-minilm-l6-v2")
    }

    @Test func truncatedAndForeignSafetensorsAreRefused() throws {
        let dir = try TempDir()
        let short = try dir.write("short.safetensors", [1, 2, 3])
        #expect("\(try #require(throws: EncoderError.self) { try SafeTensors(path: short) })".contains("too short"))
        // A header length past the end of the file.
        let cut = try dir.write("cut.safetensors", [0xFF, 0xFF, 0, 0, 0, 0, 0, 0] + Array("{}".utf8))
        #expect("\(try #require(throws: EncoderError.self) { try SafeTensors(path: cut) })".contains("not safetensors"))
        // Not JSON.
        let text = try dir.write("text.safetensors", [4, 0, 0, 0, 0, 0, 0, 0] + Array("abcd".utf8))
        #expect(
            "\(try #require(throws: EncoderError.self) { try SafeTensors(path: text) })".contains("not safetensors"))
        // A tensor whose bytes lie past the end.
        let header = Array(#"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#.utf8)
        let past = try dir.write(
            "past.safetensors", [UInt8(header.count), 0, 0, 0, 0, 0, 0, 0] + header + [0, 0, 0, 0])
        #expect("\(try #require(throws: EncoderError.self) { try SafeTensors(path: past) })".contains("past the end"))
        // A good file: shape and dtype are checked.
        let pad = (8 - header.count % 8) % 8
        let padded =
            Array(#"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#.utf8) + Array(repeating: 0x20, count: pad)
        let floats: [Float] = [1, 2, 3, 4]
        let bytes = floats.withUnsafeBytes { Array($0) }
        let good = try dir.write("good.safetensors", [UInt8(padded.count), 0, 0, 0, 0, 0, 0, 0] + padded + bytes)
        let t = try SafeTensors(path: good)
        #expect(Array(try t.floats("w", shape: [4])) == floats)
        #expect("\(try #require(throws: EncoderError.self) { try t.floats("w", shape: [2, 2]) })".contains("shape"))
        #expect(
            "\(try #require(throws: EncoderError.self) { try t.floats("x", shape: [4]) })".contains("no tensor 'x'"))
    }

    @Test(.enabled(if: EncoderFixture.available, EncoderFixture.skipReason))
    func weightsChangedSinceVerificationAreRefused() throws {
        // A copy of the base encoder whose weights differ from what was verified (another size): refused with the
        // pinned hash and the fetch command; the untouched copy loads.
        let dir = try TempDir()
        let copy = dir.path("models/all-minilm-l6-v2")
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for f in BertEncoder.files + ["VERIFIED"] {
            try FileManager.default.createSymbolicLink(
                atPath: copy + "/" + f, withDestinationPath: EncoderFixture.directory + "/" + f)
        }
        #expect(throws: Never.self) { try BaseEncoder.verify(copy) }
        try FileManager.default.removeItem(atPath: copy + "/model.safetensors")
        try dir.write("models/all-minilm-l6-v2/model.safetensors", [UInt8](repeating: 0, count: 64))
        let e = try #require(throws: EncoderError.self) { try BaseEncoder.verify(copy) }
        #expect("\(e)".contains(BaseEncoder.weightsSHA256) && "\(e)".contains("Scripts/fetch-models"))
        try FileManager.default.removeItem(atPath: copy + "/VERIFIED")
        #expect(
            "\(try #require(throws: EncoderError.self) { try BaseEncoder.verify(copy) })".contains("never verified"))
    }

    @Test func aTokenizerThatIsNotWordPieceIsRefused() throws {
        let dir = try TempDir()
        let bpe = try dir.write("t.json", #"{"model":{"type":"BPE","vocab":{"a":0}}}"#)
        #expect(
            "\(try #require(throws: EncoderError.self) { try BertTokenizer(contentsOf: bpe) })".contains(
                "not a WordPiece"))
        let config = try dir.write("c.json", #"{"model_type":"roberta"}"#)
        #expect(
            "\(try #require(throws: EncoderError.self) { try BertConfiguration(contentsOf: config) })".contains("bert"))
    }
}
