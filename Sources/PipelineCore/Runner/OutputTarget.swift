import Foundation

/// What an output path names: a regular file (written through a temporary sibling and renamed into place), or a
/// stream — stdout (`-`), a device such as `/dev/null`, a named pipe or a socket — which is written directly, since
/// renaming a file over `/dev/null` would replace the device, and a pipe's reader waits on the pipe itself.
public enum OutputTarget {
    /// True for `-` and for an existing path (after following symbolic links) that is neither a regular file nor a
    /// folder.
    public static func isStream(_ path: String) -> Bool {
        if path == "-" { return true }
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        let type = st.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
    }

    /// True when `path` (after following symbolic links) is an existing folder, which an output cannot replace.
    public static func isFolder(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
    }

    /// The file a regular-file output finally lands in: the target of `path` when `path` is a symbolic link (so that
    /// the link survives, as `cp` and shell redirection keep it), `path` itself otherwise.
    public static func resolvingLink(_ path: String) -> String {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFLNK,
            let real = realpath(path, nil)
        else { return path }
        defer { free(real) }
        return String(cString: real)
    }
}
