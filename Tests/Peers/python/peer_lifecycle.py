"""How the Python test servers live: say where they listen, then serve until
SIGTERM or until their stdin closes (so they never outlive the test process
that started them), then stop with a short grace period."""
import signal
import sys
import threading


def serve_until_released(server, port):
    server.start()
    print("PORT %d" % port, flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait()
    server.stop(grace=1).wait()
