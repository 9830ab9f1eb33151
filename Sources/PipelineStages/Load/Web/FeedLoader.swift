import Foundation
import OrderedCollections
import PipelineCore

/// `load rss`: one document per item of RSS 2.0, RSS 1.0 or Atom feeds (``FeedParser``), read from files, folders,
/// globs, `http(s)://` URLs, or a `.txt` list of feed URLs and paths (one per line, `#` comments). Items whose GUID or
/// link was already read in the run are skipped. With `fetch=true` each item's page is downloaded (``HTTPFetcher``:
/// per-host limit, timeouts, size limit, retries, conditional requests, on-disk cache) and its article extracted as
/// `load html` does; when the page cannot be had, the item keeps the feed's text and `meta.fetch_error` says why.
public struct FeedLoader: LoadStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .load, name: "rss",
        help:
            "one document per RSS/Atom item from feed files, folders, globs, http(s) URLs or a .txt list of them; fetch=true downloads each item's article",
        options: [
            Self.input, Self.fetch, Self.cache, Self.timeout, Self.maxBytes, Self.perHost, Self.retries,
            Self.backoff, Self.pageMaxAge, Self.userAgent, Self.extensions,
        ],
        provides: [.text, .title, .date])

    static let input = Group(InputPath.self)
    static let fetch = StageOption<Bool>(
        "fetch", default: false, help: "download each item's page and use its article text")
    static let cache = StageOption<String>(
        "cache", default: "~/.cache/pipeline/http", type: .path,
        help: "folder of the HTTP cache (\"\" for none): feeds are revalidated, pages reused")
    static let timeout = StageOption<Double>(
        "timeout", default: 20, range: 0.1...600, help: "seconds without data before a request fails")
    static let maxBytes = StageOption<Int>(
        "max_bytes", default: 8_000_000, range: 1_000...2_000_000_000,
        help: "largest feed or page accepted, in bytes")
    static let perHost = StageOption<Int>("per_host", default: 2, range: 1...64, help: "requests at once to one host")
    static let retries = StageOption<Int>(
        "retries", default: 3, range: 0...10,
        help: "retries after a 5xx, 429 or network error (never after other 4xx)")
    static let backoff = StageOption<Double>(
        "backoff", default: 1, range: 0...60, help: "seconds before the first retry, doubling after each")
    static let pageMaxAge = StageOption<Double>(
        "page_max_age", default: 2_592_000, range: 0...1e9,
        help: "seconds a cached page is used without asking the server")
    static let userAgent = StageOption<String>(
        "user_agent", default: HTTPFetcher.Settings().userAgent, help: "the User-Agent header")
    static let extensions = StageOption<[String]>(
        "extensions", default: [".xml", ".rss", ".atom"],
        help: "feed file extensions read from folders (.gz versions too)")

    let sources: [String]
    /// The folder entries not read (FIFOs, devices), reported before the feeds.
    let skipped: [InputFiles.Skipped]
    let fetchPages: Bool
    let fetcher: HTTPFetcher?
    let pageSettings: HTMLLoader.Settings
    let maxPageAge: Double
    let limit: Int

    /// Builds the loader; fails when `path` matches nothing.
    public init(options: StageOptions, context: StageContext) throws {
        let path = try options[Self.input].path
        limit = options[Self.maxBytes]
        fetchPages = options[Self.fetch]
        maxPageAge = options[Self.pageMaxAge]
        pageSettings = HTMLLoader.Settings(maxBytes: limit, maxDepth: 256)
        var list: [String]
        var skipped: [InputFiles.Skipped] = []
        if Self.isURL(path) {
            list = [path]
        } else if path.lowercased().hasSuffix(".txt") && FileManager.default.fileExists(atPath: path) {
            list = try Self.readList(path)
        } else {
            let exts = options[Self.extensions].map { ($0.hasPrefix(".") ? $0 : "." + $0).lowercased() }
            let listing = try InputFiles.expand(path, extensions: exts)
            list = listing.files
            skipped = listing.skipped
        }
        sources = list
        self.skipped = skipped
        if fetchPages || list.contains(where: Self.isURL) {
            var s = HTTPFetcher.Settings()
            s.userAgent = options[Self.userAgent]
            s.timeout = options[Self.timeout]
            s.maxBytes = limit
            s.perHost = options[Self.perHost]
            s.retries = options[Self.retries]
            s.backoff = options[Self.backoff]
            let folder = options[Self.cache]
            s.cacheFolder = folder.isEmpty ? nil : (folder as NSString).expandingTildeInPath
            do {
                fetcher = try HTTPFetcher(s)
            } catch {
                throw StageConfigurationError("\(error)", option: Self.cache.name)
            }
        } else {
            fetcher = nil
        }
    }

    static func isURL(_ text: String) -> Bool {
        let l = text.lowercased()
        return l.hasPrefix("http://") || l.hasPrefix("https://")
    }

    /// The feeds named in a list file.
    static func readList(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(validating: data, as: UTF8.self)
        else {
            throw StageConfigurationError("cannot read the feed list '\(path)' as UTF-8 text", option: "path")
        }
        let dir = (path as NSString).deletingLastPathComponent
        var out: [String] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if isURL(line) { out.append(line); continue }
            let p = line.hasPrefix("/") ? line : (dir as NSString).appendingPathComponent(line)
            guard FileManager.default.fileExists(atPath: p) else {
                throw StageConfigurationError(
                    "\(path):\(n + 1): '\(line)' is neither an http(s) URL nor an existing file", option: "path")
            }
            out.append(p)
        }
        if out.isEmpty { throw StageConfigurationError("the feed list '\(path)' names no feed", option: "path") }
        return out
    }

    /// Opens the input.
    public func makeReader() throws -> any DocumentReader {
        InputFiles.Listing(files: sources, skipped: skipped).reader(Reader(loader: self))
    }

    /// A feed item as a document.
    static func document(_ item: FeedParser.Item, index: Int, feed: FeedParser.Feed, source: String) -> Document {
        let id = item.guid ?? item.link ?? "\(source)#\(index + 1)"
        var doc = Document(id: id, text: item.text, title: item.title)
        if doc.text.isEmpty, let t = item.title {
            doc.text = t
            doc.meta["text_from"] = .string("title")
        }
        doc.date = item.date
        doc.source = feed.title
        if let l = item.link { doc.meta["url"] = .string(l) }
        if let g = item.guid { doc.meta["guid"] = .string(g) }
        if let a = item.author { doc.meta["author"] = .string(a) }
        if !item.categories.isEmpty { doc.meta["categories"] = .array(item.categories.map { .string($0) }) }
        if let r = item.rawDate {
            doc.meta["published"] = .string(r)
            if item.date == nil {
                doc.meta["date_note"] = .string("'\(r)' is not a date this loader reads (RFC 822 or ISO 8601)")
            }
        }
        doc.meta["feed"] = .string(source)
        return doc
    }

    struct Reader: DocumentReader {
        let loader: FeedLoader
        var index = 0
        /// The records of the feed being read, and the next one to hand out.
        var queue: [LoadedRecord] = []
        var queued = 0
        var seen = Set<String>()
        var bytes = 0

        init(loader: FeedLoader) { self.loader = loader }

        var progress: (bytesRead: Int, totalBytes: Int?) { (bytes, nil) }

        mutating func next() throws -> LoadedRecord? {
            while queued >= queue.count {
                guard index < loader.sources.count else { return nil }
                let source = loader.sources[index]
                index += 1
                queue.removeAll(keepingCapacity: true)
                queued = 0
                read(source)
            }
            queued += 1
            return queue[queued - 1]
        }

        private mutating func read(_ source: String) {
            let origin = RecordOrigin(file: source)
            let raw: [UInt8]
            do {
                if FeedLoader.isURL(source) {
                    guard let f = loader.fetcher else { throw InputError("no HTTP client") }
                    raw = try f.get(source).body
                } else {
                    raw = try InputFiles.readAll(source, limit: loader.limit)
                }
            } catch {
                queue.append(LoadedRecord(origin: origin, content: .failure(id: nil, message: "feed \(error)")))
                return
            }
            bytes += raw.count
            let feed: FeedParser.Feed
            do {
                feed = try FeedParser.parse(raw, base: FeedLoader.isURL(source) ? source : nil, limit: loader.limit)
            } catch {
                queue.append(
                    LoadedRecord(origin: origin, content: .failure(id: nil, message: "'\(source)' is \(error)")))
                return
            }
            for (i, item) in feed.items.enumerated() {
                let keys = [item.guid, item.link].compactMap { $0 }
                if keys.contains(where: seen.contains) { continue }
                let doc = FeedLoader.document(item, index: i, feed: feed, source: source)
                let itemOrigin = RecordOrigin(file: source, line: i + 1)
                // Only an item that becomes a document counts for the de-duplication: a later item with the link of
                // a failed one is read, not dropped unseen.
                if !doc.text.isEmpty { seen.formUnion(keys) }
                guard !doc.text.isEmpty else {
                    queue.append(
                        LoadedRecord(
                            origin: itemOrigin,
                            content: .failure(
                                id: doc.id, message: "item \(i + 1) of '\(source)' has neither a title nor text")))
                    continue
                }
                guard loader.fetchPages, let link = item.link, let fetcher = loader.fetcher else {
                    queue.append(LoadedRecord(origin: itemOrigin, content: .document(doc)))
                    continue
                }
                let settings = loader.pageSettings, maxAge = loader.maxPageAge
                queue.append(
                    LoadedRecord(
                        origin: itemOrigin,
                        content: .pending({
                            do {
                                let page = try fetcher.get(link, maxAge: maxAge)
                                var fetched = doc
                                try HTMLLoader.convert(
                                    page.body, into: &fetched, origin: "'\(link)'", settings: settings)
                                fetched.meta["fetched"] = .string(page.via)
                                if page.finalURL != link { fetched.meta["final_url"] = .string(page.finalURL) }
                                return fetched
                            } catch {
                                var kept = doc
                                kept.meta["fetch_error"] = .string("\(error)")
                                return kept
                            }
                        })))
            }
            if let t = feed.truncation {
                queue.append(
                    LoadedRecord(
                        origin: RecordOrigin(file: source, line: feed.items.count + 1),
                        content: .failure(id: nil, message: "'\(source)' is \(t)")))
            }
        }
    }
}
