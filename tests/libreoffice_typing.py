"""Type text into cells of a workbook with LibreOffice, the way a person's typing is read, then save it as
.xlsx. Run by a Python that has LibreOffice's `uno` module (Debian: python3-uno), not by the test's Python.

    python3 libreoffice_typing.py SOFFICE IN.xlsx OUT.xlsx PROFILE_DIR CELLS_JSON

CELLS_JSON is [[sheet, "H7", "typed text"], ...]. Each text goes in through the cell's FormulaLocal, the
entry path of typed input: the cell's number format decides whether "=x" becomes a formula, "0012" a
number and "2025-03-14" a date, or whether (in a Text cell) each stays the text typed.
"""

import json
import os
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def main():
    soffice, source, target, profile, cells = sys.argv[1:6]
    pipe = "vciso_test_" + uuid.uuid4().hex
    office = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         f"-env:UserInstallation={uno.systemPathToFileUrl(os.path.abspath(profile))}",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + 120
        while True:  # LibreOffice takes a few seconds to start (longer with a new profile)
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if time.monotonic() > deadline or office.poll() is not None:
                    raise
                time.sleep(0.3)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0,
                                                (_prop("Hidden", True),))
        for sheet, reference, text in json.loads(cells):
            document.Sheets.getByName(sheet).getCellRangeByName(reference).FormulaLocal = text
        document.calculateAll()
        document.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)),
                            (_prop("FilterName", "Calc Office Open XML"),))
        document.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge closes as LibreOffice quits
            pass
    finally:
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
