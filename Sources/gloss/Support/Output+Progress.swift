import Foundation

extension Output {
    /// Rewrites one progress line on standard error (a terminal); nil clears it.
    static func progress(_ line: String?) {
        let text = line.map { "\r\u{1B}[2K" + $0 } ?? "\r\u{1B}[2K"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
