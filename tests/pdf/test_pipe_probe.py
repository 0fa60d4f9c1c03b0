"""launch.remove_pipes asks whether a program still listens on a LibreOffice pipe's socket: a live one is asked once
(one connection, at once) and its socket kept; one that nobody listens on is removed."""

from __future__ import annotations

import os
import socket
import time
import uuid

from briefgen.builders import launch


def _accepted(server: socket.socket) -> int:
    server.setblocking(False)
    count = 0
    while True:
        try:
            connection, _ = server.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def test_a_socket_a_program_listens_on_is_asked_once_and_kept():
    name = f"briefgen-probe-{uuid.uuid4().hex[:12]}"
    path = launch.pipe_paths(name)[0]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
            server.bind(path)
            server.listen(128)
            started = time.monotonic()
            launch.remove_pipes(name)
            elapsed = time.monotonic() - started
            assert os.path.exists(path)
            assert _accepted(server) == 1
            assert elapsed < launch.LISTENED_SECONDS / 2
    finally:
        if os.path.lexists(path):
            os.unlink(path)


def test_a_socket_nobody_listens_on_is_removed():
    name = f"briefgen-probe-{uuid.uuid4().hex[:12]}"
    path = launch.pipe_paths(name)[0]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as left:
            left.bind(path)  # bound, never listened on: as a killed LibreOffice leaves it
        launch.remove_pipes(name)
        assert not os.path.lexists(path)
    finally:
        if os.path.lexists(path):
            os.unlink(path)
