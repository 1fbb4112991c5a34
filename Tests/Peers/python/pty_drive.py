#!/usr/bin/env python3
"""Drives a program on a pseudo-terminal as a person would: types one line,
waits until the program answers with output containing an expected text,
then types the next. Ends input with Ctrl-D (EOF on the terminal).

Usage: pty_drive.py [--send LINE --expect TEXT]... [--terminate-on TEXT] -- PROGRAM ARGS...

With --terminate-on, the program (a server, say) is sent SIGTERM once its
output shows TEXT, instead of Ctrl-D after the last step.

Prints one JSON object: {"steps": [{"sent": ..., "seconds": ...}], "output": ...,
"status": exit status}; a step that sees no answer within 10 s stops the run
with "timeout": true (the program is then killed by its PID).
"""
import json
import os
import pty
import select
import signal
import sys
import time


def main():
    argv = sys.argv[1:]
    split = argv.index("--")
    options, program = argv[:split], argv[split + 1:]
    pairs = []
    terminate_on = None
    i = 0
    while i < len(options):
        if options[i] == "--send":
            pairs.append([options[i + 1], None])
        elif options[i] == "--expect":
            pairs[-1][1] = options[i + 1]
        elif options[i] == "--terminate-on":
            terminate_on = options[i + 1]
        i += 2

    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(program[0], program)

    output = b""
    steps = []
    timed_out = False

    def read_until(text, deadline):
        nonlocal output
        while text.encode() not in output:
            remaining = deadline - time.time()
            if remaining <= 0:
                return False
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    return text.encode() in output
                if not chunk:
                    return text.encode() in output
                output += chunk
        return True

    for line, expected in pairs:
        started = time.time()
        os.write(fd, (line + "\n").encode())
        if expected and not read_until(expected, started + 10):
            timed_out = True
            break
        steps.append({"sent": line, "seconds": time.time() - started})

    status = None
    if not timed_out and terminate_on is not None:
        if read_until(terminate_on, time.time() + 30):
            os.kill(pid, signal.SIGTERM)
        else:
            timed_out = True
    elif not timed_out:
        os.write(fd, b"\x04")  # Ctrl-D: end of input
    if not timed_out:
        deadline = time.time() + 10
        while time.time() < deadline:
            done, raw = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(raw)
                break
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    output += os.read(fd, 65536)
                except OSError:
                    pass
    if status is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    print(json.dumps({"steps": steps, "timeout": timed_out, "status": status,
                      "output": output.decode("utf-8", "replace")}))


if __name__ == "__main__":
    main()
