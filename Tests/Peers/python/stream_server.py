#!/usr/bin/env python3
"""An independent grpcio server for the load and fault tests of `stream`:
streams.Streams from Tests/EndToEndTests/Resources/streams.proto.

  Upload    counts the chunks and their data bytes, answers the Tally
  Download  sends Plan.count chunks of Plan.size bytes; after fail_after chunks
            it ends with DATA_LOSS "stopped after <n> chunks"; after die_after
            chunks it waits for them to leave, then the process exits at once,
            closing the connection under the open stream

Prints "PORT <n>" once listening on 127.0.0.1, then serves until SIGTERM or
until stdin closes.
"""
import os
import sys
import tempfile
import time
from concurrent import futures

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.join(os.path.dirname(os.path.dirname(HERE)), "EndToEndTests", "Resources")


def main():
    from grpc_tools import protoc
    out = tempfile.mkdtemp(prefix="polarisctl-streams-")
    if protoc.main(["protoc", "-I", RESOURCES, "--python_out=" + out, "--grpc_python_out=" + out, "streams.proto"]) != 0:
        sys.exit("protoc failed for streams.proto")
    sys.path.insert(0, out)
    import streams_pb2, streams_pb2_grpc

    class Streams(streams_pb2_grpc.StreamsServicer):
        def Upload(self, request_iterator, context):
            messages = size = 0
            for chunk in request_iterator:
                messages += 1
                size += len(chunk.data)
            return streams_pb2.Tally(messages=messages, bytes=size)

        def Download(self, plan, context):
            block = bytes((i * 7) & 0xFF for i in range(plan.size))
            for index in range(plan.count):
                if plan.fail_after and index == plan.fail_after:
                    context.abort(grpc.StatusCode.DATA_LOSS, "stopped after %d chunks" % index)
                if plan.die_after and index == plan.die_after:
                    time.sleep(0.5)
                    os._exit(3)
                yield streams_pb2.Chunk(index=index, data=block)

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    streams_pb2_grpc.add_StreamsServicer_to_server(Streams(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    from peer_lifecycle import serve_until_released
    serve_until_released(server, port)


if __name__ == "__main__":
    main()
