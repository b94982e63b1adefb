#!/usr/bin/env python3
"""Letter length: words and lines per letter body, over a folder of .eml drafts.

    python3 benches/letters.py DIR [DIR ...]

Prints, per folder: letters, median and largest word count, median and largest line
count (non-empty lines), and the largest number of words outside the incident lines
("- " lines). Used for the README's before/after table of the letters.
"""
import email
import statistics
import sys
from email import policy
from pathlib import Path


def body_of(path):
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""


def main(dirs):
    for d in dirs:
        words, lines, outside = [], [], []
        for path in sorted(Path(d).glob("*.eml")):
            body = body_of(path)
            text_lines = [l for l in body.splitlines() if l.strip()]
            words.append(sum(len(l.split()) for l in text_lines))
            lines.append(len(text_lines))
            outside.append(sum(len(l.split()) for l in text_lines if not l.lstrip().startswith("- ")))
        if not words:
            print(f"{d}: no letters")
            continue
        print(
            f"{d}: {len(words)} letters; words median {statistics.median(words):g}, largest {max(words)}; "
            f"lines median {statistics.median(lines):g}, largest {max(lines)}; "
            f"words outside incident lines, largest {max(outside)}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
