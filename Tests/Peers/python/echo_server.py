#!/usr/bin/env python3
"""An echo server on grpcio used by the RPC engine's interop tests.

Generic handlers with bytes (de)serializers: no generated code. Prints
"PORT <n>" on stdout once listening, then serves until stdin closes or SIGTERM.

Methods (service echo.Echo):
  Unary          echoes the request; request metadata echoed as initial metadata
                 (keys starting with x-) and as trailing metadata (prefixed "t-").
                 A request starting with b"status:" ends the call with a status:
                 "status:<code>:<message>" (message may be any UTF-8); details are
                 sent as grpc-status-details-bin when the request metadata has
                 "x-details-bin".
                 A request starting with b"sleep:<ms>" sleeps, then echoes.
  ClientStream   concatenates every request into one response.
  ServerStream   request "<count>:<size>" -> count messages of size bytes each
                 (byte i of message k is (k + i) % 256).
  Bidi           echoes each request as it arrives.
  Size           returns a response of the decimal size given in the request.
"""
import argparse
import signal
import sys
import threading
import time
from concurrent import futures

import grpc


def _identity(x):
    return x


def _echo_metadata(context):
    initial = []
    trailing = []
    for key, value in context.invocation_metadata():
        if key.startswith("x-"):
            initial.append((key, value))
            trailing.append(("t-" + key, value))
    return initial, trailing


def unary(request, context):
    initial, trailing = _echo_metadata(context)
    if initial:
        context.send_initial_metadata(initial)
    if request.startswith(b"sleep:"):
        ms = int(request[6:].decode())
        deadline = time.time() + ms / 1000.0
        while time.time() < deadline:
            if not context.is_active():
                return b""
            time.sleep(0.01)
        context.set_trailing_metadata(trailing)
        return request
    if request.startswith(b"status:"):
        _, code, message = request.decode("utf-8").split(":", 2)
        details = None
        for key, value in context.invocation_metadata():
            if key == "x-details-bin":
                details = value
        md = list(trailing)
        if details is not None:
            md.append(("grpc-status-details-bin", details))
        context.set_trailing_metadata(md)
        context.set_code(grpc.StatusCode(_code_tuple(int(code))))
        context.set_details(message)
        return b""
    context.set_trailing_metadata(trailing)
    return request


def _code_tuple(code):
    for status in grpc.StatusCode:
        if status.value[0] == code:
            return status.value
    raise ValueError(code)


def client_stream(request_iterator, context):
    parts = [r for r in request_iterator]
    return b"".join(parts)


def server_stream(request, context):
    count, size = (int(x) for x in request.decode().split(":"))
    for k in range(count):
        yield bytes((k + i) % 256 for i in range(size)) if size < 4096 else bytes([k % 256]) * size


def bidi(request_iterator, context):
    for request in request_iterator:
        yield request


def size(request, context):
    return b"z" * int(request.decode())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--client-ca")
    parser.add_argument("--gzip", action="store_true", help="compress responses")
    parser.add_argument("--max-message", type=int, default=16 * 1024 * 1024)
    parser.add_argument("--max-streams", type=int, default=0)
    args = parser.parse_args()

    options = [
        ("grpc.max_receive_message_length", args.max_message),
        ("grpc.max_send_message_length", args.max_message),
    ]
    if args.max_streams:
        options.append(("grpc.max_concurrent_streams", args.max_streams))
    compression = grpc.Compression.Gzip if args.gzip else None
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=32), options=options, compression=compression)
    handlers = {
        "Unary": grpc.unary_unary_rpc_method_handler(unary, _identity, _identity),
        "ClientStream": grpc.stream_unary_rpc_method_handler(client_stream, _identity, _identity),
        "ServerStream": grpc.unary_stream_rpc_method_handler(server_stream, _identity, _identity),
        "Bidi": grpc.stream_stream_rpc_method_handler(bidi, _identity, _identity),
        "Size": grpc.unary_unary_rpc_method_handler(size, _identity, _identity),
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("echo.Echo", handlers),))
    address = "127.0.0.1:%d" % args.port
    if args.cert:
        with open(args.cert, "rb") as f:
            cert = f.read()
        with open(args.key, "rb") as f:
            key = f.read()
        client_ca = None
        if args.client_ca:
            with open(args.client_ca, "rb") as f:
                client_ca = f.read()
        creds = grpc.ssl_server_credentials(
            [(key, cert)], root_certificates=client_ca, require_client_auth=client_ca is not None)
        port = server.add_secure_port(address, creds)
    else:
        port = server.add_insecure_port(address)
    server.start()
    print("PORT %d" % port, flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def watch_stdin():
        sys.stdin.read()
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    stop.wait(timeout=600)
    server.stop(grace=None)


if __name__ == "__main__":
    main()
