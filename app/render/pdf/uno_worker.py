"""Run by LibreOffice's own Python (it has `uno`): keep one headless LibreOffice and convert documents to PDF on
request, so exports after the first skip LibreOffice's start-up.

Protocol, one JSON object per line. Arguments: SOFFICE PROFILE_URI PIPE_NAME. Writes {"ready": true} once
connected, then answers each {"in": DOCX, "out": PDF} with {"ok": true} or {"ok": false, "error": "..."};
{"quit": true} or end of input stops LibreOffice and exits. Imports nothing from the app: it runs outside it.
"""

import json
import subprocess
import sys
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
    # Made once: each _prop goes through pyuno's import hook, ~0.2 ms that LibreOffice would wait between documents.
    load_props = (_prop("Hidden", True), _prop("ReadOnly", True), _prop("UpdateDocMode", 0))  # never refresh links
    store_props = (_prop("FilterName", "writer_pdf_Export"),)
    _say({"ready": True, "office_pid": office.pid})
    for line in sys.stdin:
        try:
            req = json.loads(line)
        except ValueError:
            continue
        if req.get("quit"):
            break
        try:
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(req["in"]), "_blank", 0, load_props)
            if doc is None:
                raise RuntimeError("LibreOffice could not open the document")
            try:
                doc.storeToURL(uno.systemPathToFileUrl(req["out"]), store_props)
                _say({"ok": True})  # the PDF is complete; closing the document need not delay the answer
            finally:
                doc.close(True)
        except Exception as exc:  # a UNO exception for one document must not end the session
            _say({"ok": False, "error": str(exc)})
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
