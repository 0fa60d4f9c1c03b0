"""UNO side of bench/merged_probe.py; runs under LibreOffice's Python (Debian: python3-uno, /usr/bin/python3).

    python3 bench/merged_uno.py PIPE SECONDS

Connects to a running ``soffice --accept=pipe,name=PIPE;urp;…`` (with builders/uno_bridge.py's own
connect, load and export, so the separate letters go exactly as in briefgen) and serves one JSON request a
line on stdin, one JSON answer a line on stdout, so that the caller can read LibreOffice's CPU between them:

    {"separate": [[DOCX, PDF], ...], "options": {...}}  -> 50 loads and exports, as briefgen's bridge does them
    {"load": DOCX}                                      -> the merged document loaded (kept open)
    {"starts": true}                                    -> {"starts": [first page of each section], "pages": N}
    {"export": [[RANGE, PDF], ...], "options": {...}}   -> the open document exported once per page range ("": all)
    {"close": true}                                     -> the open document closed
    stdin closed                                        -> LibreOffice terminated
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "src", "briefgen", "builders"))
import uno  # noqa: E402
import uno_bridge as bridge  # noqa: E402  (briefgen's bridge: the same connect, load and export)


def _load(desktop, docx):
    return desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(docx), "_blank", 0,
        (bridge._property("Hidden", True), bridge._property("ReadOnly", True),
         bridge._property("MacroExecutionMode", 0)))


def _starts(document):
    """The page on which each paragraph or table with its own page style (a DOCX section) begins, and the page count."""
    view = document.getCurrentController().getViewCursor()
    starts = []
    paragraphs = document.getText().createEnumeration()
    while paragraphs.hasMoreElements():
        element = paragraphs.nextElement()
        if element.PageDescName:  # a paragraph or a table (a letter begins with its table of details)
            table = element.supportsService("com.sun.star.text.TextTable")
            view.gotoRange((element.getCellByName("A1").getText() if table else element).getStart(), False)
            starts.append(view.getPage())
    view.jumpToLastPage()
    return starts, view.getPage()


def _export(document, pdf, options, page_range):
    data = tuple(bridge._property(name, bridge._value(kind, value)) for name, (kind, value) in options.items())
    if page_range:
        data += (bridge._property("PageRange", page_range),)
    arguments = (bridge._property("FilterName", "writer_pdf_Export"),
                 bridge._property("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data)))
    uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(pdf), arguments))


def _serve(desktop):
    document = None
    for line in sys.stdin:
        request = json.loads(line)
        answer = {"ok": True}
        if "separate" in request:
            for docx, pdf in request["separate"]:
                bridge._convert(desktop, docx, pdf, request["options"])
        elif "load" in request:
            document = _load(desktop, request["load"])
        elif "starts" in request:
            answer["starts"], answer["pages"] = _starts(document)
        elif "export" in request:
            for page_range, pdf in request["export"]:
                _export(document, pdf, request["options"], page_range)
        elif "close" in request:
            document.close(True)
            document = None
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def main():
    desktop = bridge._connect(sys.argv[1], float(sys.argv[2]))
    sys.stdout.write(json.dumps({"ready": True}) + "\n")
    sys.stdout.flush()
    try:
        _serve(desktop)
    finally:
        desktop.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
