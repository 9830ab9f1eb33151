import Foundation
import OrderedCollections
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Hostile and unusual feeds, each generated here: entity bombs, namespaces, legacy encodings, cut files, and the
/// constructions of RSS 1.0, Atom 0.3 and Atom 1.0 that real feeds use.
@Suite struct FeedHardeningTests {
    /// Loads one feed file written from `bytes`, with extra options.
    func load(_ bytes: [UInt8], name: String = "f.xml", options: String = "") throws -> [ProcessedRecord] {
        let dir = try TempDir()
        try dir.write(name, bytes)
        return try loadAll("load rss path=\"\(dir.path(name))\" \(options)")
    }

    func load(_ text: String, options: String = "") throws -> [ProcessedRecord] {
        try load(Array(text.utf8), options: options)
    }

    @Test func internalEntitiesCountTowardMaxBytes() throws {
        // One 10,000-character entity used 500 times: 5 MB of text from a 16 KB file.
        let big = String(repeating: "lol ", count: 2_500)
        let uses = String(repeating: "&a;", count: 500)
        let bomb = """
            <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "\(big)">]>
            <rss><channel><title>T</title><item><title>Bomb</title><description>\(uses)</description></item></channel></rss>
            """
        let started = Date()
        let r = try load(bomb, options: "max_bytes=100000")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(r.count == 1)
        let message = try #require(r.first?.failure?.message)
        #expect(message.contains("entity references expand to more than max_bytes=100000 bytes"), "\(message)")
        // A modest entity stays readable.
        let fine = """
            <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY co "Acme Oil Company">]>
            <rss><channel><title>T</title><item><title>&co; signs</title><description>&co; signed a deal.</description></item></channel></rss>
            """
        let d = try #require(try load(fine).first?.document)
        #expect(d.title == "Acme Oil Company signs")
        #expect(d.text == "Acme Oil Company signed a deal.")
    }

    @Test func aFailedItemDoesNotHideTheNextWithTheSameLink() throws {
        let feed = """
            <rss><channel><title>T</title>
            <item><link>https://x.example/a</link></item>
            <item><title>Second</title><link>https://x.example/a</link><description>The real story.</description></item>
            <item><title>Third</title><link>https://x.example/a</link><description>A duplicate.</description></item>
            </channel></rss>
            """
        let r = try load(feed)
        #expect(r.count == 2)
        #expect(r[0].failure?.message.contains("item 1") == true)
        #expect(r[1].document?.text == "The real story.")
    }

    @Test func rss10UnderAnRDFRoot() throws {
        let feed = """
            <?xml version="1.0"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                     xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel rdf:about="https://x.example/"><title>Chan</title><link>https://x.example/</link></channel>
            <item rdf:about="https://x.example/a"><title>Minister visits Baghdad</title><link>https://x.example/a</link>
              <description>The minister arrived on Monday.</description><dc:date>2026-03-02T10:00:00Z</dc:date></item>
            </rdf:RDF>
            """
        let d = try #require(try load(feed).first?.document)
        #expect(d.title == "Minister visits Baghdad")
        #expect(d.source == "Chan")
        #expect(d.date == "2026-03-02")
        #expect(d.meta["url"]?.stringValue == "https://x.example/a")
    }

    @Test func atom03DatesModesAndDublinCoreTerms() throws {
        let atom03 = """
            <feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old</title>
            <entry><title type="text/html" mode="escaped">Talks &lt;b&gt;resume&lt;/b&gt;</title>
              <link rel="alternate" type="text/html" href="https://x.example/1"/>
              <modified>2026-05-09T00:00:00Z</modified><issued>2026-05-07T00:00:00Z</issued><created>2026-05-06T00:00:00Z</created>
              <content type="text/plain" mode="base64">\(Data("Envoys met in Geneva.".utf8).base64EncodedString())</content></entry>
            </feed>
            """
        let d = try #require(try load(atom03).first?.document)
        #expect(d.title == "Talks resume")
        #expect(d.text == "Envoys met in Geneva.")
        #expect(d.date == "2026-05-07")  // issued before created before modified
        #expect(d.meta["url"]?.stringValue == "https://x.example/1")
        let terms = """
            <rss xmlns:dcterms="http://purl.org/dc/terms/"><channel><title>T</title>
            <item><title>A</title><description>Text.</description>
              <dcterms:modified>2026-06-03T00:00:00Z</dcterms:modified><dcterms:created>2026-06-01T00:00:00Z</dcterms:created></item>
            </channel></rss>
            """
        #expect(try load(terms).first?.document?.date == "2026-06-01")
    }

    @Test func atomTextConstructs() throws {
        let feed = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
            <entry><title type="text">History of the &lt;blink&gt; tag</title><id>tag:x,1</id>
              <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>It <em>blinked</em>.</p><p>Then it stopped.</p></div></content></entry>
            <entry><title type="html">A &amp;lt;b&amp;gt; &lt;b&gt;bold&lt;/b&gt; move</title><id>tag:x,2</id><summary>Short.</summary></entry>
            </feed>
            """
        let docs = try load(feed).compactMap(\.document)
        #expect(docs.count == 2)
        #expect(docs[0].title == "History of the <blink> tag")
        #expect(docs[0].text == "It blinked.\n\nThen it stopped.")
        #expect(docs[1].title == "A <b> bold move")
    }

    @Test func elementsAreMatchedByNamespace() throws {
        let feed = """
            <rss xmlns:media="http://search.yahoo.com/mrss/" xmlns:x="urn:other"><channel><title>T</title>
            <item><title>The real title</title><media:title>A photo caption</media:title><x:description>Not this.</x:description>
              <description>The story.</description><link>https://x.example/a</link><x:link>https://evil.example/</x:link></item>
            </channel></rss>
            """
        let d = try #require(try load(feed).first?.document)
        #expect(d.title == "The real title")
        #expect(d.text == "The story.")
        #expect(d.meta["url"]?.stringValue == "https://x.example/a")
    }

    @Test func guidPermalinksAndXMLBase() throws {
        let feed = """
            <rss><channel><title>T</title><link>https://site.example/</link>
            <item><title>A</title><description>a.</description><guid>https://site.example/a</guid></item>
            <item><title>B</title><description>b.</description><guid isPermaLink="false">https://site.example/b</guid></item>
            <item xml:base="https://other.example/news/"><title>C</title><description>c.</description><link>c.html</link></item>
            </channel></rss>
            """
        let docs = try load(feed).compactMap(\.document)
        #expect(docs.count == 3)
        #expect(docs[0].meta["url"]?.stringValue == "https://site.example/a")
        #expect(docs[1].meta["url"] == nil)
        #expect(docs[1].id == "https://site.example/b")
        #expect(docs[2].meta["url"]?.stringValue == "https://other.example/news/c.html")
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example/blog/"><title>T</title>
            <entry><title>E</title><id>tag:e</id><link href="../posts/e"/><summary>e.</summary></entry></feed>
            """
        #expect(try load(atom).first?.document?.meta["url"]?.stringValue == "https://atom.example/posts/e")
    }

    @Test func anEmptyLinkOrGUIDIsNoId() throws {
        // Found by Scripts/fuzz feed: an Atom link whose href is white space became the document id "" (and meta.url
        // ""); an empty guid likewise. The id falls back to the next candidate.
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>
            <entry><title>One</title><link rel="alternate" href="  "/><content>Text one.</content></entry>
            <entry><title>Two</title><id> </id><link href="https://site.example/2"/><content>Text two.</content></entry>
            </feed>
            """
        let docs = try load(atom).compactMap(\.document)
        #expect(docs.count == 2 && docs[0].id.hasSuffix("/f.xml#1") && docs[1].id == "https://site.example/2")
        #expect(docs[0].meta["url"] == nil)
        let rss = """
            <rss><channel><title>R</title><item><title>A</title><guid>   </guid><link> </link><description>a.</description></item></channel></rss>
            """
        #expect(try load(rss).compactMap(\.document).map(\.id).first?.hasSuffix("/f.xml#1") == true)
    }

    @Test func legacyEncodingsAreDecodedOrRefused() throws {
        func feed(_ encoding: String, _ title: [UInt8]) -> [UInt8] {
            Array("<?xml version=\"1.0\" encoding=\"\(encoding)\"?>\n<rss><channel><title>T</title><item><title>".utf8)
                + title + Array("</title><description>News.</description></item></channel></rss>".utf8)
        }
        let koi8: [UInt8] = [0xED, 0xCF, 0xD3, 0xCB, 0xD7, 0xC1]
        let cp1251: [UInt8] = [0xCC, 0xEE, 0xF1, 0xEA, 0xE2, 0xE0]
        #expect(try load(feed("koi8-r", koi8)).first?.document?.title == "Москва")
        #expect(try load(feed("windows-1251", cp1251)).first?.document?.title == "Москва")
        #expect(try load(feed("euc-kr", [0xBC, 0xAD, 0xBF, 0xEF])).first?.document?.title == "서울")
        // A byte that is not EUC-KR: the rest of the file would be lost, so the feed fails and says where.
        let bad = try #require(try load(feed("euc-kr", Array("Caf".utf8) + [0xE9, 0x20, 0x21])).first?.failure)
        #expect(bad.message.contains("not readable in the encoding it declares (euc-kr)"), "\(bad.message)")
        #expect(bad.message.contains("line 2"), "\(bad.message)")
        let unknown = try #require(try load(feed("x-no-such-encoding", Array("A".utf8))).first?.failure)
        #expect(unknown.message.contains("x-no-such-encoding"), "\(unknown.message)")
        // Latin-1 bytes in a feed that declares nothing (so UTF-8) fail too, instead of becoming U+FFFD.
        let undeclared: [UInt8] =
            Array("<rss><channel><title>T</title><item><title>Caf".utf8) + [0xE9]
            + Array(" noir</title><description>x.</description></item></channel></rss>".utf8)
        let u = try #require(try load(undeclared).first?.failure)
        #expect(u.message.contains("valid UTF-8 (it declares no encoding)"), "\(u.message)")
    }

    @Test func aTruncatedFeedSaysSo() throws {
        let items = (1...3).map { "<item><title>Item \($0)</title><description>Story \($0).</description></item>" }
        let whole = "<rss><channel><title>T</title>\n" + items.joined(separator: "\n") + "\n</channel></rss>"
        #expect(try load(whole).compactMap(\.document).count == 3)
        // Cut inside the third item, and cut in the closing tag.
        let cut = String(whole[..<whole.range(of: "Story 3")!.lowerBound])
        let r = try load(cut)
        #expect(r.compactMap(\.document).map(\.title) == ["Item 1", "Item 2", "Item 3"])
        let f = try #require(r.last?.failure?.message)
        #expect(
            f.contains(
                "is truncated: it ends inside <description> (opened on line 4); the 3 items before the cut were read"),
            "\(f)")
        let tail = try load(String(whole.dropLast(3)))
        #expect(tail.compactMap(\.document).count == 3)
        #expect(tail.last?.failure?.message.contains("truncated") == true)
    }
}
