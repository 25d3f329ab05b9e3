import GlossCore

/// Exit codes, one per kind of failure, so scripts can tell them apart (sysexits.h values).
enum ExitStatus {
    /// Something needs attention (`gloss check`: conflicts or orphans remain).
    static let attention: Int32 = 1

    static func code(for error: GlossError) -> Int32 {
        switch error.code {
        case .invalidInput, .ambiguous, .conflict: return 65  // EX_DATAERR
        case .storeNotFound, .notFound: return 66  // EX_NOINPUT
        case .notAStore, .schemaTooNew: return 65
        case .storeExists: return 73  // EX_CANTCREAT
        case .io: return 74  // EX_IOERR
        case .counterReuse: return 75  // EX_TEMPFAIL: fixable with `gloss rekey`
        case .versionMismatch: return 76  // EX_PROTOCOL
        case .unauthorized, .readOnlyStore: return 77  // EX_NOPERM
        case .transport: return 69  // EX_UNAVAILABLE
        default: return 1
        }
    }
}
