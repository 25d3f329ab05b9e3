import GlossCore

/// What resolving a conflict wrote.
public struct ResolutionOutcome: Sendable {
    /// The plan that was applied.
    public let plan: ResolutionPlan
    /// The record after the resolving write.
    public let record: GlossCore.Record
    /// The conflicts still open on the record afterwards (other fields).
    public let remaining: [Conflict]
}
