import NIOCore
import NIOHTTPTypes

/// Closes a connection after an answer that says `Connection: close` (the server's 413 says it:
/// see `ServerError`), instead of leaving it open for a next request.
///
/// Why: a body refused for its size is refused before it is all read, so the rest of it may
/// still be arriving. Kept open, the connection waited for that rest (up to the request
/// timeout, reading it all to find where the next request starts), holding a place under the
/// connection cap for a client that had already been told no.
///
/// How: once the answer's end is written, the server stops sending (a FIN: the client reads the
/// whole answer, then the end of the stream), drops whatever still arrives, and closes fully
/// when the client closes its side or after `linger`, whichever comes first. Closing at once
/// with unread bytes in the socket would make the kernel send a reset, which can destroy the
/// answer in the client's buffers before the client reads it (RFC 9112, section 9.6).
///
/// Sits after the HTTP codec: it sees the response head the router wrote.
final class CloseAfterAnswerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// How long the rest of a refused request is read and dropped before the connection is
    /// closed even though the client is still sending: ample for a client to read an answer
    /// already in its buffers, and short, since the connection counts against the cap meanwhile.
    static let linger: TimeAmount = .seconds(2)

    private var closeAfterEnd = false
    private var lingering = false
    private var timer: Scheduled<Void>?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if Self.saysClose(head.headerFields[.connection]) { closeAfterEnd = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard closeAfterEnd else {
                context.write(data, promise: promise)
                return
            }
            closeAfterEnd = false
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { [self] _ in stopSending(context: context) }
            if let promise { written.futureResult.cascade(to: promise) }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // The rest of a refused request: read (so the socket never holds unread bytes) and dropped.
        if lingering { return }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if lingering, let event = event as? ChannelEvent, event == .inputClosed {
            // The client read the answer and closed its side: nothing more to wait for.
            close(context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A half-sent request cut off by the client's close is no news once the answer is out.
        if lingering {
            close(context: context)
            return
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancelTimer() }

    /// True when a `Connection` header value holds the `close` option.
    static func saysClose(_ value: String?) -> Bool {
        guard let value else { return false }
        return value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "close" }
    }

    /// Half-closes the connection (the answer is out) and starts lingering.
    private func stopSending(context: ChannelHandlerContext) {
        guard context.channel.isActive, !lingering else { return }
        lingering = true
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.linger) { [self] in close(context: context) }
        let halfClosed = context.eventLoop.makePromise(of: Void.self)
        context.close(mode: .output, promise: halfClosed)
        // A channel that cannot half-close is closed at once.
        halfClosed.futureResult.assumeIsolated().whenFailure { [self] _ in close(context: context) }
    }

    private func close(context: ChannelHandlerContext) {
        cancelTimer()
        if context.channel.isActive { context.close(promise: nil) }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}
