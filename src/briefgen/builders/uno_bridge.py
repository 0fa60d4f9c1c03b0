"""Runs under LibreOffice's own Python (the one with ``uno``), started by builders/resident.py.

Not imported by briefgen: briefgen's Python need not have ``uno`` (Debian's python3-uno is built
for the system Python). It connects to a running ``soffice --accept=pipe,…`` and then serves one
JSON request a line on stdin, answering one JSON line on stdout:

    {"convert": DOCX, "pdf": PDF, "options": {name: [kind, value]}}  ->  {"ok": true} | {"error": …, "lost": bool}
    {"warm": true, "options": {name: [kind, value]}}                ->  {"ok": true} | {"error": …, "lost": bool}
    {"quit": true}, or stdin closed                                  ->  LibreOffice terminated, exit

Arguments: the pipe's name, the seconds to wait for LibreOffice to accept, briefgen's process id, LibreOffice's
(its process group) and the paths of LibreOffice's pipe sockets. When briefgen is gone (killed) and LibreOffice does
not end as asked (it hangs on a letter, and the bridge with it), the bridge kills LibreOffice's process group and
removes those sockets itself (:func:`_orphaned`). ``warm`` converts a small
document made here, so that LibreOffice's first-use costs are paid before the first letter comes.

``options`` are builders/pdf.py's EXPORT_OPTIONS, the same filter data the batch path passes to
``--convert-to``. ``lost`` says the connection to LibreOffice is gone (crashed): start afresh.
"""

import functools
import importlib.util
import json
import os
import signal
import sys
import tempfile
import threading
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.lang import DisposedException
from com.sun.star.uno import RuntimeException


def _briefgen_launch():
    """builders/launch.py beside this file (standard library only): briefgen's own remove_sockets. Loaded by its path,
    not through sys.path: builders/ on sys.path would shadow, for the whole process that imports the bridge (a test,
    bench/), the standard library's html and the docx package with builders/html.py and builders/docx.py."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "launch.py")
    spec = importlib.util.spec_from_file_location("briefgen_launch", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


launch = _briefgen_launch()
ORPHAN_POLL_SECONDS = 0.5
ORPHAN_GRACE_SECONDS = 5.0  # for LibreOffice to end as asked once briefgen is gone, before it is killed
_CLEANING = threading.Event()  # _orphaned kills LibreOffice: the bridge ends through it, once the sockets are removed


def _property(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _value(kind, text):
    if kind in ("long", "short", "hyper"):
        return int(text)
    if kind == "boolean":
        return text == "true"
    return text


def _connect(pipe, seconds):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + seconds
    # Also when briefgen is gone meanwhile: only once connected can the bridge end the LibreOffice it
    # was started with (its first answer then finds no reader, and main ends LibreOffice).
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


# As soffice --convert-to loads a document: hidden, read-only, no macros, no dialogs.
_LOAD_ARGUMENTS = (_property("Hidden", True), _property("ReadOnly", True), _property("MacroExecutionMode", 0))


@functools.lru_cache(maxsize=4)  # not functools.cache: LibreOffice's own Python may be 3.8
def _export_arguments(options):
    """storeToURL's arguments for ``options`` (name, kind, value triples), made once: the same for every letter
    (making these structs anew was about a fifth of the bridge's CPU a letter, bench/PROFILE.md stop 29)."""
    data = tuple(_property(name, _value(kind, value)) for name, kind, value in options)
    return (_property("FilterName", "writer_pdf_Export"),
            _property("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data)))


def _convert(desktop, docx, pdf, options):
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(docx), "_blank", 0, _LOAD_ARGUMENTS)
    if document is None:
        raise ValueError("LibreOffice kon het DOCX-bestand niet openen")
    try:
        arguments = _export_arguments(tuple((name, kind, value) for name, (kind, value) in options.items()))
        uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(pdf), arguments))
    finally:
        document.close(True)


def _warm_up(desktop, options):
    """Load Writer, its DOCX import and its PDF export (with the letters' ``options``) once, so that the first
    letter is about as quick as the next."""
    with tempfile.TemporaryDirectory(prefix="briefgen-warm-") as folder:
        docx = os.path.join(folder, "warm.docx")
        try:
            document = desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, (_property("Hidden", True),))
            try:
                document.getText().setString("briefgen")
                document.storeToURL(uno.systemPathToFileUrl(docx), (_property("FilterName", "MS Word 2007 XML"),))
            finally:
                document.close(True)
            _convert(desktop, docx, os.path.join(folder, "warm.pdf"), options)
        except (DisposedException, RuntimeException):
            raise  # LibreOffice itself is gone: _serve says so
        except Exception:  # noqa: BLE001 - only an optimisation; real conversions report their own failures
            pass


def _answer(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _orphaned(briefgen, office, sockets):
    """Once briefgen is no longer the bridge's parent, give main ORPHAN_GRACE_SECONDS to end LibreOffice (it
    reads the end of stdin), then kill LibreOffice's process group (if it is still there), remove its sockets (what
    LibreOffice removes when it ends by itself) and end the bridge: a LibreOffice hanging on a letter would stay
    forever. With briefgen's launch.remove_sockets: only the user's own sockets that refuse a connection."""
    while os.getppid() == briefgen:
        time.sleep(ORPHAN_POLL_SECONDS)
    time.sleep(ORPHAN_GRACE_SECONDS)
    _CLEANING.set()
    if _exists(office):
        try:
            os.killpg(office, signal.SIGKILL)
        except OSError:
            pass
    deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
    left, ending = list(sockets), True
    # Asked again only while the LibreOffice just killed is still ending, and once after.
    while (left := launch.remove_sockets(*left)) and ending and time.monotonic() < deadline:
        ending = _exists(office)
        time.sleep(0.05)
    os._exit(1)


def _exists(group):
    try:
        os.killpg(group, 0)
    except OSError:
        return False
    return True


def main():
    pipe, seconds = sys.argv[1], float(sys.argv[2])
    if len(sys.argv) > 4:
        briefgen, office = int(sys.argv[3]), int(sys.argv[4])
        threading.Thread(target=_orphaned, args=(briefgen, office, sys.argv[5:]), daemon=True).start()
    try:
        desktop = _connect(pipe, seconds)
    except Exception as exc:  # noqa: BLE001 - reported to briefgen, which words it
        _answer({"error": f"geen verbinding met LibreOffice ({type(exc).__name__})", "lost": True})
        return 1
    try:
        return _serve(desktop)
    except OSError:  # briefgen is gone (its end of stdout closed) while a letter was converted
        return 1
    finally:
        # Asked to quit, or briefgen is gone: LibreOffice must not outlive it.
        try:
            desktop.terminate()
        except (DisposedException, RuntimeException):
            pass


def _serve(desktop):
    _answer({"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("quit"):
            break
        try:
            if request.get("warm"):
                _warm_up(desktop, request["options"])
            else:
                _convert(desktop, request["convert"], request["pdf"], request["options"])
        except (DisposedException, RuntimeException) as exc:
            lost = isinstance(exc, DisposedException) or "Binary URP bridge" in str(exc)
            _answer({"error": f"LibreOffice: {exc.Message or type(exc).__name__}"[:300], "lost": lost})
            if lost:
                return 1
        except Exception as exc:  # noqa: BLE001 - one document's failure must not end the service
            _answer({"error": f"{type(exc).__name__}: {exc}"[:300], "lost": False})
        else:
            _answer({"ok": True})
    return 0


if __name__ == "__main__":
    code = main()  # ends at once when _orphaned kills the LibreOffice it waited for
    if _CLEANING.is_set():
        threading.Event().wait()  # _orphaned ends the bridge (os._exit) after removing the sockets
    sys.exit(code)
