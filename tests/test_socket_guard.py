from __future__ import annotations

import socket
import threading

import pytest

from tests.conftest import NonLoopbackConnection


def test_non_loopback_connection_is_refused_before_any_packet() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(NonLoopbackConnection):
            sock.connect(("192.0.2.1", 80))  # TEST-NET-1: never a real host
        with pytest.raises(NonLoopbackConnection):
            sock.connect_ex(("203.0.113.7", 443))
    finally:
        sock.close()


def test_hostnames_other_than_localhost_are_refused() -> None:
    with pytest.raises(NonLoopbackConnection), socket.socket() as sock:
        sock.connect(("example.org", 80))


def test_loopback_is_allowed() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    accepted: list[socket.socket] = []
    t = threading.Thread(target=lambda: accepted.append(server.accept()[0]))
    t.start()
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        t.join(5)
    for s in accepted:
        s.close()
    server.close()
    assert accepted
