import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 child channel with the server's guards in front of each connection:
/// the connection cap (`ConnectionCapHandler`) and the total request deadline
/// (`RequestDeadlineHandler`), both seeing raw bytes before the HTTP decoder; and, after it,
/// the close that follows an answer saying `Connection: close` (`CloseAfterAnswerHandler`).
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let responder: HTTPChannelHandler.Responder
    let configuration: HTTP1Channel.Configuration
    let limiter: ConnectionLimiter
    let requestTimeout: TimeAmount

    /// The builder for `Application(server:)`.
    static func builder(
        configuration: HTTP1Channel.Configuration, limiter: ConnectionLimiter, requestTimeout: TimeAmount
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, configuration: configuration, limiter: limiter, requestTimeout: requestTimeout)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let deadline: NIOLoopBound<RequestDeadlineHandler>
        do {
            // Added before Hummingbird's handlers, so these see the connection first.
            let handler = RequestDeadlineHandler(timeout: requestTimeout)
            try channel.pipeline.syncOperations.addHandler(ConnectionCapHandler(limiter: limiter))
            try channel.pipeline.syncOperations.addHandler(handler)
            deadline = NIOLoopBound(handler, eventLoop: channel.eventLoop)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        var configuration = self.configuration
        let additional = configuration.additionalChannelHandlers
        // Called by the setup below, on this connection's event loop.
        configuration.additionalChannelHandlers = {
            [RequestDeadlineHandler.PartsObserver(deadline.value), CloseAfterAnswerHandler()] + additional()
        }
        return HTTP1Channel(responder: responder, configuration: configuration).setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await HTTP1Channel(responder: responder, configuration: configuration).handle(value: value, logger: logger)
    }
}
