internal import CNGHTTP2

// nghttp2 callbacks: C function pointers without captures, registered once for every
// session. The session's user data is the unretained `H2Connection`, which deletes the
// session before it goes away.

/// Runs `body` with the session's connection, borrowed: the connection owns the session,
/// so it outlives every callback (no retain and release per callback).
@inline(__always)
private func withConnection<R>(_ user: UnsafeMutableRawPointer?, else fallback: R, _ body: (H2Connection) -> R) -> R {
    guard let user else { return fallback }
    return Unmanaged<H2Connection>.fromOpaque(user)._withUnsafeGuaranteedRef(body)
}

private let onBeginHeaders: nghttp2_on_begin_headers_callback = { _, frame, user in
    guard let frame else { return 0 }
    return withConnection(user, else: 0) { $0.beginHeaders(frame) }
}

private let onHeader: nghttp2_on_header_callback = { _, frame, name, nameLength, value, valueLength, _, user in
    guard let frame, let name, let value else { return 0 }
    withConnection(user, else: ()) {
        $0.receivedHeader(
            frame, name: UnsafeRawBufferPointer(start: name, count: nameLength),
            value: UnsafeRawBufferPointer(start: value, count: valueLength))
    }
    return 0
}

private let onFrameRecv: nghttp2_on_frame_recv_callback = { _, frame, user in
    guard let frame else { return 0 }
    return withConnection(user, else: 0) { $0.receivedFrame(frame) }
}

private let onDataChunk: nghttp2_on_data_chunk_recv_callback = { _, _, streamID, data, length, user in
    guard let data else { return 0 }
    return withConnection(user, else: 0) {
        $0.receivedData(streamID: streamID, UnsafeRawBufferPointer(start: data, count: length))
    }
}

private let onStreamClose: nghttp2_on_stream_close_callback = { _, streamID, errorCode, user in
    withConnection(user, else: ()) { $0.streamClosed(streamID: streamID, errorCode: errorCode) }
    return 0
}

private let onFrameNotSend: nghttp2_on_frame_not_send_callback = { _, frame, errorCode, user in
    guard let frame else { return 0 }
    withConnection(user, else: ()) { $0.frameNotSent(frame, libraryError: errorCode) }
    return 0
}

/// DATA provider shared by every stream: copies from the stream slot's outbound buffer.
let dataSourceRead: nghttp2_data_source_read_callback = { _, streamID, buffer, length, flags, source, user in
    guard let buffer, let flags, let source else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
    let slotIndex = Int(cnghttp2_source_id(source)) - 1
    return withConnection(user, else: Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue)) {
        $0.readOutbound(slotIndex: slotIndex, streamID: streamID, into: buffer, length: length, flags: flags)
    }
}

/// The callbacks object shared by all sessions (nghttp2 copies it into each session).
nonisolated(unsafe) let sharedCallbacks: OpaquePointer? = {
    var callbacks: OpaquePointer?
    guard nghttp2_session_callbacks_new(&callbacks) == 0 else { return nil }
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, onBeginHeaders)
    nghttp2_session_callbacks_set_on_header_callback(callbacks, onHeader)
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, onFrameRecv)
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, onDataChunk)
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, onStreamClose)
    nghttp2_session_callbacks_set_on_frame_not_send_callback(callbacks, onFrameNotSend)
    return callbacks
}()
