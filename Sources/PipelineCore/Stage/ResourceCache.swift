import Foundation
import Synchronization

/// Heavy resources (models, lexicons, gazetteers) loaded once per process, keyed by file path, modification time and
/// size, and by the Swift type they are loaded as. Several stages naming the same file share one copy, and rebuilding a
/// pipeline (the REPL's `:set`, `:add`, ad-hoc stage lines) reuses what is loaded; a file changed on disk is loaded
/// again.
public final class ResourceCache: Sendable {
    /// The process's cache.
    public static let shared = ResourceCache()

    private struct Key: Hashable {
        var path: String
        var type: ObjectIdentifier
    }

    private struct Entry {
        var modified: Date?
        var size: Int?
        var value: any Sendable
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let loadCount = Atomic<Int>(0)

    /// An empty cache (tests; stages use the one they are given).
    public init() {}

    /// The resource in `path` loaded as `T`: from the cache when the file has not changed since it was loaded,
    /// otherwise by `load(path)`.
    ///
    /// - Throws: what `load` throws; nothing is cached then.
    public func resource<T: Sendable>(
        _ path: String, as type: T.Type = T.self,
        load: (String) throws -> T
    ) throws -> T {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let attributes = try? FileManager.default.attributesOfItem(atPath: absolute)
        let modified = attributes?[.modificationDate] as? Date
        let size = (attributes?[.size] as? NSNumber)?.intValue
        let key = Key(path: absolute, type: ObjectIdentifier(T.self))
        let cached: T? = entries.withLock { e in
            guard let entry = e[key], entry.modified == modified, entry.size == size else { return nil }
            return entry.value as? T
        }
        if let cached { return cached }
        let value = try load(path)
        loadCount.add(1, ordering: .relaxed)
        entries.withLock { $0[key] = Entry(modified: modified, size: size, value: value) }
        return value
    }

    /// How many times a resource was loaded (not served from the cache).
    public var loads: Int { loadCount.load(ordering: .relaxed) }

    /// Forgets every resource.
    public func removeAll() { entries.withLock { $0.removeAll() } }
}
