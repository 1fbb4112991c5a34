#!/usr/bin/env python3
"""A plain HTTP/1.1 server that is not a gRPC server, for fault tests.

Prints "PORT <n>" once listening on 127.0.0.1, answers every connection with
"HTTP/1.1 400 Bad Request" and closes it, and exits when stdin closes.
"""
import socket
import sys
import threading


def serve(listener):
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(2)
            try:
                conn.recv(4096)
                body = b"not a gRPC server\n"
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
                             b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
            except OSError:
                pass


def main():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    threading.Thread(target=serve, args=(listener,), daemon=True).start()
    print("PORT %d" % listener.getsockname()[1], flush=True)
    sys.stdin.read()
    listener.close()


if __name__ == "__main__":
    main()
