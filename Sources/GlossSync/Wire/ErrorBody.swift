/// The JSON body of every 4xx/5xx answer: a stable code and a message for a person.
public struct ErrorBody: Codable, Sendable, Equatable {
    /// A stable code (`GlossError.Code` raw values: invalid-input, version-mismatch, ...).
    public var error: String
    /// What went wrong, for a person.
    public var message: String

    /// An error body.
    public init(error: String, message: String) {
        self.error = error
        self.message = message
    }
}
