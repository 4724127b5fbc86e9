#!/usr/bin/env python3
"""Byte relay for bench/netns-swarm.sh.

    netns-relay.py [--delay-ms D] LISTEN CONNECT [LISTEN CONNECT ...]

Listens on every LISTEN address and pipes each accepted connection to its CONNECT address, both directions. An
address is tcp:HOST:PORT or unix:PATH. Unix sockets are not bound to a network namespace, so a pair of relays
(tcp -> unix in one namespace, unix -> tcp in another) joins two namespaces: the script uses this to let the block
producer in the root namespace reach each node's loopback-only Engine API.

With --delay-ms D every chunk of bytes is held D milliseconds before it is passed on, in each direction: a
user-space one-way latency of D for connections made through the relay (this kernel has no netem). Order is kept;
a bounded queue per direction passes back-pressure on to the sender.
"""
import argparse
import asyncio
import contextlib
import os
import sys

CHUNK = 64 * 1024
QUEUED_CHUNKS = 256


def parse(address):
    kind, _, rest = address.partition(":")
    if kind == "unix" and rest:
        return ("unix", rest)
    if kind == "tcp":
        host, _, port = rest.rpartition(":")
        if host and port.isdigit():
            return ("tcp", host, int(port))
    raise SystemExit(f"netns-relay: '{address}' is neither tcp:HOST:PORT nor unix:PATH")


async def connect(target):
    if target[0] == "unix":
        return await asyncio.open_unix_connection(target[1])
    return await asyncio.open_connection(target[1], target[2])


async def pipe(reader, writer, delay):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue(QUEUED_CHUNKS)

    async def read():
        while data := await reader.read(CHUNK):
            await queue.put((loop.time() + delay, data))
        await queue.put((loop.time() + delay, b""))

    async def write():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        with contextlib.suppress(OSError):
            writer.write_eof()

    try:
        await asyncio.gather(read(), write())
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def serve(listen, target, delay):
    async def handle(reader, writer):
        try:
            upstream_reader, upstream_writer = await connect(target)
        except OSError:
            writer.close()
            return
        await asyncio.gather(pipe(reader, upstream_writer, delay), pipe(upstream_reader, writer, delay))

    if listen[0] == "unix":
        with contextlib.suppress(FileNotFoundError):
            os.unlink(listen[1])
        return await asyncio.start_unix_server(handle, listen[1])
    return await asyncio.start_server(handle, listen[1], listen[2], reuse_address=True)


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("pairs", nargs="+", metavar="LISTEN CONNECT")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        raise SystemExit("netns-relay: give LISTEN CONNECT pairs")
    servers = [await serve(parse(args.pairs[i]), parse(args.pairs[i + 1]), args.delay_ms / 1000)
               for i in range(0, len(args.pairs), 2)]
    print("ready", flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
    sys.exit(0)
