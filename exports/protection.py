"""Password protection of a finished deliverable, in place: PDF with AES-256, Word and Excel with the Office
standard.

The exports registry applies it once, to the temporary file a writer has just finished, before that file is
renamed to its name (so a reader never sees the unprotected file under the deliverable's name). The password
is used and dropped: it is never stored, logged, or put in a message.

- PDF: pikepdf (qpdf) rewrites the file with the PDF 2.0 standard security handler, revision 6: AES-256,
  with the hardened password hash. Reportlab's own `encrypt=` only reaches revision 5 (the deprecated
  Adobe extension whose single SHA-256 password check is fast to guess), needs the unmaintained pure-Python
  `pyaes`, and would have to be threaded into the writer rather than applied to its finished file.
- Word and Excel: msoffcrypto-tool writes the ECMA-376 agile encryption that Office itself writes (AES-256,
  SHA-512, 100,000 key-derivation rounds), which Word, Excel and LibreOffice open after asking the password.
"""

from __future__ import annotations

from pathlib import Path

from vciso.atomic import atomic_path
from vciso.errors import ProtectionError

PDF, OFFICE = "pdf", "office"  # the two ways a file is protected (an Exporter's `protection`)


def protect(path: Path, password: str, how: str) -> None:
    """Encrypt the finished file at `path` with `password`, replacing it atomically (`how`: PDF or OFFICE).

    On any failure `path` is left as it was and the error says so in one line, without the password."""
    if not password:
        raise ProtectionError("an empty password protects nothing; give a password or none")
    path = Path(path)
    if how not in (PDF, OFFICE):
        raise ProtectionError(f"{path.name}: this kind of file cannot be protected with a password")
    try:
        (_protect_pdf if how == PDF else _protect_office)(path, password)
    except ImportError as exc:  # a build without pikepdf or msoffcrypto-tool
        raise ProtectionError(f"{path.name}: password protection is not available in this build ({exc.name} is "
                              f"missing); nothing was written") from None


def _protect_pdf(path: Path, password: str) -> None:
    import pikepdf

    # One password to open the file, also its owner password: whoever may read it may print and copy it
    # (permissions without a separate owner password are advisory only; not worth a second secret).
    encryption = pikepdf.Encryption(user=password, owner=password, R=6, aes=True, metadata=True)
    try:
        # the source is closed before the encrypted copy is renamed over it (Windows refuses otherwise)
        with atomic_path(path) as encrypted, pikepdf.open(path) as pdf:
            pdf.save(encrypted, encryption=encryption)
    except pikepdf.PdfError as exc:
        raise ProtectionError(f"{path.name}: the PDF could not be encrypted ({exc}); it was not written") from None


def _protect_office(path: Path, password: str) -> None:
    from msoffcrypto.exceptions import EncryptionError
    from msoffcrypto.format.ooxml import OOXMLFile

    try:
        with atomic_path(path) as encrypted, open(path, "rb") as plain, open(encrypted, "wb") as out:
            OOXMLFile(plain).encrypt(password, out)
    except EncryptionError as exc:
        raise ProtectionError(f"{path.name}: the file could not be encrypted ({exc}); it was not written") from None
