import Foundation
import OrderedCollections
import Synchronization
import Testing

@testable import PipelineCore
@testable import PipelineStages

enum Feeds {
    static let rss = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel><title>Gulf Wire</title><link>https://news.example.com/</link>
        <item><title>Iraq and Kurdistan agree on oil</title><link>/2026/11/24/oil-deal</link>
          <guid isPermaLink="false">gw-1001</guid><pubDate>Tue, 24 Nov 2026 08:15:00 GMT</pubDate>
          <description>&lt;p&gt;Baghdad and Erbil &lt;b&gt;agreed&lt;/b&gt; on Tuesday to resume exports.&lt;/p&gt;&lt;p&gt;Salaries will be paid.&lt;/p&gt;</description>
          <dc:creator>Jane Roe</dc:creator><category>Iraq</category><category>Oil</category></item>
        <item><title>Jordan water deal</title><link>https://news.example.com/2026/11/24/water</link>
          <pubDate>sometime last week</pubDate>
          <content:encoded><![CDATA[<div><p>Jordan and Israel signed a water agreement.</p><script>x()</script></div>]]></content:encoded>
          <description>Short teaser.</description></item>
        <item><title>Title only item</title></item>
        <item><title>Iraq and Kurdistan agree on oil (updated)</title><link>https://news.example.com/2026/11/24/oil-deal</link>
          <description>A duplicate by link.</description></item>
        <item><description>   </description></item>
        </channel></rss>
        """

    static let atom = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom"><title>Levant Daily</title><link href="https://levant.example.org/"/>
        <entry><title type="html">Lebanon &lt;i&gt;fails&lt;/i&gt; again</title><id>tag:levant,2026:1</id>
          <link rel="alternate" href="https://levant.example.org/a/1"/><published>2026-11-24T19:00:00+02:00</published>
          <updated>2026-11-25T08:00:00Z</updated><author><name>Rami Khoury</name></author>
          <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Parliament failed for the 13th time.</p></div></content></entry>
        <entry><title>Egypt hosts talks</title><id>tag:levant,2026:2</id><link href="a/2"/><updated>2026-11-25T10:00:00Z</updated>
          <summary type="text">Mediators met in Cairo &lt;on Wednesday&gt;.</summary></entry>
        </feed>
        """
}

@Suite struct FeedLoaderTests {
    @Test func rssItemsWithRelativeLinksHTMLDescriptionsDatesAndDuplicates() throws {
        let dir = try TempDir()
        try dir.write("feeds/gulf.xml", Feeds.rss)
        let r = try loadAll("load rss path=\"\(dir.path("feeds"))\"")
        #expect(r.count == 4)
        let a = try #require(r[0].document)
        #expect(a.id == "gw-1001")
        #expect(a.title == "Iraq and Kurdistan agree on oil")
        #expect(a.text == "Baghdad and Erbil agreed on Tuesday to resume exports.\n\nSalaries will be paid.")
        #expect(a.date == "2026-11-24")
        #expect(a.source == "Gulf Wire")
        #expect(a.meta["url"]?.stringValue == "https://news.example.com/2026/11/24/oil-deal")
        #expect(a.meta["author"]?.stringValue == "Jane Roe")
        #expect(a.meta["categories"] == .array([.string("Iraq"), .string("Oil")]))
        let b = try #require(r[1].document)
        #expect(b.id == "https://news.example.com/2026/11/24/water")
        #expect(b.text == "Jordan and Israel signed a water agreement.")
        #expect(b.date == nil)
        #expect(b.meta["date_note"]?.stringValue?.contains("'sometime last week' is not a date") == true)
        let c = try #require(r[2].document)
        #expect(c.text == "Title only item" && c.meta["text_from"]?.stringValue == "title")
        #expect(c.id.hasSuffix("gulf.xml#3"))
        #expect(r[3].failure?.message.contains("item 5") == true)
    }

    @Test func atomEntries() throws {
        let dir = try TempDir()
        try dir.write("levant.atom", Feeds.atom)
        let docs = try loadAll("load rss path=\"\(dir.path("levant.atom"))\"").compactMap(\.document)
        #expect(docs.count == 2)
        #expect(docs[0].title == "Lebanon fails again")
        #expect(docs[0].text == "Parliament failed for the 13th time.")
        #expect(docs[0].date == "2026-11-24")
        #expect(docs[0].meta["author"]?.stringValue == "Rami Khoury")
        #expect(docs[0].source == "Levant Daily")
        #expect(docs[1].text == "Mediators met in Cairo <on Wednesday>.")
        #expect(docs[1].date == "2026-11-25")
        #expect(docs[1].meta["url"]?.stringValue == "https://levant.example.org/a/2")
    }

    @Test func notAFeedAndAFeedListWithABadLine() throws {
        let dir = try TempDir()
        try dir.write("x/page.xml", "<html><body>not a feed</body></html>")
        let r = try loadAll("load rss path=\"\(dir.path("x"))\"")
        #expect(r.first?.failure?.message.contains("not an RSS or Atom feed (the root element is <html>)") == true)
        try dir.write("list.txt", "# my feeds\nx/page.xml\nnot-here.xml\n")
        let o = PipelineBuilder(registry: BuiltInStages.registry).build(
            PipelineDefinition.parse(
                text: "load rss path=\"\(dir.path("list.txt"))\"\nwrite jsonl path=-\n", file: "t.pipe"))
        #expect(o.pipeline == nil)
        #expect(
            o.diagnostics.contains {
                $0.message.contains("list.txt:3: 'not-here.xml' is neither an http(s) URL nor an existing file")
            })
    }

    @Test func feedsAndPagesOverHTTP() throws {
        let page: @Sendable (Int) -> String = { n in
            "<html><head><title>Story \(n) | Wire</title></head><body><nav><a href=\"/\">Home</a></nav><article><p>Full story \(n): officials met in the capital on Friday, and talks will continue next week, a spokesman said.</p></article></body></html>"
        }
        let flaky = Mutex(0)
        let server = try LocalHTTPServer { req in
            switch req.path {
            case "/feed.xml":
                if req.headers["if-none-match"] == "\"v1\"" { return .init(status: 304) }
                let items = ["/a", "/redirect", "/flaky", "/missing", "/slow", "/big"].enumerated().map { i, p in
                    "<item><title>Item \(i)</title><link>\(p)</link><description>Teaser \(i).</description></item>"
                }.joined()
                return .init(
                    headers: ["ETag": "\"v1\"", "Content-Type": "application/rss+xml"],
                    body: "<rss><channel><title>Local</title><link>http://127.0.0.1/</link>\(items)</channel></rss>")
            case "/a": return .init(body: page(1))
            case "/redirect": return .init(status: 302, headers: ["Location": "/b"])
            case "/b": return .init(body: page(2))
            case "/flaky":
                let n = flaky.withLock {
                    $0 += 1; return $0
                }
                return n == 1 ? .init(status: 500, body: "busy") : .init(body: page(3))
            case "/missing": return .init(status: 404, body: "no")
            case "/slow": return .init(body: page(5), delay: 3)
            case "/big":
                return .init(body: "<html><body><p>" + String(repeating: "big ", count: 10_000) + "</p></body></html>")
            default: return .init(status: 404)
            }
        }
        defer { server.stop() }
        let dir = try TempDir()
        let pipe =
            "load rss path=\"\(server.url("/feed.xml"))\" fetch=true cache=\"\(dir.path("cache"))\" timeout=1 retries=1 backoff=0.05 max_bytes=20000"
        let r = try loadAll(pipe)
        #expect(r.count == 6)
        let docs = r.compactMap(\.document)
        #expect(docs.count == 6)
        func doc(_ path: String) -> Document? { docs.first { $0.meta["url"]?.stringValue == server.url(path) } }
        #expect(doc("/a")?.text.hasPrefix("Full story 1") == true)
        #expect(doc("/a")?.meta["fetched"]?.stringValue == "network")
        #expect(doc("/redirect")?.text.hasPrefix("Full story 2") == true)
        #expect(doc("/redirect")?.meta["final_url"]?.stringValue == server.url("/b"))
        #expect(doc("/flaky")?.text.hasPrefix("Full story 3") == true)
        #expect(server.count("/flaky") == 2)
        #expect(doc("/missing")?.text == "Teaser 3.")
        #expect(doc("/missing")?.meta["fetch_error"]?.stringValue?.contains("HTTP 404 (not retried)") == true)
        #expect(server.count("/missing") == 1)
        #expect(doc("/slow")?.meta["fetch_error"]?.stringValue?.contains("after 2 attempts") == true)
        #expect(doc("/big")?.meta["fetch_error"]?.stringValue?.contains("larger than 20000 bytes") == true)
        let agents = server.requests.map { (q: LocalHTTPServer.Request) -> String in q.headers["user-agent"] ?? "" }
        #expect(agents.allSatisfy { $0.hasPrefix("pipeline/") })
        // Tomorrow's run: the feed is revalidated (304), the pages come from the cache.
        let before = server.requests.count
        let again = try loadAll(pipe).compactMap(\.document)
        let pageA: Document? = again.first { (d: Document) -> Bool in d.meta["url"]?.stringValue == server.url("/a") }
        #expect(pageA?.meta["fetched"]?.stringValue == "cache")
        let second: [LocalHTTPServer.Request] = Array(server.requests[before...])
        #expect(second.first?.path == "/feed.xml")
        #expect(second.first?.headers["if-none-match"] == "\"v1\"")
        let refetched = second.filter { (q: LocalHTTPServer.Request) -> Bool in ["/a", "/b", "/flaky"].contains(q.path)
        }
        #expect(refetched.isEmpty)
    }

    @Test func fetchesAtMostPerHostPagesAtOnce() throws {
        let active = Mutex((now: 0, most: 0, done: 0))
        let server = try LocalHTTPServer { req in
            if req.path == "/feed.xml" {
                let items = (1...8).map { "<item><title>Item \($0)</title><link>/p/\($0)</link></item>" }.joined()
                return .init(body: "<rss><channel><title>Local</title>\(items)</channel></rss>")
            }
            active.withLock {
                $0.now += 1; $0.most = max($0.most, $0.now)
            }
            // Each page is held until a second one is being fetched (or it is the last page): a loader that fetches
            // two at once shows it at once, one that fetches one at a time waits out the timeout and shows 1.
            waitUntil(timeout: 5) { active.withLock { $0.now >= 2 || $0.done + $0.now == 8 } }
            active.withLock {
                $0.now -= 1; $0.done += 1
            }
            return .init(
                body:
                    "<html><body><article><p>The story behind \(req.path): officials met, talked, and agreed to meet again.</p></article></body></html>"
            )
        }
        defer { server.stop() }
        let dir = try TempDir()
        let out = dir.path("out.jsonl")
        let p = try builtPipeline(
            """
            load rss path="\(server.url("/feed.xml"))" fetch=true per_host=2 cache=""
            write jsonl path="\(out)"
            """)
        let s = try PipelineRunner(pipeline: p, options: RunOptions(jobs: 4, batchDocuments: 1)).run()
        #expect(s.documentsOut == 8)
        #expect(try readJSONL(out).allSatisfy { $0.text.hasPrefix("The story behind /p/") })
        #expect(active.withLock { $0.most } == 2)
    }
}
