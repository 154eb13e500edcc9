"""A separate process that answers questions and reports each save (used by the durability tests, and by the
encryption tests on an encrypted file: its passphrase in $ANSWER_WRITER_PASSPHRASE)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from vciso.clientfile import ClientFile


def main() -> None:
    path, assessment_id, prefix, start, stop = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), \
        int(sys.argv[5])
    key = os.environ.get("ANSWER_WRITER_PASSPHRASE")  # an encrypted client file's (the encryption tests)
    with ClientFile(Path(path), key=key) as client:
        for index in range(start, stop):
            question_id = f"S0.0-{index:04d}"
            client.save_answer(assessment_id, question_id, current=index % 6, note=f"{prefix} {index}",
                               source=prefix)
            print(f"saved {question_id}", flush=True)


if __name__ == "__main__":
    main()
