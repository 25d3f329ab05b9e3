import Foundation
import GlossCore

extension PushRequest {
    /// Checks what decoding alone does not: a batch names each record once (a feed page never
    /// holds one record twice, so two states of one ID mean a forged or corrupted body, and
    /// merging them would hide which one was meant), and the feed positions are not negative,
    /// with `next` not before `since`.
    func validated() throws -> PushRequest {
        var seen = Set<String>()
        seen.reserveCapacity(states.count)
        for (index, state) in states.enumerated() where !seen.insert(state.id).inserted {
            throw SyncRequestError.badRequest(
                "malformed push body: states[\(index)] is record \(state.id.prefix(40).debugDescription) again; a batch must name each record once")
        }
        for (name, value) in [("since", since), ("next", next), ("pulled", pulled)] {
            if let value, value < 0 {
                throw SyncRequestError.badRequest("malformed push body: \(name) must be a feed position (an integer >= 0), got \(value)")
            }
        }
        if let since, let next, next < since {
            throw SyncRequestError.badRequest("malformed push body: next (\(next)) is before since (\(since))")
        }
        return self
    }
}
