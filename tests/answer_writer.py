"""A separate process that answers questions and reports each save (used by the durability tests)."""

from __future__ import annotations

import sys
from pathlib import Path

from vciso.clientfile import ClientFile


def main() -> None:
    path, assessment_id, prefix, start, stop = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), \
        int(sys.argv[5])
    with ClientFile(Path(path)) as client:
        for index in range(start, stop):
            question_id = f"S0.0-{index:04d}"
            client.save_answer(assessment_id, question_id, current=index % 6, note=f"{prefix} {index}",
                               source=prefix)
            print(f"saved {question_id}", flush=True)


if __name__ == "__main__":
    main()
