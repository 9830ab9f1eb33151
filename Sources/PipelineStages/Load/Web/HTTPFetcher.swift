import CCurl
import Foundation

/// Fetches URLs for the web loaders through libcurl (loaded on first use, see `CCurl.h`: linking URLSession's
/// FoundationNetworking, and with it libcurl and two dozen libraries, cost every run a third of its start-up time):
/// an identifying User-Agent, a timeout, a size limit enforced while the body arrives, at most `perHost` requests at
/// once to one host, retries with exponential backoff on 5xx, 429 and network errors (never on other 4xx), redirects
/// followed, and an on-disk ``HTTPCache``: a cached URL is revalidated with `If-None-Match` / `If-Modified-Since`
/// (a 304 reuses the body), or, when `maxAge` allows, not requested at all.
final class HTTPFetcher: Sendable {
    /// What a fetch needs.
    struct Settings: Sendable {
        var userAgent = "pipeline/1.0 (news analysis toolkit)"
        var timeout: Double = 20
        var maxBytes = 8_000_000
        var perHost = 2
        var retries = 3
        var backoff: Double = 1
        var cacheFolder: String?
    }

    /// A fetched body.
    struct Response: Sendable {
        var body: [UInt8]
        var finalURL: String
        /// `network`, `revalidated` (a 304) or `cache` (not requested).
        var via: String
    }

    /// Why a fetch failed, for the error report.
    struct FetchError: Error, CustomStringConvertible {
        var description: String
    }

    let settings: Settings
    let cache: HTTPCache?
    private let hosts: HostLimiter

    init(_ settings: Settings) throws {
        self.settings = settings
        cache = try settings.cacheFolder.map { try HTTPCache(folder: $0) }
        hosts = HostLimiter(limit: max(1, settings.perHost))
    }

    /// Fetches `url`, from the cache when `maxAge` (seconds) allows.
    ///
    /// - Throws: ``FetchError`` naming the URL: the status of a 4xx, the last error after the retries, a body over
    ///   the size limit.
    func get(_ url: String, maxAge: Double? = nil) throws -> Response {
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = u.host
        else {
            throw FetchError(description: "'\(url)' is not an http(s) URL")
        }
        let cached = cache?.entry(url)
        if let c = cached, let maxAge, Date().timeIntervalSince(c.fetched) <= maxAge {
            return Response(body: c.body, finalURL: c.finalURL, via: "cache")
        }
        hosts.acquire(host)
        defer { hosts.release(host) }
        var attempt = 0
        while true {
            attempt += 1
            var headers: [String] = []
            if let c = cached {
                if let e = c.etag { headers.append("If-None-Match: \(e)") }
                if let m = c.lastModified { headers.append("If-Modified-Since: \(m)") }
            }
            let outcome = Transfer.get(url, headers: headers, settings: settings)
            var retryable = false
            var message: String
            switch outcome {
            case .tooLarge:
                throw FetchError(description: "'\(url)' is larger than \(settings.maxBytes) bytes (max_bytes)")
            case .failed(let error):
                retryable = true
                message = "'\(url)': \(error)"
            case .response(let status, let headers, let body, let final):
                if status == 304, let c = cached {
                    cache?.store(
                        url,
                        HTTPCache.Entry(
                            body: c.body, etag: c.etag, lastModified: c.lastModified,
                            finalURL: c.finalURL, fetched: Date()))
                    return Response(body: c.body, finalURL: c.finalURL, via: "revalidated")
                }
                if (200..<300).contains(status) {
                    let entry = HTTPCache.Entry(
                        body: body, etag: headers["etag"], lastModified: headers["last-modified"],
                        finalURL: final, fetched: Date())
                    cache?.store(url, entry)
                    return Response(body: body, finalURL: final, via: "network")
                }
                message = "'\(url)' answered HTTP \(status)"
                retryable = status >= 500 || status == 429
                if !retryable { throw FetchError(description: message + " (not retried)") }
            }
            if attempt > settings.retries {
                throw FetchError(description: message + " (after \(attempt) attempts)")
            }
            Thread.sleep(forTimeInterval: settings.backoff * pow(2, Double(attempt - 1)))
        }
    }
}

/// At most `limit` requests at once to one host: a request waits for a slot of its host.
///
/// Every stored property is read and written only under `condition`'s lock (waiting needs a condition, which
/// `Mutex` cannot do); hence `@unchecked Sendable`.
private final class HostLimiter: @unchecked Sendable {
    let limit: Int
    private let condition = NSCondition()
    private var inFlight: [String: Int] = [:]

    init(limit: Int) { self.limit = limit }

    func acquire(_ host: String) {
        condition.lock()
        while inFlight[host, default: 0] >= limit { condition.wait() }
        inFlight[host, default: 0] += 1
        condition.unlock()
    }

    func release(_ host: String) {
        condition.lock()
        inFlight[host, default: 0] -= 1
        condition.broadcast()
        condition.unlock()
    }
}

/// One GET through libcurl: collects the body (stopping once it grows past the limit) and the last response's headers.
private final class Transfer {
    enum Outcome {
        case response(status: Int, headers: [String: String], body: [UInt8], finalURL: String)
        case failed(String)
        case tooLarge
    }

    let limit: Int
    var body: [UInt8] = []
    /// Header names lower-cased; only the last response's (a redirect's are dropped when the next status line comes).
    var headers: [String: String] = [:]
    var tooLarge = false

    private init(limit: Int) { self.limit = limit }

    static func get(_ url: String, headers: [String], settings: HTTPFetcher.Settings) -> Outcome {
        let t = Transfer(limit: settings.maxBytes)
        let context = Unmanaged.passUnretained(t).toOpaque()
        let body: pipeline_curl_sink = { data, count, context in
            let t = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            guard t.body.count + count <= t.limit else { t.tooLarge = true; return 1 }
            t.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count))
            return 0
        }
        let header: pipeline_curl_sink = { data, count, context in
            let t = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
            if line.hasPrefix("HTTP/") { t.headers = [:]; return 0 }
            guard let colon = line.firstIndex(of: ":") else { return 0 }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            t.headers[name] = value
            // A declared length over the limit: stop before the body.
            if name == "content-length", let n = Int(value), n > t.limit { t.tooLarge = true; return 1 }
            return 0
        }
        let cHeaders = headers.map { strdup($0) }
        defer { for h in cHeaders { free(h) } }
        var status = 0
        var finalURL: UnsafeMutablePointer<CChar>?
        let errorSize = 512
        var error = [CChar](repeating: 0, count: errorSize)
        let timeout = max(1, settings.timeout)
        let code = cHeaders.map { UnsafePointer($0) }.withUnsafeBufferPointer { list in
            pipeline_curl_get(
                url, settings.userAgent, list.baseAddress, Int32(list.count),
                Int(timeout * 1000), Int(timeout.rounded(.up)), Int(timeout * 3000),
                body, header, context, &status, &finalURL, &error, errorSize)
        }
        defer { pipeline_curl_free(finalURL) }
        if t.tooLarge { return .tooLarge }
        guard code == 0 else {
            let message = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .failed(code == 1 ? "the transfer was stopped" : message)
        }
        return .response(
            status: status, headers: t.headers, body: t.body,
            finalURL: finalURL.map { String(cString: $0) } ?? url)
    }
}
