import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for the web loader tests (no outside network exists where they run): each
/// connection is answered by `handler` and closed. It records every request's path and headers.
final class LocalHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        var path: String
        var headers: [String: String]
    }

    struct Response: Sendable {
        var status = 200
        var headers: [String: String] = [:]
        var body: [UInt8] = []
        /// Seconds to wait before answering.
        var delay: Double = 0

        init(status: Int = 200, headers: [String: String] = [:], body: String = "", delay: Double = 0) {
            self.status = status
            self.headers = headers
            self.body = Array(body.utf8)
            self.delay = delay
        }
    }

    let port: Int
    private let listener: Int32
    private let handler: @Sendable (Request) -> Response
    private let log = Mutex<[Request]>([])
    private let stopped = Mutex(false)
    private let acceptEnded = DispatchSemaphore(value: 0)

    init(handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
        listener = fd
        let t = Thread { [self] in acceptLoop() }
        t.start()
    }

    deinit { stop() }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Requests received so far.
    var requests: [Request] { log.withLock { $0 } }

    func count(_ path: String) -> Int { requests.filter { $0.path == path }.count }

    /// Stops accepting: wakes the accept loop, waits for it to end, then closes the socket — once (closing a
    /// descriptor twice could close whatever another thread opened under the same number meanwhile).
    func stop() {
        let first = stopped.withLock { s -> Bool in
            defer { s = true }; return !s
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        acceptEnded.wait()
        close(listener)
    }

    private func acceptLoop() {
        defer { acceptEnded.signal() }
        while true {
            let c = accept(listener, nil, nil)
            if c < 0 {
                if errno == EINTR && !stopped.withLock({ $0 }) { continue }
                return
            }
            _ = fcntl(c, F_SETFD, FD_CLOEXEC)
            let t = Thread { [self] in serve(c) }
            t.start()
        }
    }

    private func serve(_ c: Int32) {
        defer { close(c) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !data.containsHeaderEnd {
            let n = read(c, &buffer, buffer.count)
            if n <= 0 { return }
            data.append(contentsOf: buffer[0..<n])
        }
        let head = String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        var lines = head.components(separatedBy: "\r\n")
        let first = lines.removeFirst().split(separator: " ")
        guard first.count >= 2 else { return }
        var headers: [String: String] = [:]
        for l in lines {
            if let colon = l.firstIndex(of: ":") {
                headers[l[..<colon].lowercased()] = l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        let request = Request(path: String(first[1]), headers: headers)
        log.withLock { $0.append(request) }
        let r = handler(request)
        if r.delay > 0 { Thread.sleep(forTimeInterval: r.delay) }
        var out =
            "HTTP/1.1 \(r.status) \(r.status == 200 ? "OK" : "Status")\r\nContent-Length: \(r.body.count)\r\nConnection: close\r\n"
        for (k, v) in r.headers { out += "\(k): \(v)\r\n" }
        out += "\r\n"
        let bytes = Array(out.utf8) + r.body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }
}

private extension Array where Element == UInt8 {
    var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 {
            return true
        }
        return false
    }
}
