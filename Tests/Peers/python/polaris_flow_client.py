#!/usr/bin/env python3
"""An independent Polaris naming client (grpcio, messages generated at run time
from polarisctl's .proto subset) that performs polaris-go's provider and
consumer flow against a registry and checks every answer:

  ReportClient; RegisterInstance with a heartbeat TTL (sha1 id); Heartbeat;
  Discover(INSTANCE) on one bidi stream with revisions and DataNoChange;
  expiry after 3 x TTL without heartbeats and recovery on the next one;
  DeregisterInstance (idempotent); NotFoundResource for an unknown service;
  an empty success for a rule type; BatchHeartbeat; token enforcement.

Usage: polaris_flow_client.py ADDRESS [--token T]. Prints "OK" and exits 0 when
every check passes; otherwise prints the failed check and exits 1.
"""
import argparse
import hashlib
import queue
import sys
import time

import polaris_proto

polaris_proto.load()

import grpc  # noqa: E402
from google.protobuf import wrappers_pb2 as w  # noqa: E402
from polaris.v1 import client_pb2, grpcapi_pb2_grpc, heartbeat_pb2, request_pb2, service_pb2  # noqa: E402


def check(condition, what):
    if not condition:
        print("FAILED: " + what, flush=True)
        sys.exit(1)


class DiscoverStream:
    """One bidi Discover stream; each request gets exactly one answer, in order."""

    def __init__(self, stub, metadata):
        self.requests = queue.Queue()
        self.responses = stub.Discover(iter(self.requests.get, None), metadata=metadata)

    def ask(self, kind, service, namespace="default", revision=""):
        request = request_pb2.DiscoverRequest(type=kind)
        request.service.name.value = service
        request.service.namespace.value = namespace
        if revision:
            request.service.revision.value = revision
        request.Direction = request_pb2.Caller
        self.requests.put(request)
        return next(self.responses)

    def close(self):
        self.requests.put(None)


def instance(service, port, ttl=None, token=None):
    msg = service_pb2.Instance()
    msg.service.value = service
    msg.namespace.value = "default"
    msg.host.value = "127.0.0.1"
    msg.port.value = port
    if token:
        msg.service_token.value = token
    if ttl is not None:
        msg.health_check.type = service_pb2.HealthCheck.HEARTBEAT
        msg.health_check.heartbeat.ttl.value = ttl
    return msg


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("address")
    parser.add_argument("--token")
    args = parser.parse_args()
    metadata = (("x-polaris-token", args.token),) if args.token else ()
    channel = grpc.insecure_channel(args.address)
    stub = grpcapi_pb2_grpc.PolarisGRPCStub(channel)
    hb_stub = grpcapi_pb2_grpc.PolarisHeartbeatGRPCStub(channel)
    service = "flow-%d" % int(time.time() * 1000)

    if args.token:
        denied = stub.RegisterInstance(instance(service, 1), timeout=5)
        check(denied.code.value == 401000, "register without a token answers 401000, got %d" % denied.code.value)

    report = client_pb2.Client(type=client_pb2.Client.SDK)
    report.host.value = "127.0.0.1"
    report.version.value = "flow-1.0"
    answer = stub.ReportClient(report, timeout=5, metadata=metadata)
    check(answer.code.value == 200000, "ReportClient answers 200000")

    registered = stub.RegisterInstance(instance(service, 7001, ttl=1), timeout=5, metadata=metadata)
    check(registered.code.value == 200000, "RegisterInstance answers 200000, got %d %s" % (registered.code.value, registered.info.value))
    expected_id = hashlib.sha1(("default##%s##127.0.0.1##7001" % service).encode()).hexdigest()
    check(registered.instance.id.value == expected_id, "instance id is sha1(ns##svc##host##port)")
    check(registered.instance.port.value == 7001 and registered.instance.host.value == "127.0.0.1", "register echoes host and port")

    beat = stub.Heartbeat(instance(service, 7001, token=args.token), timeout=5, metadata=metadata)
    check(beat.code.value == 200000, "Heartbeat answers 200000")

    stream = DiscoverStream(stub, metadata)
    first = stream.ask(request_pb2.DiscoverRequest.INSTANCE, service)
    check(first.code.value == 200000, "Discover answers 200000")
    check(first.type == 1, "Discover answers type INSTANCE")
    check(first.service.name.value == service and first.service.namespace.value == "default", "Discover echoes the service")
    check(first.Direction == request_pb2.Caller, "Discover echoes Direction")
    revision = first.service.revision.value
    check(revision != "", "Discover carries a revision")
    check(len(first.instances) == 1 and first.instances[0].id.value == expected_id, "Discover lists the instance")
    found = first.instances[0]
    check(found.HasField("healthy") and found.healthy.value, "healthy is sent and true")
    check(found.weight.value == 100 and found.HasField("isolate") and not found.isolate.value, "defaults weight 100, isolate false")
    check(found.health_check.heartbeat.ttl.value == 1, "the TTL is kept")

    same = stream.ask(request_pb2.DiscoverRequest.INSTANCE, service, revision=revision)
    check(same.code.value == 200001, "the current revision answers DataNoChange, got %d" % same.code.value)
    check(same.service.name.value == service and len(same.instances) == 0, "DataNoChange echoes the service, no instances")

    second = stub.RegisterInstance(instance(service, 7002), timeout=5, metadata=metadata)
    check(second.code.value == 200000, "a second register answers 200000")
    changed = stream.ask(request_pb2.DiscoverRequest.INSTANCE, service, revision=revision)
    check(changed.code.value == 200000 and len(changed.instances) == 2, "a change answers 200000 with both instances")
    check(changed.service.revision.value != revision, "a change moves the revision")
    revision = changed.service.revision.value

    # No heartbeats for more than 3 x TTL: the instance turns unhealthy (kept, not deleted).
    deadline = time.time() + 10
    expired = None
    while time.time() < deadline:
        time.sleep(0.5)
        answer = stream.ask(request_pb2.DiscoverRequest.INSTANCE, service, revision=revision)
        if answer.code.value == 200000:
            mine = [i for i in answer.instances if i.id.value == expected_id]
            if mine and not mine[0].healthy.value:
                expired = answer
                break
    check(expired is not None, "the instance turns unhealthy after 3 x TTL without heartbeats")
    check(expired.instances[0].HasField("healthy"), "an unhealthy instance still carries healthy=false")
    revision = expired.service.revision.value
    beat = stub.Heartbeat(instance(service, 7001, token=args.token), timeout=5, metadata=metadata)
    check(beat.code.value == 200000, "a heartbeat after expiry answers 200000")
    back = stream.ask(request_pb2.DiscoverRequest.INSTANCE, service, revision=revision)
    check(back.code.value == 200000 and all(i.healthy.value for i in back.instances), "the next heartbeat makes it healthy again")

    batch = hb_stub.BatchHeartbeat(iter([heartbeat_pb2.HeartbeatsRequest(heartbeats=[heartbeat_pb2.InstanceHeartbeat(instanceId=expected_id)])]), metadata=metadata)
    check(len(list(batch)) == 1, "BatchHeartbeat answers each request")

    gone = stub.DeregisterInstance(instance(service, 7001, token=args.token), timeout=5, metadata=metadata)
    check(gone.code.value == 200000, "DeregisterInstance answers 200000")
    again = stub.DeregisterInstance(instance(service, 7001, token=args.token), timeout=5, metadata=metadata)
    check(again.code.value == 200000, "deregistering again answers 200000")
    after = stream.ask(request_pb2.DiscoverRequest.INSTANCE, service, revision=back.service.revision.value)
    check(after.code.value == 200000 and [i.port.value for i in after.instances] == [7002], "the deregistered instance is gone")

    unknown = stream.ask(request_pb2.DiscoverRequest.INSTANCE, service + "-missing")
    check(unknown.code.value == 400202, "an unknown service answers 400202")
    check(unknown.service.name.value == service + "-missing", "400202 echoes the service name")
    rule = stream.ask(request_pb2.DiscoverRequest.ROUTING, service)
    check(rule.code.value == 200000 and rule.type == 3, "a rule type answers an empty success of its type")
    services = stream.ask(request_pb2.DiscoverRequest.SERVICES, "")
    check(services.code.value == 200000 and service in [s.name.value for s in services.services], "SERVICES lists the service")
    stream.close()
    print("OK", flush=True)


if __name__ == "__main__":
    main()
