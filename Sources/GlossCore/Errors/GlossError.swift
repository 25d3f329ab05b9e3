import Foundation

/// An error Gloss reports to a person: a stable code, a human-readable message, and the
/// underlying cause when there is one. Error kinds that will grow are codes, not enum cases.
public struct GlossError: Error, LocalizedError, CustomStringConvertible, Sendable {
    /// A stable, machine-readable error code.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No store where one was expected.
        public static let storeNotFound = Code(rawValue: "store-not-found")
        /// A store already exists where one was to be created.
        public static let storeExists = Code(rawValue: "store-exists")
        /// The file is not a Gloss store (not SQLite, or another program's database).
        public static let notAStore = Code(rawValue: "not-a-store")
        /// The store was made by a newer version of Gloss.
        public static let schemaTooNew = Code(rawValue: "schema-too-new")
        /// A record, conflict or remote that does not exist.
        public static let notFound = Code(rawValue: "not-found")
        /// An ID prefix matched several things.
        public static let ambiguous = Code(rawValue: "ambiguous")
        /// Input that cannot be accepted (bad argument, malformed file or request).
        public static let invalidInput = Code(rawValue: "invalid-input")
        /// This store's counters went back (restored or copied): it must take a new replica ID.
        public static let counterReuse = Code(rawValue: "counter-reuse")
        /// The peer speaks another protocol or schema version.
        public static let versionMismatch = Code(rawValue: "version-mismatch")
        /// The network failed (after retries).
        public static let transport = Code(rawValue: "transport")
        /// The peer refused our credentials.
        public static let unauthorized = Code(rawValue: "unauthorized")
        /// The operation does not fit the current state (e.g. resolving a field with no conflict).
        public static let conflict = Code(rawValue: "conflict")
        /// An I/O or database failure.
        public static let io = Code(rawValue: "io")
        /// A change was asked of a store this user cannot write (read-only files or folder).
        public static let readOnlyStore = Code(rawValue: "read-only-store")
    }

    /// What went wrong, as a stable code.
    public let code: Code
    /// What went wrong, for a person.
    public let message: String
    /// The underlying error, if any (kept for logs; its text may be technical).
    public let cause: (any Error & Sendable)?

    /// An error with `code`, `message` and an optional `cause`.
    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var errorDescription: String? { message }
    public var description: String { message }
}
