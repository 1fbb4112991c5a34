#!/usr/bin/env python3
"""A grpcio echo server over TLS, used by the `certs` end-to-end tests.

An independent TLS peer (grpcio's BoringSSL stack) for certificates made by
`polarisctl certs`. Listens on 127.0.0.1 only, on a free port, and prints
"PORT <n>" on stdout once listening; serves until stdin closes, SIGTERM, or
--max-seconds pass.

Service echo.Echo, method Unary: returns the request bytes; with client
authentication the response is prefixed with the client certificate's CN
("cn=<name>;").
"""
import argparse
import signal
import sys
import threading

from concurrent import futures

import grpc


def _identity(x):
    return x


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True, help="server certificate chain (PEM)")
    parser.add_argument("--key", required=True, help="server private key (PEM)")
    parser.add_argument("--client-ca", help="trusted CA for client certificates (PEM)")
    parser.add_argument("--require-client-auth", action="store_true")
    parser.add_argument("--max-seconds", type=float, default=60.0)
    args = parser.parse_args()

    def read(path):
        with open(path, "rb") as f:
            return f.read()

    def unary(request, context):
        auth = context.auth_context()
        names = auth.get("x509_common_name") or []
        prefix = b"".join(b"cn=" + n + b";" for n in names)
        return prefix + request

    handler = grpc.method_handlers_generic_handler(
        "echo.Echo",
        {"Unary": grpc.unary_unary_rpc_method_handler(unary, _identity, _identity)},
    )
    credentials = grpc.ssl_server_credentials(
        [(read(args.key), read(args.cert))],
        root_certificates=read(args.client_ca) if args.client_ca else None,
        require_client_auth=args.require_client_auth,
    )
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((handler,))
    port = server.add_secure_port("127.0.0.1:0", credentials)
    server.start()
    print("PORT %d" % port, flush=True)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())

    def wait_stdin():
        sys.stdin.read()
        done.set()

    threading.Thread(target=wait_stdin, daemon=True).start()
    done.wait(args.max_seconds)
    server.stop(0)


if __name__ == "__main__":
    main()
