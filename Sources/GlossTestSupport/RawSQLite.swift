import Foundation

/// Runs SQL on a SQLite file from outside Gloss (through python3's sqlite3), the way another
/// program or a newer Gloss would, for tests that need a store Gloss itself would never write.
public enum RawSQLite {
    /// Executes `sql` on `file` and commits.
    public static func execute(_ file: URL, _ sql: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()", file.path, sql]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NSError(domain: "RawSQLite", code: Int(p.terminationStatus), userInfo: [NSLocalizedDescriptionKey: "python3 sqlite3 failed"])
        }
    }
}
