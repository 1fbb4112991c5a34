#!/usr/bin/env python3
"""A grpcio client that exercises a server implementing echo.Echo (see
echo_server.py for the method contract) and prints one JSON object with the
observations, for the RPC engine's server interop tests.

Usage: echo_client.py TARGET [--cert CA] [--gzip]
"""
import argparse
import base64
import json
import sys

import grpc


def _identity(x):
    return x


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("target")
    parser.add_argument("--ca")
    parser.add_argument("--gzip", action="store_true")
    args = parser.parse_args()

    options = [("grpc.max_receive_message_length", 16 * 1024 * 1024)]
    if args.ca:
        with open(args.ca, "rb") as f:
            creds = grpc.ssl_channel_credentials(root_certificates=f.read())
        channel = grpc.secure_channel(args.target, creds, options=options)
    else:
        channel = grpc.insecure_channel(args.target, options=options)
    compression = grpc.Compression.Gzip if args.gzip else None
    out = {}

    unary = channel.unary_unary("/echo.Echo/Unary", _identity, _identity)
    response, call = unary.with_call(
        b"hello", metadata=[("x-text", "v1"), ("x-data-bin", b"\x00\x01\xfe\xff")],
        timeout=10, compression=compression)
    out["unary"] = response.decode()
    out["initial"] = {k: (base64.b64encode(v).decode() if isinstance(v, bytes) else v)
                      for k, v in call.initial_metadata()}
    out["trailing"] = {k: (base64.b64encode(v).decode() if isinstance(v, bytes) else v)
                       for k, v in call.trailing_metadata()}

    try:
        unary(b"status:5:n\xc3\xa4h \xe2\x9c\x93 100%".decode("utf-8").encode("utf-8"), timeout=10)
        out["status"] = "OK?"
    except grpc.RpcError as e:
        out["status"] = {"code": e.code().value[0], "message": e.details()}

    try:
        channel.unary_unary("/echo.Echo/Nope", _identity, _identity)(b"x", timeout=10)
        out["unknown"] = "OK?"
    except grpc.RpcError as e:
        out["unknown"] = e.code().value[0]

    server_stream = channel.unary_stream("/echo.Echo/ServerStream", _identity, _identity)
    out["server_stream"] = [len(m) for m in server_stream(b"5:1000", timeout=10)]

    client_stream = channel.stream_unary("/echo.Echo/ClientStream", _identity, _identity)
    out["client_stream"] = client_stream(iter([b"a", b"bc", b"def"]), timeout=10).decode()

    bidi = channel.stream_stream("/echo.Echo/Bidi", _identity, _identity)
    out["bidi"] = [m.decode() for m in bidi(iter([b"one", b"two", b"three"]), timeout=10)]

    big = unary(b"B" * (3 * 1024 * 1024), timeout=20, compression=compression)
    out["big"] = len(big)

    try:
        unary(b"sleep:5000", timeout=0.3)
        out["deadline"] = "OK?"
    except grpc.RpcError as e:
        out["deadline"] = e.code().value[0]

    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
