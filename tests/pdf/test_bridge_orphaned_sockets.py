"""The UNO bridge, once briefgen is gone, kills its LibreOffice and removes the sockets it left (builders/uno_bridge.py
``_orphaned``): only sockets that refuse a connection, as briefgen's launch.remove_pipes; a live one stays."""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from pathlib import Path

from briefgen.builders import launch
from briefgen.builders.resident import BRIDGE, uno_python
from tests.pdf.test_pdf_resident_build import uno  # noqa: F401  (fixture)

LOAD = """import importlib.util, sys
spec = importlib.util.spec_from_file_location("uno_bridge", {bridge!r})
uno_bridge = importlib.util.module_from_spec(spec)
spec.loader.exec_module(uno_bridge)
"""
ORPHANED = LOAD + """
uno_bridge.ORPHAN_POLL_SECONDS = uno_bridge.ORPHAN_GRACE_SECONDS = 0.2
uno_bridge._orphaned(-1, {office}, {sockets!r})
"""


def test_the_bridge_removes_only_the_sockets_nobody_listens_on(soffice, uno, tmp_path):  # noqa: F811
    python = uno_python(soffice)
    assert python is not None
    live, stale = launch.pipe_paths(*(f"briefgen-bridge-{uuid.uuid4().hex[:12]}" for _ in range(2)))[::2]
    office = subprocess.Popen(["sleep", "60"], start_new_session=True)  # LibreOffice's process group
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listening, \
                socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as left:
            listening.bind(live)
            listening.listen(128)
            left.bind(stale)  # bound, nobody listens: as a killed LibreOffice leaves it
            script = ORPHANED.format(bridge=str(BRIDGE), office=office.pid, sockets=[live, stale])
            bridge = subprocess.run([python, "-c", script], cwd="/", timeout=30, capture_output=True, text=True)
            assert bridge.returncode == 1, bridge.stderr
            assert office.wait(5) == -9  # killed
            assert os.path.exists(live)
            assert not os.path.lexists(stale)
    finally:
        office.kill()
        office.wait()
        for path in (live, stale):
            if os.path.lexists(path):
                os.unlink(path)


def test_the_bridge_loads_launch_without_changing_sys_path(soffice, uno):  # noqa: F811
    """Review: the bridge put builders/ first on sys.path as it loaded, so that in a process that imports it
    builders/html.py and builders/docx.py shadowed the standard library's html and the docx package."""
    python = uno_python(soffice)
    assert python is not None
    folder = str(Path(BRIDGE).parent)  # (uno itself adds LibreOffice's program folder)
    script = (LOAD.format(bridge=str(BRIDGE)) + f"import html\nassert {folder!r} not in sys.path, sys.path\n"
              + "print(html.__file__, uno_bridge.launch.remove_sockets.__module__)")
    run = subprocess.run([python, "-c", script], cwd="/", timeout=30, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    location, module = run.stdout.split()
    assert Path(location).parent != Path(BRIDGE).parent and module == "briefgen_launch", run.stdout
