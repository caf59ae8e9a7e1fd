#!/usr/bin/env python3
"""Prints Specification.md §12: the annotated hex dump of Fixtures/spec-example.col.

The file is parsed here independently of the Swift library, field by field as §3-§6 describe, so
the tables below the dump show what each byte means. Run from anywhere:
    python3 Tools/spec-hexdump.py > /tmp/section12.md
and paste the output over §12 of Specification.md.
"""
import os
import struct
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = open(os.path.join(ROOT, "Fixtures", "spec-example.col"), "rb").read()
PHYSICAL = {3: "Int32", 13: "String"}


def u(offset, size):
    return int.from_bytes(DATA[offset:offset + size], "little")


def hexbytes(offset, size):
    return " ".join(f"{b:02x}" for b in DATA[offset:offset + size])


def xxd():
    lines = []
    for start in range(0, len(DATA), 16):
        chunk = DATA[start:start + 16]
        groups = " ".join(chunk[i:i + 2].hex() for i in range(0, len(chunk), 2))
        text = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk)
        lines.append(f"{start:08x}: {groups:<39}  {text}")
    return "\n".join(lines)


def table(rows):
    out = ["| offset | size | bytes | field | value |", "|---:|---:|---|---|---|"]
    for offset, size, field, value in rows:
        shown = hexbytes(offset, size) if size <= 16 else hexbytes(offset, 8) + " …"
        out.append(f"| {offset} | {size} | `{shown}` | {field} | {value} |")
    return "\n".join(out)


def crc(value):
    return f"0x{value:08x}"


def main():
    size = len(DATA)
    d, dl = u(40, 8), u(48, 8)
    trailer = d + dl
    out = []
    out.append("## 12. Worked example\n")
    out.append(
        "`Fixtures/spec-example.col` (a golden test fixture) holds two columns of 3 rows: `id`, Int32 "
        "`[1, 2, 3]`, and `name`, String `[\"a\", \"bc\", null]`, written with the fixed file id "
        f"`00 01 … 0f`. It is {size} bytes long. This section is the output of `Tools/spec-hexdump.py`, "
        "which parses the file independently of the reference library; the fixture tests keep the "
        "file's bytes unchanged.\n")
    out.append("```text\n" + xxd() + "\n```\n")

    out.append("### 12.1 Header (bytes 0–63, §3)\n")
    out.append(table([
        (0, 8, "magic", "`\\x89COL\\r\\n\\x1a\\n`"),
        (8, 2, "major version", u(8, 2)),
        (10, 2, "minor version", u(10, 2)),
        (12, 4, "header length", u(12, 4)),
        (16, 4, "required feature flags", u(16, 4)),
        (20, 4, "optional feature flags", u(20, 4)),
        (24, 16, "file id", "`" + DATA[24:40].hex() + "`"),
        (40, 8, "directory offset D", d),
        (48, 8, "directory length DL", dl),
        (56, 4, "directory CRC-32", crc(u(56, 4)) + f" (CRC-32 of bytes {d}–{trailer - 1})"),
        (60, 4, "header CRC-32", crc(u(60, 4)) + f" (CRC-32 of bytes 0–59: {crc(zlib.crc32(DATA[0:60]))})"),
    ]) + "\n")

    records = d + u(d + 20, 4)
    record_length = u(d + 16, 4)
    columns = u(d + 4, 4)
    heap = d + u(d + 28, 4)
    names = []
    buffer_rows = []
    for index in range(columns):
        r = records + index * record_length
        name = DATA[heap + u(r, 4):heap + u(r, 4) + u(r + 4, 4)].decode()
        names.append(name)
        type_code = DATA[r + 8]
        for slot, role in enumerate(["validity", "offsets", "values"]):
            b = r + 56 + slot * 32
            offset, length, checksum = u(b, 8), u(b + 8, 8), u(b + 24, 4)
            if length == 0:
                continue
            raw = DATA[offset:offset + length]
            if role == "validity":
                meaning = "bits " + ", ".join(str((raw[0] >> i) & 1) for i in range(3)) + " (rows 0, 1 valid; row 2 null)"
            elif role == "offsets":
                meaning = "offsets " + ", ".join(str(v) for v in struct.unpack(f"<{length // 4}i", raw))
            elif type_code == 3:
                meaning = "Int32 " + ", ".join(str(v) for v in struct.unpack(f"<{length // 4}i", raw))
            else:
                meaning = f"UTF-8 `{raw.decode()}`: row 0 `a` = [0, 1), row 1 `bc` = [1, 3), row 2 empty"
            buffer_rows.append(
                f"| {offset} | {length} | `{raw.hex(' ')}` | `{name}` {role} | {meaning}; CRC-32 {crc(checksum)} |")

    out.append(f"### 12.2 Column buffers (bytes 64–{d - 1}, §6, §7)\n")
    out.append("Each buffer starts at a multiple of 64; the bytes between buffers are zero padding.\n")
    out.append("| offset | length | bytes | buffer | value |\n|---:|---:|---|---|---|\n" + "\n".join(buffer_rows) + "\n")

    out.append(f"### 12.3 Directory header (bytes {d}–{d + 63}, §5.1)\n")
    out.append("Offsets in the value column are relative to D, as stored.\n")
    out.append(table([
        (d, 4, "magic", "`CDIR`"),
        (d + 4, 4, "column count C", columns),
        (d + 8, 8, "row count R", u(d + 8, 8)),
        (d + 16, 4, "column record length RL", record_length),
        (d + 20, 4, "records offset", f"{u(d + 20, 4)} (absolute {records})"),
        (d + 24, 4, "name index offset", f"{u(d + 24, 4)} (absolute {d + u(d + 24, 4)})"),
        (d + 28, 4, "heap offset", f"{u(d + 28, 4)} (absolute {heap})"),
        (d + 32, 4, "heap length H", u(d + 32, 4)),
        (d + 36, 4, "file metadata offset", u(d + 36, 4)),
        (d + 40, 4, "file metadata length", f"{u(d + 40, 4)} (no file metadata)"),
        (d + 44, 20, "reserved", 0),
    ]) + "\n")

    for index in range(columns):
        r = records + index * record_length
        out.append(f"### 12.{4 + index} Column record {index}, `{names[index]}` (bytes {r}–{r + record_length - 1}, §5.2)\n")
        rows = [
            (r, 4, "name offset (in the heap)", u(r, 4)),
            (r + 4, 4, "name length", f"{u(r + 4, 4)} (`{names[index]}`)"),
            (r + 8, 1, "physical type", f"{DATA[r + 8]} ({PHYSICAL[DATA[r + 8]]})"),
            (r + 9, 1, "logical type", f"{DATA[r + 9]} (none)"),
            (r + 10, 1, "time unit", DATA[r + 10]),
            (r + 11, 1, "column flags", f"{DATA[r + 11]} ({'has a validity buffer' if DATA[r + 11] & 1 else 'no validity buffer'})"),
            (r + 12, 1, "codec", f"{DATA[r + 12]} (none)"),
            (r + 13, 1, "rank", DATA[r + 13]),
            (r + 14, 2, "reserved", 0),
            (r + 16, 8, "row count", u(r + 16, 8)),
            (r + 24, 8, "null count", u(r + 24, 8)),
            (r + 32, 4, "shape offset", u(r + 32, 4)),
            (r + 36, 4, "time zone offset", u(r + 36, 4)),
            (r + 40, 4, "time zone length", u(r + 40, 4)),
            (r + 44, 4, "column metadata offset", u(r + 44, 4)),
            (r + 48, 4, "column metadata length", u(r + 48, 4)),
            (r + 52, 4, "reserved", 0),
        ]
        for slot, role in enumerate(["validity", "offsets", "values"]):
            b = r + 56 + slot * 32
            if DATA[b:b + 32] == bytes(32):
                rows.append((b, 32, f"buffer {slot} ({role})", "absent (all zero)"))
                continue
            rows += [
                (b, 8, f"buffer {slot} ({role}): offset", u(b, 8)),
                (b + 8, 8, f"buffer {slot} ({role}): stored length", u(b + 8, 8)),
                (b + 16, 8, f"buffer {slot} ({role}): decoded length", u(b + 16, 8)),
                (b + 24, 4, f"buffer {slot} ({role}): CRC-32", crc(u(b + 24, 4))),
                (b + 28, 4, f"buffer {slot} ({role}): reserved", 0),
            ]
        rows.append((r + 152, 8, "reserved", 0))
        out.append(table(rows) + "\n")

    index_at = d + u(d + 24, 4)
    section = 4 + columns
    out.append(f"### 12.{section} Name index and heap (bytes {index_at}–{trailer - 1}, §5.3, §5.4)\n")
    rows = []
    for position in range(columns):
        entry = u(index_at + 4 * position, 4)
        rows.append((index_at + 4 * position, 4, f"name index entry {position}", f"column {entry} (`{names[entry]}`)"))
    padding = heap - (index_at + 4 * columns)
    if padding:
        rows.append((index_at + 4 * columns, padding, "padding to a multiple of 8", 0))
    for index in range(columns):
        r = records + index * record_length
        start, length = heap + u(r, 4), u(r + 4, 4)
        rows.append((start, length, f"heap: name of column {index}", f"`{names[index]}`"))
        padded = (length + 7) // 8 * 8
        if padded > length:
            rows.append((start + length, padded - length, "heap: padding to a multiple of 8", 0))
    out.append(table(rows) + "\n")
    out.append("`id` sorts before `name` as byte strings, so the name index is `0, 1`.\n")

    out.append(f"### 12.{section + 1} Trailer (bytes {trailer}–{size - 1}, §4)\n")
    out.append(table([
        (trailer, 8, "directory offset", f"{u(trailer, 8)} (= header offset 40)"),
        (trailer + 8, 8, "directory length", f"{u(trailer + 8, 8)} (= header offset 48)"),
        (trailer + 16, 4, "directory CRC-32", f"{crc(u(trailer + 16, 4))} (= header offset 56)"),
        (trailer + 20, 4, "reserved", 0),
        (trailer + 24, 8, "end magic", "`COLFEND\\n`"),
    ]))
    out.append(f"\nThe file size is D + DL + 32 = {d} + {dl} + 32 = {size}.")
    assert zlib.crc32(DATA[d:trailer]) == u(56, 4) and zlib.crc32(DATA[0:60]) == u(60, 4)
    print("\n".join(out))


main()
