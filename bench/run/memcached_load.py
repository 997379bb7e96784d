#!/usr/bin/env python3
"""A memcached load generator on loopback: CONNS threads, each with its own
connection, sending set and get commands (text protocol) over KEYS keys for
SECONDS seconds; every RECONNECT requests a connection is closed and opened
again, so the server keeps making and dropping connection state. Prints
requests per second.

    memcached_load.py PORT SECONDS [CONNS] [KEYS] [RECONNECT]
"""
import random
import socket
import sys
import threading
import time


def worker(port, deadline, keys, reconnect, counts, index):
    rnd = random.Random(index)
    value = b"v" * 100
    done = 0
    while time.time() < deadline:
        s = socket.create_connection(("127.0.0.1", port))
        f = s.makefile("rb")
        for _ in range(reconnect):
            key = b"key%d" % rnd.randrange(keys)
            if rnd.random() < 0.3:
                s.sendall(b"set " + key + b" 0 0 %d\r\n" % len(value) + value + b"\r\n")
                if f.readline() != b"STORED\r\n":
                    raise SystemExit("unexpected reply to set")
            else:
                s.sendall(b"get " + key + b"\r\n")
                line = f.readline()
                while line != b"END\r\n":
                    if not line:
                        raise SystemExit("connection closed")
                    line = f.readline()
            done += 1
            if time.time() >= deadline:
                break
        f.close()
        s.close()
    counts[index] = done


def main():
    port = int(sys.argv[1])
    seconds = float(sys.argv[2])
    conns = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    keys = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
    reconnect = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
    deadline = time.time() + seconds
    counts = [0] * conns
    threads = [threading.Thread(target=worker, args=(port, deadline, keys, reconnect, counts, i))
               for i in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("%.0f requests/s" % (sum(counts) / seconds))


if __name__ == "__main__":
    main()
