import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The delegate of `SyncClient`'s session: collects each answer's body and cancels a request
/// whose body grows past its limit. URLSession decodes a `Content-Encoding: gzip` answer itself,
/// with no limit of its own: counting what it hands over is the only bound on what a faulty or
/// hostile server can make this process hold (a small gzip body can expand to gigabytes).
final class BoundedBodies: NSObject, URLSessionDataDelegate, @unchecked Sendable {  // `pending` is guarded by `lock`
    /// An answer's body went past `limit` bytes; the request was cancelled.
    struct Overflow: Error, Sendable {
        let limit: Int
    }

    private struct Pending {
        var data = Data()
        let limit: Int
        var overflow = false
        let continuation: CheckedContinuation<(Data, URLResponse), any Error>
    }

    private let lock = NSLock()
    private var pending: [Int: Pending] = [:]

    /// Sends `request` on `session` (whose delegate is this object); the body and the response,
    /// or `Overflow` when the body goes past `limit` bytes, or URLSession's error.
    func data(for request: URLRequest, on session: URLSession, limit: Int) async throws -> (Data, URLResponse) {
        let task = session.dataTask(with: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                lock.withLock { pending[task.taskIdentifier] = Pending(limit: limit, continuation: continuation) }
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let over: Bool = lock.withLock {
            let id = dataTask.taskIdentifier
            // Only the counts: a copy of the entry kept alive here would make `append` below
            // copy the whole body so far (copy on write), for every chunk.
            guard let (count, limit, overflow) = pending[id].map({ ($0.data.count, $0.limit, $0.overflow) }), !overflow else {
                return false
            }
            if count + data.count > limit {
                pending[id]?.overflow = true
                pending[id]?.data = Data()
                return true
            }
            pending[id]?.data.append(data)  // in place: no copy of what came before
            return false
        }
        if over { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let entry = lock.withLock({ pending.removeValue(forKey: task.taskIdentifier) }) else { return }
        if entry.overflow {
            entry.continuation.resume(throwing: Overflow(limit: entry.limit))
        } else if let error {
            entry.continuation.resume(throwing: error)
        } else if let response = task.response {
            entry.continuation.resume(returning: (entry.data, response))
        } else {
            entry.continuation.resume(throwing: URLError(.badServerResponse))
        }
    }
}
