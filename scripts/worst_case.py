"""Time the worst inputs under the size limits: reports of long digit runs, and a long PDF.

Long digit runs: ``training_data/dev/seed004.txt``, ``r004.txt`` (glued rows) and ``r011.txt`` (a legacy
indicator list) with every number made ``N`` random digits (N = 8, 20, 64; seeded by N), and
``seed004.txt`` with every number made 24 numbers of 64 digits (a 400 kB text of rows of long values:
the most items and digits a row is read with; the parser reads its first ``max_text_chars``); each is a text the parser has not seen, so its first
parse is timed (the row cache cannot answer). A long PDF: the dev PDF's pages repeated to
``--pages`` pages (default: the :attr:`~gxparse.limits.Limits.max_pdf_pages` limit), as they are and
turned a quarter (pages pdfium cannot lay out as pdfminer would, the pdfminer path's worst case), each
parsed twice, the second timed (its pages' text is what costs). CPU milliseconds of one parse each, warm, the heap
settled after each as a batch settles it (:func:`gxparse.batch_run.settle_heap`, its cost counted)::

    python scripts/worst_case.py
    python scripts/worst_case.py --pages 40 --digits 8 20
    python scripts/worst_case.py --keep /tmp/worst   # also write the inputs, to profile them:
    python scripts/profile_parse.py /tmp/worst/seed004-20.txt
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import tempfile
import time
from pathlib import Path

import gxparse
from gxparse.batch_run import settle_heap
from gxparse.limits import get_limits

DEV = Path(__file__).resolve().parent.parent / "training_data" / "dev"
REPORTS = ("seed004.txt", "r004.txt", "r011.txt")
DIGITS = (8, 20, 64)  # 64: the longest number the scanner keeps (a longer one is noise)
PDF = DEV / "r002.pdf"
CROWDED = ("seed004.txt", 24, 64)  # every number made 24 numbers of 64 digits, a space apart
ROTATED = 90  # degrees: pages pdfium cannot lay out as pdfminer would (read through pdfminer, or pdfium's own text)


def _long_digits(text: str, digits: int, numbers: int = 1) -> str:
    """``text`` with every number replaced by ``numbers`` numbers of ``digits`` random digits (no leading 0)."""
    rng = random.Random(digits)

    def number() -> str:
        return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(digits - 1))

    return re.sub(r"\d+", lambda m: " ".join(number() for _ in range(numbers)), text)


def _cpu_ms(run: object) -> float:
    """CPU ms of ``run()`` and of settling the heap after it, as a batch does after each input."""
    start = time.process_time()
    run()  # type: ignore[operator]
    settle_heap()
    return (time.process_time() - start) * 1000


def _long_pdf(pages: int, out: Path, rotation: int = 0) -> Path:
    """The dev PDF's pages repeated to ``pages`` pages, each turned by ``rotation`` degrees (pypdfium2, which the
    PDF reader already needs); a turned page is one pdfium cannot lay out as pdfminer would."""
    import pypdfium2 as pdfium

    source, long = pdfium.PdfDocument(str(PDF)), pdfium.PdfDocument.new()
    while len(long) < pages:
        long.import_pages(source, list(range(min(len(source), pages - len(long)))))
    for index in range(len(long)):
        long[index].set_rotation(rotation)
    long.save(str(out))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--digits", type=int, nargs="*", default=list(DIGITS))
    ap.add_argument("--pages", type=int, default=get_limits().max_pdf_pages, help="0: no PDF")
    ap.add_argument("--keep", type=Path, metavar="DIR",
                    help="write the inputs timed here (<report>-<digits>.txt, long.pdf) for scripts/profile_parse.py")
    args = ap.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    gxparse.parse_file(str(DEV / "r011.txt"))  # warm: imports, model, dictionaries
    settle_heap()
    for name in REPORTS:
        text = (DEV / name).read_text(encoding="utf-8")
        for digits in args.digits:
            mangled = _long_digits(text, digits)
            if args.keep:
                (args.keep / f"{Path(name).stem}-{digits}.txt").write_text(mangled, encoding="utf-8")
            print(f"{name} {digits} digits: {_cpu_ms(lambda: gxparse.parse(mangled)):.0f} ms", flush=True)
    name, numbers, digits = CROWDED
    crowded = _long_digits((DEV / name).read_text(encoding="utf-8"), digits, numbers)
    if args.keep:
        (args.keep / f"{Path(name).stem}-{numbers}x{digits}.txt").write_text(crowded, encoding="utf-8")
    print(f"{name} {numbers} numbers of {digits} digits: {_cpu_ms(lambda: gxparse.parse(crowded)):.0f} ms", flush=True)
    if args.pages:
        with tempfile.TemporaryDirectory() as tmp:
            for rotation, name, what in ((0, "long.pdf", ""), (ROTATED, "long-rotated.pdf", ", turned")):
                path = str(_long_pdf(args.pages, (args.keep or Path(tmp)) / name, rotation))
                gxparse.parse_file(path)
                settle_heap()
                ms = _cpu_ms(functools.partial(gxparse.parse_file, path))
                print(f"{PDF.name} repeated to {args.pages} pages{what}: {ms:.0f} ms", flush=True)


if __name__ == "__main__":
    main()
