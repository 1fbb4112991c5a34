#!/usr/bin/env python3
"""An independent grpcio server for polarisctl's end-to-end tests: the example
services (examples/protos: helloworld.Greeter, routeguide.RouteGuide) with
server reflection (v1 and v1alpha) and health.

Prints "PORT <n>" once listening on 127.0.0.1, then serves until SIGTERM or
until stdin closes.

Behaviour the tests rely on:
  Greeter.SayHello   {"message": "Hello <name>"}; metadata keys starting with
                     "x-" come back as headers, and as trailers prefixed "t-".
                     name "error:<CODE>:<message>" ends with that status and a
                     google.rpc.BadRequest detail; name "sleep:<ms>" waits first.
  RouteGuide.GetFeature    {"name": "feature <lat>,<lng>", "location": point}
  RouteGuide.ListFeatures  one Feature per latitude from lo to hi (at most 200000)
  RouteGuide.RecordRoute   RouteSummary{point_count}
  RouteGuide.RouteChat     echoes each note as it arrives
Options: --no-reflection, --tls-cert/--tls-key [--client-ca], --port N (default:
a free port), --greeter-only (no RouteGuide).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent import futures

import grpc

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PROTOS = os.path.join(ROOT, "examples", "protos")


def generate(out):
    from grpc_tools import protoc
    import grpc_tools
    include = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    for name in ("greeter.proto", "route_guide.proto"):
        rc = protoc.main(["protoc", "-I", PROTOS, "-I", include, "--python_out=" + out, "--grpc_python_out=" + out, name])
        if rc != 0:
            sys.exit("protoc failed for " + name)
    sys.path.insert(0, out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-reflection", action="store_true")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--client-ca")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--greeter-only", action="store_true")
    args = parser.parse_args()

    out = tempfile.mkdtemp(prefix="polarisctl-peer-")
    generate(out)
    import greeter_pb2, greeter_pb2_grpc, route_guide_pb2, route_guide_pb2_grpc

    def echo_metadata(context):
        incoming = [(k, v) for k, v in context.invocation_metadata() if k.startswith("x-")]
        if incoming:
            context.send_initial_metadata(incoming)
            context.set_trailing_metadata([("t-" + k, v) for k, v in incoming])

    class Greeter(greeter_pb2_grpc.GreeterServicer):
        def SayHello(self, request, context):
            echo_metadata(context)
            name = request.name
            if name.startswith("sleep:"):
                time.sleep(int(name.split(":", 1)[1]) / 1000.0)
            if name.startswith("error:"):
                _, code_name, message = name.split(":", 2)
                code = getattr(grpc.StatusCode, code_name)
                try:
                    from google.rpc import status_pb2, error_details_pb2
                    from grpc_status import rpc_status
                    detail = error_details_pb2.BadRequest(field_violations=[
                        error_details_pb2.BadRequest.FieldViolation(field="name", description="rejected on purpose")])
                    status = status_pb2.Status(code=code.value[0], message=message)
                    status.details.add().Pack(detail)
                    context.abort_with_status(rpc_status.to_status(status))
                except ImportError:
                    context.abort(code, message)
            return greeter_pb2.HelloReply(message="Hello " + name)

    class RouteGuide(route_guide_pb2_grpc.RouteGuideServicer):
        def GetFeature(self, request, context):
            echo_metadata(context)
            return route_guide_pb2.Feature(
                name="feature %d,%d" % (request.latitude, request.longitude), location=request)

        def ListFeatures(self, request, context):
            lo, hi = request.lo.latitude, request.hi.latitude
            for lat in range(lo, min(hi, lo + 200000) + 1):
                yield route_guide_pb2.Feature(name="f%d" % lat, location=route_guide_pb2.Point(latitude=lat))

        def RecordRoute(self, request_iterator, context):
            count = 0
            for _ in request_iterator:
                count += 1
            return route_guide_pb2.RouteSummary(point_count=count)

        def RouteChat(self, request_iterator, context):
            for note in request_iterator:
                yield note

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    greeter_pb2_grpc.add_GreeterServicer_to_server(Greeter(), server)
    if not args.greeter_only:
        route_guide_pb2_grpc.add_RouteGuideServicer_to_server(RouteGuide(), server)

    from grpc_health.v1 import health, health_pb2, health_pb2_grpc
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = [
        greeter_pb2.DESCRIPTOR.services_by_name["Greeter"].full_name,
        route_guide_pb2.DESCRIPTOR.services_by_name["RouteGuide"].full_name,
        health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
    ]
    if args.greeter_only:
        del names[1]
    for name in names:
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    if not args.no_reflection:
        from grpc_reflection.v1alpha import reflection
        reflection.enable_server_reflection(names + [reflection.SERVICE_NAME], server)

    if args.tls_cert:
        with open(args.tls_key, "rb") as f:
            key = f.read()
        with open(args.tls_cert, "rb") as f:
            cert = f.read()
        ca = None
        if args.client_ca:
            with open(args.client_ca, "rb") as f:
                ca = f.read()
        creds = grpc.ssl_server_credentials([(key, cert)], root_certificates=ca, require_client_auth=ca is not None)
        port = server.add_secure_port("127.0.0.1:%d" % args.port, creds)
    else:
        port = server.add_insecure_port("127.0.0.1:%d" % args.port)
    from peer_lifecycle import serve_until_released
    serve_until_released(server, port)


if __name__ == "__main__":
    main()
