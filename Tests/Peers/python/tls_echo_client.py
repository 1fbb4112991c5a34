#!/usr/bin/env python3
"""A grpcio TLS client for the `certs` end-to-end tests.

Calls echo.Echo/Unary (or --method with --request-hex) on HOST:PORT once
over TLS, trusting --ca and presenting --cert/--key when given. Prints the response and exits 0, or prints
"FAILED <status code> <details>" and exits 1. Every call has a deadline.
"""
import argparse
import os
import sys

# Keep grpc's own handshake logging out of the output the tests read.
os.environ.setdefault("GRPC_VERBOSITY", "NONE")

import grpc  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True, help="host:port")
    parser.add_argument("--ca", required=True, help="trusted CA (PEM)")
    parser.add_argument("--cert", help="client certificate chain (PEM)")
    parser.add_argument("--key", help="client private key (PEM)")
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--method", default="/echo.Echo/Unary")
    parser.add_argument("--request-hex", default="68656c6c6f")
    args = parser.parse_args()

    def read(path):
        with open(path, "rb") as f:
            return f.read()

    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(args.ca),
        private_key=read(args.key) if args.key else None,
        certificate_chain=read(args.cert) if args.cert else None,
    )
    with grpc.secure_channel(args.target, credentials) as channel:
        call = channel.unary_unary(args.method, request_serializer=None, response_deserializer=None)
        try:
            response = call(bytes.fromhex(args.request_hex), timeout=args.timeout)
        except grpc.RpcError as error:
            print("FAILED %s %s" % (error.code().name, error.details()))
            return 1
    print(response.decode("utf-8", "replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
