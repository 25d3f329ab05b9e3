import Foundation
import GlossCore
import GlossSync
import NIOCore

/// The first handler of every connection: takes a place from the `ConnectionLimiter` or, when
/// the cap is reached, answers 503 at once and closes, without reading anything.
///
/// Why not Hummingbird's `MaximumAvailableConnections` (what the server used before): it only
/// stops *accepting* at the cap, so the kernel keeps completing handshakes into the listen
/// backlog and every further client sits there, connected but unserved, until a stuck
/// connection times out: 60 idle sockets against a cap of 20 left an honest request unanswered.
/// (And HummingbirdTesting's test application rebuilds the configuration without that
/// delegate, so under `app.test(.live)` there was no cap at all, which is what the earlier test
/// saw.) Refusing at once gives an honest client a clear answer to retry on, keeps the sockets
/// the server holds at the cap, and lives in the child channel set-up, which no configuration
/// rewrite drops.
final class ConnectionCapHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let limiter: ConnectionLimiter
    private var refused = false
    private var answered = false

    init(limiter: ConnectionLimiter) { self.limiter = limiter }

    func handlerAdded(context: ChannelHandlerContext) {
        if limiter.admit() {
            // Given back exactly once, whoever closes the connection and however.
            let limiter = self.limiter
            context.channel.closeFuture.whenComplete { _ in limiter.release() }
        } else {
            refused = true
            if context.channel.isActive { refuse(context: context) }
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        if refused { refuse(context: context) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // A refused connection's request is never parsed or routed.
        if !refused { context.fireChannelRead(data) }
    }

    private func refuse(context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        let body = (try? JSONEncoder().encode(ErrorBody(
            error: GlossError.Code.transport.rawValue,
            message: "the server has its maximum of \(limiter.maximum) connections open; try again shortly")))
            ?? Data()
        var head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
        head += "Content-Length: \(body.count)\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
        var buffer = context.channel.allocator.buffer(capacity: head.utf8.count + body.count)
        buffer.writeString(head)
        buffer.writeBytes(body)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}
