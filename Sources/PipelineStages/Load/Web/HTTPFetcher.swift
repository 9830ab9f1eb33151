import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fetches URLs for the web loaders through URLSession: an identifying User-Agent, a timeout, a size limit enforced
/// while the body arrives, at most `perHost` requests at once to one host, retries with exponential backoff on 5xx,
/// 429 and network errors (never on other 4xx), redirects followed, and an on-disk ``HTTPCache``: a cached URL is
/// revalidated with `If-None-Match` / `If-Modified-Since` (a 304 reuses the body), or, when `maxAge` allows, not
/// requested at all.
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
    private let session: URLSession
    private let tasks: TaskTable
    private let hosts: HostLimiter

    init(_ settings: Settings) throws {
        self.settings = settings
        cache = try settings.cacheFolder.map { try HTTPCache(folder: $0) }
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = settings.timeout
        config.timeoutIntervalForResource = settings.timeout * 3
        config.httpMaximumConnectionsPerHost = max(1, settings.perHost)
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.httpAdditionalHeaders = ["User-Agent": settings.userAgent]
        tasks = TaskTable(limit: settings.maxBytes)
        hosts = HostLimiter(limit: max(1, settings.perHost))
        session = URLSession(configuration: config, delegate: tasks, delegateQueue: nil)
    }

    deinit { session.invalidateAndCancel() }

    /// Fetches `url`, from the cache when `maxAge` (seconds) allows.
    ///
    /// - Throws: ``FetchError`` naming the URL: the status of a 4xx, the last error after the retries, a body over
    ///   the size limit.
    func get(_ url: String, maxAge: Double? = nil) throws -> Response {
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = u.host else {
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
            var request = URLRequest(url: u)
            if let c = cached {
                if let e = c.etag { request.setValue(e, forHTTPHeaderField: "If-None-Match") }
                if let m = c.lastModified { request.setValue(m, forHTTPHeaderField: "If-Modified-Since") }
            }
            let outcome = tasks.run(session.dataTask(with: request), deadline: settings.timeout * 4 + 5)
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
                    cache?.store(url, HTTPCache.Entry(body: c.body, etag: c.etag, lastModified: c.lastModified,
                                                      finalURL: c.finalURL, fetched: Date()))
                    return Response(body: c.body, finalURL: c.finalURL, via: "revalidated")
                }
                if (200..<300).contains(status) {
                    let entry = HTTPCache.Entry(body: body, etag: headers["etag"], lastModified: headers["last-modified"],
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

/// The session delegate: collects each task's response and body, cancels a body that grows past the limit, and
/// wakes the thread waiting for the task.
private final class TaskTable: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    enum Outcome {
        case response(status: Int, headers: [String: String], body: [UInt8], finalURL: String)
        case failed(String)
        case tooLarge
    }

    private final class State {
        var body: [UInt8] = []
        var tooLarge = false
        var outcome: Outcome?
        let done = DispatchSemaphore(value: 0)
    }

    let limit: Int
    private let lock = NSLock()
    private var states: [Int: State] = [:]

    init(limit: Int) { self.limit = limit }

    /// Runs a task and waits for it, at most `deadline` seconds (URLSession's own timeouts come first; this one only
    /// guards against a task that never reports back).
    func run(_ task: URLSessionDataTask, deadline: Double) -> Outcome {
        let state = State()
        lock.lock(); states[task.taskIdentifier] = state; lock.unlock()
        task.resume()
        if state.done.wait(timeout: .now() + deadline) == .timedOut {
            task.cancel()
            lock.lock(); states[task.taskIdentifier] = nil; lock.unlock()
            return .failed("no answer within \(Int(deadline)) s")
        }
        lock.lock(); states[task.taskIdentifier] = nil; lock.unlock()
        return state.outcome ?? .failed("no response")
    }

    private func state(_ task: URLSessionTask) -> State? {
        lock.lock(); defer { lock.unlock() }
        return states[task.taskIdentifier]
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        completionHandler(.allow)
        // A declared length over the limit: stop now (cancel() always ends in didCompleteWithError, which a
        // `.cancel` disposition does not promise on every platform).
        if response.expectedContentLength > Int64(limit), let s = state(dataTask) {
            s.tooLarge = true
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let s = state(dataTask), !s.tooLarge else { return }
        s.body.append(contentsOf: data)
        if s.body.count > limit {
            s.tooLarge = true
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        guard let s = state(task) else { return }
        if s.tooLarge {
            s.outcome = .tooLarge
        } else if let error {
            s.outcome = .failed(error.localizedDescription)
        } else if let http = task.response as? HTTPURLResponse {
            var headers: [String: String] = [:]
            for (k, v) in http.allHeaderFields {
                if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
            }
            s.outcome = .response(status: http.statusCode, headers: headers, body: s.body,
                                  finalURL: http.url?.absoluteString ?? task.originalRequest?.url?.absoluteString ?? "")
        } else {
            s.outcome = .failed("no HTTP response")
        }
        s.done.signal()
    }
}
