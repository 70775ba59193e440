"""Merge translation files (YAML: "English msgid": "translation") into a language's catalogue.

Features write their new strings to hue_literacy/translations/pending/*.yaml; after
`make translations` this fills the empty or fuzzy entries of the .po and lists what is still
missing (exit 1 if anything is).
Usage: python scripts/merge_translations.py [--lang vi] [FILE.yaml ...]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "hue_literacy" / "translations"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", default="vi")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    files = args.files or sorted((TRANSLATIONS / "pending").glob("*.yaml"))
    mapping: dict[str, str] = {}
    for path in files:
        mapping.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    po_path = TRANSLATIONS / args.lang / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalogue = read_po(handle)
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        plural = not isinstance(message.id, str)
        key = message.id[0] if plural else message.id  # plurals are keyed by the singular
        empty = not all(message.string) if plural else not message.string
        if key in mapping and (empty or message.fuzzy):
            text = mapping[key]
            message.string = (text,) * catalogue.num_plurals if plural else text
            message.flags.discard("fuzzy")
        elif empty or message.fuzzy:
            missing.append(key)
    with po_path.open("wb") as handle:
        write_po(handle, catalogue, width=100, omit_header=False)
    for key in missing:
        print(f"missing: {key!r}")
    print(f"{len(missing)} message(s) without a {args.lang} translation")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
