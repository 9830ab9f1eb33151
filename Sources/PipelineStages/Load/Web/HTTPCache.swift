import Foundation
import OrderedCollections
import PipelineCore

/// An on-disk cache of fetched URLs: per URL, the body and what revalidates it (`ETag`, `Last-Modified`) and when it
/// was fetched. Files are `KEY.body` and `KEY.json` in one folder, KEY a hash of the URL; both are written to a
/// temporary name and renamed, so a killed run never leaves half an entry.
struct HTTPCache: Sendable {
    /// A cached response.
    struct Entry: Sendable {
        var body: [UInt8]
        var etag: String?
        var lastModified: String?
        var finalURL: String
        var fetched: Date
    }

    let folder: String

    /// Opens (creating) the cache folder.
    ///
    /// - Throws: ``InputError`` when the folder cannot be made.
    init(folder: String) throws {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw InputError("cannot create the HTTP cache folder '\(folder)': \(error.localizedDescription)")
        }
    }

    static func key(_ url: String) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in url.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return String(h, radix: 16)
    }

    /// The cached response for `url`, if any (an entry written for another URL with the same key is ignored).
    func entry(_ url: String) -> Entry? {
        let base = folder + "/" + Self.key(url)
        guard let metaData = FileManager.default.contents(atPath: base + ".json"),
            let meta = (try? JSONScanner.parse(Array(metaData)))?.objectValue,
            meta["url"]?.stringValue == url,
            let body = FileManager.default.contents(atPath: base + ".body"),
            let fetched = meta["fetched"]?.doubleValue
        else { return nil }
        return Entry(
            body: Array(body), etag: meta["etag"]?.stringValue, lastModified: meta["last_modified"]?.stringValue,
            finalURL: meta["final_url"]?.stringValue ?? url, fetched: Date(timeIntervalSince1970: fetched))
    }

    /// Stores a response; a failure to write only costs a refetch next time.
    func store(_ url: String, _ e: Entry) {
        let base = folder + "/" + Self.key(url)
        var meta: OrderedDictionary<String, JSONValue> = [
            "url": .string(url), "final_url": .string(e.finalURL),
            "fetched": .double(e.fetched.timeIntervalSince1970),
        ]
        if let t = e.etag { meta["etag"] = .string(t) }
        if let m = e.lastModified { meta["last_modified"] = .string(m) }
        var json = JSONWriter()
        json.write(.object(meta))
        let suffix = ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: base + ".body" + suffix, contents: Data(e.body)),
            FileManager.default.createFile(atPath: base + ".json" + suffix, contents: Data(json.bytes))
        else { return }
        _ = rename(base + ".body" + suffix, base + ".body")
        _ = rename(base + ".json" + suffix, base + ".json")
    }
}
