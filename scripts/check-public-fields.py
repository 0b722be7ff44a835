#!/usr/bin/env python3
"""Lists the fields of public structs that have no default member initializer, and fails if any.

A field without one makes the docs' designated-initializer idiom (`{.max_deliveries = 3}`) warn
under -Wextra for every field left out (g++'s -Wmissing-field-initializers, clang 19's
-Wmissing-designated-field-initializers). Reference members and C headers (.h) are exempt.

    check-public-fields.py CLANGXX INCLUDE_DIR [GENERATED_INCLUDE_DIR]

Parses every public header with clang's JSON AST dump, filtered to wasmq's and wasi's names.
"""
import json
import pathlib
import subprocess
import sys
import tempfile


def documents(text):
    decoder, i = json.JSONDecoder(), 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return
        node, i = decoder.raw_decode(text, i)
        yield node


def walk(node, file, record_kind, found):
    loc = node.get("loc", {})
    file = loc.get("file") or loc.get("spellingLoc", {}).get("file") or file
    line = loc.get("line") or loc.get("spellingLoc", {}).get("line") or "?"
    if node.get("kind") == "FieldDecl" and record_kind == "struct" and file and file.endswith(".hpp"):
        public = node.get("access", "public") == "public"
        reference = node["type"]["qualType"].rstrip().endswith("&")
        if public and not reference and not node.get("hasInClassInitializer"):
            found.add(f"{file}:{line}: {node.get('name')} ({node['type']['qualType']})")
    if node.get("kind") == "CXXRecordDecl":
        record_kind = node.get("tagUsed", record_kind)
    for child in node.get("inner", []) or []:
        walk(child, file, record_kind, found)


def main():
    clangxx, include = sys.argv[1], pathlib.Path(sys.argv[2])
    includes = [f"-I{include}"] + [f"-I{extra}" for extra in sys.argv[3:]]
    headers = sorted(p.relative_to(include) for p in include.rglob("*.hpp"))
    with tempfile.NamedTemporaryFile("w", suffix=".cpp", delete=False) as unit:
        unit.write("".join(f"#include <{h}>\n" for h in headers))
    found = set()
    for name_filter in ("wasmq", "wasi"):
        dump = subprocess.run(
            [clangxx, "-std=c++23", "-fsyntax-only", *includes, "-Xclang", "-ast-dump=json",
             "-Xclang", f"-ast-dump-filter={name_filter}", unit.name],
            check=True, capture_output=True, text=True).stdout
        for document in documents(dump):
            walk(document, None, None, found)
    pathlib.Path(unit.name).unlink()
    for line in sorted(found):
        print(line)
    print(f"{len(headers)} public headers: {len(found)} public struct fields without a default member initializer")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
