#!/usr/bin/env python3
"""A grpcio server for `bench` end-to-end tests: helloworld.Greeter/SayHello with
configurable delay, failures and a stall.

Generic handlers with bytes (de)serializers: no generated code. Prints "PORT <n>"
once listening on 127.0.0.1, then serves until stdin closes.

  --delay-ms D        every call waits D ms before answering
  --fail-every N      call number k (from 1) fails with RESOURCE_EXHAUSTED when k % N == 0
  --fail-all          every call fails with UNAVAILABLE
  --stall-at S        S seconds after the first call, stall every call ...
  --stall-ms M        ... until M ms have passed since the stall began
  --max-connection-age-ms A   close each connection (GOAWAY) after A ms
  --log FILE          append "name<TAB>x-id header" per call (written at exit)

The reply is HelloReply{message: "Hello " + name}.

Streaming methods of routeguide.RouteGuide (route_guide.proto), for streaming loads:
  ListFeatures   5 empty Feature messages, --stream-gap-ms apart (default 20)
  RecordRoute    RouteSummary{point_count: number of Points received}
  RouteChat      echoes each RouteNote as it arrives
"""
import argparse
import sys
import threading
import time
from concurrent import futures

import grpc


def read_varint(data, i):
    shift = value = 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, i
        shift += 7


def hello_name(request):
    i = 0
    while i < len(request):
        key, i = read_varint(request, i)
        if key & 7 == 2:
            length, i = read_varint(request, i)
            if key >> 3 == 1:
                return request[i:i + length]
            i += length
        elif key & 7 == 0:
            _, i = read_varint(request, i)
        else:
            return b""
    return b""


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay-ms", type=float, default=0)
    parser.add_argument("--fail-every", type=int, default=0)
    parser.add_argument("--fail-all", action="store_true")
    parser.add_argument("--stall-at", type=float, default=-1)
    parser.add_argument("--stall-ms", type=float, default=0)
    parser.add_argument("--log")
    parser.add_argument("--stream-gap-ms", type=float, default=20)
    parser.add_argument("--max-connection-age-ms", type=int, default=0)
    args = parser.parse_args()

    lock = threading.Lock()
    state = {"count": 0, "first": None}
    log = []

    def say_hello(request, context):
        now = time.monotonic()
        with lock:
            state["count"] += 1
            number = state["count"]
            if state["first"] is None:
                state["first"] = now
            first = state["first"]
        name = hello_name(request)
        if args.log:
            header = dict(context.invocation_metadata()).get("x-id", "")
            with lock:
                log.append(name.decode("utf-8", "replace") + "\t" + header)
        if args.stall_at >= 0:
            start = first + args.stall_at
            end = start + args.stall_ms / 1000.0
            if start <= now < end:
                time.sleep(end - now)
        if args.delay_ms > 0:
            time.sleep(args.delay_ms / 1000.0)
        if args.fail_all:
            context.abort(grpc.StatusCode.UNAVAILABLE, "bench_server: failing every call")
        if args.fail_every and number % args.fail_every == 0:
            context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "bench_server: failing every %dth call" % args.fail_every)
        message = b"Hello " + name
        return b"\x0a" + varint(len(message)) + message

    handler = grpc.method_handlers_generic_handler("helloworld.Greeter", {
        "SayHello": grpc.unary_unary_rpc_method_handler(
            say_hello, request_deserializer=None, response_serializer=None),
    })
    def list_features(request, context):
        for i in range(5):
            if i > 0:
                time.sleep(args.stream_gap_ms / 1000.0)
            yield b""

    def record_route(requests, context):
        count = sum(1 for _ in requests)
        return b"\x08" + varint(count) if count else b""

    def route_chat(requests, context):
        for note in requests:
            yield note

    route_guide = grpc.method_handlers_generic_handler("routeguide.RouteGuide", {
        "ListFeatures": grpc.unary_stream_rpc_method_handler(
            list_features, request_deserializer=None, response_serializer=None),
        "RecordRoute": grpc.stream_unary_rpc_method_handler(
            record_route, request_deserializer=None, response_serializer=None),
        "RouteChat": grpc.stream_stream_rpc_method_handler(
            route_chat, request_deserializer=None, response_serializer=None),
    })
    options = []
    if args.max_connection_age_ms:
        options = [("grpc.max_connection_age_ms", args.max_connection_age_ms),
                   ("grpc.max_connection_age_grace_ms", 1000)]
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=64), handlers=[handler, route_guide],
                         maximum_concurrent_rpcs=None, options=options)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print("PORT %d" % port, flush=True)
    sys.stdin.read()
    server.stop(0)
    if args.log:
        with open(args.log, "w") as f:
            for line in log:
                f.write(line + "\n")


if __name__ == "__main__":
    main()
