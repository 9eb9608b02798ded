"""Run by LibreOffice's own Python (it has `uno`): keep one headless LibreOffice and convert documents to PDF on
request, so exports after the first skip LibreOffice's start-up.

Protocol, one JSON object per line. Arguments: SOFFICE PROFILE_URI PIPE_NAME. Writes {"ready": true} once
connected, then answers each {"in": DOCX, "out": PDF} with {"ok": true} or {"ok": false, "error": "..."};
{"quit": true} or end of input stops LibreOffice and exits. Imports nothing from the app: it runs outside it.
"""

import json
import queue
import subprocess
import sys
import threading
import time


def _prop(name, value):
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def _say(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _close_all(docs):
    while docs:
        try:
            docs.pop().close(True)
        except Exception:  # a document LibreOffice has already disposed of
            pass


def main():
    soffice, profile_uri, pipe = sys.argv[1:4]
    office = subprocess.Popen(
        [soffice, "-env:UserInstallation=" + profile_uri, "--headless", "--invisible", "--norestore", "--nologo",
         "--nodefault", "--nolockcheck", "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Importing uno takes a moment: LibreOffice is already starting meanwhile.
    global uno
    import uno

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + 90
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception as exc:  # NoConnectException until LibreOffice listens
            if office.poll() is not None or time.time() > deadline:
                _say({"ready": False, "error": "LibreOffice did not start: %s" % exc})
                office.kill()
                return 1
            time.sleep(0.02)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    _say({"ready": True, "office_pid": office.pid})
    # Requests are read on a thread of their own, so that a document is closed only when no request is waiting:
    # a batch goes from one conversion straight to the next, and the closing (5-15 ms a document) happens while
    # the app reads the PDFs back.
    requests = queue.Queue()

    def read_requests():
        for req_line in sys.stdin:
            requests.put(req_line)
        requests.put(None)

    threading.Thread(target=read_requests, daemon=True).start()
    to_close = []
    while True:
        try:
            line = requests.get_nowait()
        except queue.Empty:
            _close_all(to_close)
            line = requests.get()
        if line is None:
            break
        try:
            req = json.loads(line)
        except ValueError:
            continue
        if req.get("quit"):
            break
        try:
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(req["in"]), "_blank", 0,
                                               (_prop("Hidden", True), _prop("ReadOnly", True),
                                                _prop("UpdateDocMode", 0)))  # never refresh links
            if doc is None:
                raise RuntimeError("LibreOffice could not open the document")
            try:
                doc.storeToURL(uno.systemPathToFileUrl(req["out"]), (_prop("FilterName", "writer_pdf_Export"),))
            except Exception:
                _close_all([doc])
                raise
            to_close.append(doc)
            _say({"ok": True})  # the PDF is complete; closing the document need not delay the answer
        except Exception as exc:  # a UNO exception for one document must not end the session
            _say({"ok": False, "error": str(exc)})
    _close_all(to_close)
    try:
        desktop.terminate()
    except Exception:  # LibreOffice may already be gone
        pass
    try:
        office.wait(timeout=10)
    except subprocess.TimeoutExpired:
        office.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
