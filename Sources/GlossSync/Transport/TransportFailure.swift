import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Words for a failed exchange, for the person running `gloss sync`: Foundation on Linux often
/// says only "The operation could not be completed. (NSURLErrorDomain error -1001.)".
enum TransportFailure {
    /// What went wrong, e.g. "no answer within 60 s (timed out)".
    static func describe(_ error: any Error, timeout: TimeInterval) -> String {
        let code = (error as? URLError)?.code.rawValue ?? (error as NSError).code
        switch code {
        case URLError.timedOut.rawValue: return "no answer within \(formatted(timeout)) (timed out)"
        case URLError.networkConnectionLost.rawValue: return "the connection was lost mid-request"
        case URLError.cannotConnectToHost.rawValue: return "the connection was refused (is `gloss serve` running there?)"
        case URLError.cannotFindHost.rawValue, URLError.dnsLookupFailed.rawValue: return "the host name could not be resolved"
        case URLError.notConnectedToInternet.rawValue: return "this machine is offline"
        case URLError.badServerResponse.rawValue: return "the answer was cut off or malformed"
        default: return error.localizedDescription
        }
    }

    private static func formatted(_ seconds: TimeInterval) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }
}
