#!/usr/bin/env python3
"""A small fake Polaris naming server (grpcio) written from the protocol facts,
for testing polarisctl's register and discover against something other than
its own registry.

It implements v1.PolarisGRPC RegisterInstance, Heartbeat, DeregisterInstance,
ReportClient and Discover(INSTANCE): sha1 instance ids, weight 100 / healthy
true defaults, a per-service revision (sha1 over the instances), DataNoChange,
NotFoundResource for unknown services. Every write is logged to --log as one
line: "register <id> ttl=<ttl> weight=<w>", "heartbeat <id>", "deregister <id>".
With --token, writes without the token answer 401000.

Prints "PORT <n>" once listening on 127.0.0.1; exits when stdin closes.
"""
import argparse
import hashlib
import sys
import threading
from concurrent import futures

import polaris_proto

polaris_proto.load()

import grpc  # noqa: E402
from polaris.v1 import grpcapi_pb2_grpc, response_pb2  # noqa: E402


class Fake(grpcapi_pb2_grpc.PolarisGRPCServicer):
    def __init__(self, log, token):
        self.lock = threading.Lock()
        self.instances = {}  # id -> Instance
        self.services = set()
        self.log = log
        self.token = token

    def note(self, line):
        with open(self.log, "a") as f:
            f.write(line + "\n")

    def reply(self, code, info="", instance=None):
        r = response_pb2.Response()
        r.code.value = code
        r.info.value = info
        if instance is not None:
            r.instance.CopyFrom(instance)
        return r

    def denied(self, request, context):
        if not self.token:
            return False
        given = request.service_token.value if request.HasField("service_token") else dict(context.invocation_metadata()).get("x-polaris-token")
        return given != self.token

    def ident(self, request):
        if request.HasField("id") and request.id.value:
            return request.id.value
        key = "%s##%s##%s##%d" % (request.namespace.value, request.service.value, request.host.value, request.port.value)
        return hashlib.sha1(key.encode()).hexdigest()

    def ReportClient(self, request, context):
        return self.reply(200000, "execute success")

    def RegisterInstance(self, request, context):
        if self.denied(request, context):
            return self.reply(401000, "unauthorized")
        if not request.service.value or not request.host.value or not request.HasField("port"):
            return self.reply(400000, "bad request")
        stored = type(request)()
        stored.CopyFrom(request)
        iid = self.ident(request)
        stored.id.value = iid
        stored.ClearField("service_token")
        if not stored.HasField("healthy"):
            stored.healthy.value = True
        if not stored.HasField("weight"):
            stored.weight.value = 100
        if not stored.HasField("isolate"):
            stored.isolate.value = False
        with self.lock:
            self.instances[iid] = stored
            self.services.add((request.namespace.value, request.service.value))
        self.note("register %s ttl=%d weight=%d" % (iid, request.health_check.heartbeat.ttl.value, stored.weight.value))
        echo = type(request)()
        echo.id.value = iid
        echo.service.CopyFrom(request.service)
        echo.namespace.CopyFrom(request.namespace)
        echo.host.CopyFrom(request.host)
        echo.port.CopyFrom(request.port)
        return self.reply(200000, "execute success", echo)

    def Heartbeat(self, request, context):
        if self.denied(request, context):
            return self.reply(401000, "unauthorized")
        iid = self.ident(request)
        self.note("heartbeat %s" % iid)
        with self.lock:
            known = iid in self.instances
        return self.reply(200000 if known else 400202, "execute success" if known else "not found resource")

    def DeregisterInstance(self, request, context):
        if self.denied(request, context):
            return self.reply(401000, "unauthorized")
        iid = self.ident(request)
        with self.lock:
            self.instances.pop(iid, None)
        self.note("deregister %s" % iid)
        return self.reply(200000, "execute success", request)

    def Discover(self, request_iterator, context):
        for request in request_iterator:
            r = response_pb2.DiscoverResponse()
            r.type = request.type
            r.service.CopyFrom(request.service)
            r.Direction = request.Direction
            key = (request.service.namespace.value, request.service.name.value)
            with self.lock:
                known = key in self.services
                mine = sorted((i for i in self.instances.values()
                               if (i.namespace.value, i.service.value) == key), key=lambda i: i.id.value)
            if request.type != 1:
                r.code.value = 200000
            elif not known:
                r.code.value = 400202
                r.info.value = "not found resource"
            else:
                revision = hashlib.sha1("".join(i.SerializeToString(deterministic=True).hex() for i in mine).encode()).hexdigest()
                if request.service.revision.value == revision:
                    r.code.value = 200001
                    r.info.value = "discover data is no change"
                else:
                    r.code.value = 200000
                    r.service.revision.value = revision
                    r.instances.extend(mine)
            yield r


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--token")
    args = parser.parse_args()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    grpcapi_pb2_grpc.add_PolarisGRPCServicer_to_server(Fake(args.log, args.token), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print("PORT %d" % port, flush=True)
    sys.stdin.read()
    server.stop(0)


if __name__ == "__main__":
    main()
