import CEditline
import Foundation

/// Line editing on a terminal with libedit: emacs keys, history (Up/Down, kept in a file across sessions, bounded,
/// no consecutive duplicates) and context-aware Tab completion.
public final class EditLineReader: LineReader {
    private let editor: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: String?
    private let completer: (String) -> [String]

    /// Opens the terminal.
    ///
    /// - Parameters:
    ///   - historyFile: where history is loaded from and saved to (nil keeps it in memory only).
    ///   - historySize: how many lines are kept.
    ///   - completer: candidates for the text before the cursor; each candidate is the full replacement of the last
    ///     word.
    /// - Returns: nil when libedit cannot start.
    public init?(historyFile: String?, historySize: Int = 1000, completer: @escaping (String) -> [String]) {
        guard let e = pipeline_el_init("pipeline"), let h = pipeline_history_init(Int32(historySize)) else {
            return nil
        }
        editor = e
        history = h
        self.historyFile = historyFile
        self.completer = completer
        pipeline_el_set_history(editor, history)
        if let f = historyFile { _ = pipeline_history_load(history, f) }
        let context = Unmanaged.passUnretained(self).toOpaque()
        pipeline_el_set_completer(
            editor,
            { el, _ in
                guard let el, let ctx = pipeline_el_context(el) else { return UInt8(CC_ERROR) }
                let reader = Unmanaged<EditLineReader>.fromOpaque(ctx).takeUnretainedValue()
                return reader.complete(el)
            }, context)
    }

    deinit {
        saveHistory()
        pipeline_el_end(editor)
        pipeline_history_end(history)
    }

    /// Terminals are interactive.
    public var isInteractive: Bool { true }

    /// Shows `prompt` and reads a line; nil on Ctrl-D.
    public func readLine(prompt: String) -> String? {
        pipeline_el_set_prompt(prompt)
        var count: Int32 = 0
        guard let raw = pipeline_el_gets(editor, &count), count > 0 else { return nil }
        var line = String(cString: raw)
        while line.hasSuffix("\n") || line.hasSuffix("\r") { line.removeLast() }
        return line
    }

    /// Adds a non-empty line to the history and saves the file.
    public func remember(_ line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        pipeline_history_enter(history, line)
        saveHistory()
    }

    private func saveHistory() {
        if let f = historyFile { _ = pipeline_history_save(history, f) }
    }

    /// Completes the word before the cursor: inserts the common prefix of the candidates, and lists them when there
    /// are several.
    private func complete(_ el: OpaquePointer) -> UInt8 {
        var buffer = [CChar](repeating: 0, count: 4096)
        pipeline_el_line_before_cursor(el, &buffer, buffer.count)
        let before = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let word = Completion.lastWord(before)
        let candidates = completer(before)
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let prefix = Completion.commonPrefix(candidates)
        if prefix.count > word.count {
            var insert = String(prefix.dropFirst(word.count))
            if candidates.count == 1 && !prefix.hasSuffix("=") && !prefix.hasSuffix("/") { insert += " " }
            _ = pipeline_el_insert(el, insert)
            return UInt8(CC_REFRESH)
        }
        if candidates.count == 1 {
            if !prefix.hasSuffix("=") && !prefix.hasSuffix("/") { _ = pipeline_el_insert(el, " ") }
            return UInt8(CC_REFRESH)
        }
        pipeline_el_print("\n" + Completion.columns(candidates, width: Terminal.columns ?? 80) + "\n")
        return UInt8(CC_REDISPLAY)
    }
}
