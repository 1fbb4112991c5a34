"""Generates Python modules for polarisctl's Polaris v1 .proto subset
(Sources/WireProtos/Protos/polaris/v1) into a temporary directory at run time
and puts it on sys.path. Shared by polaris_flow_client.py and fake_polaris.py."""
import glob
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PROTOS = os.path.join(ROOT, "Sources", "WireProtos", "Protos")


def load():
    from grpc_tools import protoc
    import grpc_tools
    include = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    out = tempfile.mkdtemp(prefix="polaris-py-")
    files = sorted(os.path.relpath(f, PROTOS) for f in glob.glob(os.path.join(PROTOS, "polaris", "v1", "*.proto")))
    rc = protoc.main(["protoc", "-I", PROTOS, "-I", include, "--python_out=" + out, "--grpc_python_out=" + out] + files)
    if rc != 0:
        sys.exit("protoc failed for the polaris protos")
    sys.path.insert(0, out)
    return out
