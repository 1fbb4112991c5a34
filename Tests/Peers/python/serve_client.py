"""A grpcio client that checks a running `polarisctl serve`, using only server reflection.

Usage: serve_client.py PORT CHECK
  fake        every unary and server-streaming method of the user services answers; each
              response decodes as its type and re-encodes to the same bytes
  reflection  v1alpha (grpcio-reflection's client) and v1 (same messages, v1 path) list
              the same services and give descriptors that build working stubs
  health      Check and Watch: SERVING, then NOT_SERVING after Admin/SetHealth
  garbage     random bytes to a unary method end with INVALID_ARGUMENT, the server stays up
Prints one JSON object; exits 0 when it could run the check.
"""
import json
import random
import sys

import grpc
from google.protobuf import descriptor_pool, message_factory
from grpc_health.v1 import health_pb2
from grpc_reflection.v1alpha import reflection_pb2
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

BUILTIN = ("grpc.", "polarisctl.")


def identity(b):
    return b


def pool_for(channel):
    database = ProtoReflectionDescriptorDatabase(channel)
    pool = descriptor_pool.DescriptorPool(database)
    services = [s for s in database.get_services()]
    return pool, services


def check_fake(channel):
    pool, services = pool_for(channel)
    checked = []
    for name in services:
        if name.startswith(BUILTIN):
            continue
        service = pool.FindServiceByName(name)
        for method in service.methods:
            out_cls = message_factory.GetMessageClass(method.output_type)
            in_cls = message_factory.GetMessageClass(method.input_type)
            path = "/%s/%s" % (name, method.name)
            request = in_cls().SerializeToString()
            if method.client_streaming and method.server_streaming:
                raws = list(channel.stream_stream(path, identity, identity)(iter([request]), timeout=10))
            elif method.client_streaming:
                raws = [channel.stream_unary(path, identity, identity)(iter([request]), timeout=10)]
            elif method.server_streaming:
                raws = list(channel.unary_stream(path, identity, identity)(request, timeout=10))
            else:
                raws = [channel.unary_unary(path, identity, identity)(request, timeout=10)]
            for raw in raws:
                message = out_cls()
                message.ParseFromString(raw)
                again = message.SerializeToString(deterministic=True)
                fields = len(message.ListFields())
                checked.append({"method": path, "same": again == raw, "fields": fields, "count": len(raws)})
    return {"checked": checked}


def check_reflection(channel):
    result = {}
    for version in ("v1alpha", "v1"):
        path = "/grpc.reflection.%s.ServerReflection/ServerReflectionInfo" % version
        call = channel.stream_stream(path, reflection_pb2.ServerReflectionRequest.SerializeToString,
                                     reflection_pb2.ServerReflectionResponse.FromString)
        responses = list(call(iter([
            reflection_pb2.ServerReflectionRequest(list_services=""),
            reflection_pb2.ServerReflectionRequest(file_containing_symbol="helloworld.Greeter"),
            reflection_pb2.ServerReflectionRequest(file_containing_symbol="no.such.Symbol"),
        ]), timeout=10))
        result[version] = {
            "services": sorted(s.name for s in responses[0].list_services_response.service),
            "files": len(responses[1].file_descriptor_response.file_descriptor_proto),
            "error": responses[2].error_response.error_code,
        }
    # A stub built from reflected descriptors calls the server.
    pool, _ = pool_for(channel)
    method = pool.FindMethodByName("helloworld.Greeter.SayHello")
    in_cls = message_factory.GetMessageClass(method.input_type)
    out_cls = message_factory.GetMessageClass(method.output_type)
    reply = channel.unary_unary("/helloworld.Greeter/SayHello", in_cls.SerializeToString, out_cls.FromString)(
        in_cls(name="Python"), timeout=10)
    result["reply"] = reply.message
    return result


def check_health(channel):
    check = channel.unary_unary("/grpc.health.v1.Health/Check", health_pb2.HealthCheckRequest.SerializeToString,
                                health_pb2.HealthCheckResponse.FromString)
    watch = channel.unary_stream("/grpc.health.v1.Health/Watch", health_pb2.HealthCheckRequest.SerializeToString,
                                 health_pb2.HealthCheckResponse.FromString)
    result = {"check": health_pb2.HealthCheckResponse.ServingStatus.Name(
        check(health_pb2.HealthCheckRequest(service="helloworld.Greeter"), timeout=10).status)}
    try:
        check(health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=10)
        result["unknown"] = "OK"
    except grpc.RpcError as error:
        result["unknown"] = error.code().name
    stream = watch(health_pb2.HealthCheckRequest(service="helloworld.Greeter"), timeout=10)
    seen = [health_pb2.HealthCheckResponse.ServingStatus.Name(next(stream).status)]
    # SetHealth through the admin service, as raw bytes: field 1 service, field 2 status (NOT_SERVING = 2).
    service = b"helloworld.Greeter"
    body = b"\x0a" + bytes([len(service)]) + service + b"\x10\x02"
    channel.unary_unary("/polarisctl.mock.v1.Admin/SetHealth", identity, identity)(body, timeout=10)
    seen.append(health_pb2.HealthCheckResponse.ServingStatus.Name(next(stream).status))
    stream.cancel()
    result["watch"] = seen
    result["after"] = health_pb2.HealthCheckResponse.ServingStatus.Name(
        check(health_pb2.HealthCheckRequest(service="helloworld.Greeter"), timeout=10).status)
    return result


def check_garbage(channel):
    rng = random.Random(7)
    call = channel.unary_unary("/helloworld.Greeter/SayHello", identity, identity)
    codes = {}
    for _ in range(200):
        body = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 64)))
        try:
            call(body, timeout=10)
            codes["OK"] = codes.get("OK", 0) + 1
        except grpc.RpcError as error:
            codes[error.code().name] = codes.get(error.code().name, 0) + 1
    # Still answering afterwards.
    after = call(b"\x0a\x01x", timeout=10)
    return {"codes": codes, "after": len(after)}


def main():
    port, check = sys.argv[1], sys.argv[2]
    with grpc.insecure_channel("127.0.0.1:%s" % port) as channel:
        result = {"fake": check_fake, "reflection": check_reflection, "health": check_health,
                  "garbage": check_garbage}[check](channel)
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
