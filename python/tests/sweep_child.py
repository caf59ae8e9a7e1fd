"""Run by test_hostile.py in a child process under an address-space limit and a timeout.

    python sweep_child.py truncate|flip|reseal SEED CASES FIXTURE...

Feeds each case to the reader (open, then every value of every column, then verify) and prints a
JSON summary; exits 1 with a traceback when anything but ColFileError escapes.
"""

import json
import random
import struct
import sys
import traceback
import zlib
from collections import Counter

import colfile
from support import FIXTURES, describe

CAP = 64 << 20  # the reader's decode cap for the sweep (the Swift fuzzer runs under 512 MiB)


def exercise(data: bytes, name: str) -> str:
    try:
        reader = colfile.Reader.from_bytes(data, name, max_decoded_bytes=CAP)
    except colfile.ColFileError as error:
        return "open:" + error.code
    try:
        for name in reversed(reader.names):  # first uses out of file order, found by lookups (§9)
            reader.info(name)
        for info in reader.columns:  # random access to cold columns, one chunk at a time
            if info.is_compressed and info.row_count:
                chunked = reader.chunked(info.name)
                for row in (0, info.row_count // 2, info.row_count - 1):
                    chunked[row]
        describe(reader)
        reader.to_arrow()
        reader.verify()
    except colfile.ColFileError as error:
        return "read:" + error.code
    return "ok"


def reseal(data: bytearray) -> None:
    """Recomputes the directory and header checksums (and the trailer's copy), so a mutation in the
    directory reaches the checks after them (as the Swift fuzzer does)."""
    if len(data) < 96:
        return
    offset, length = struct.unpack_from("<QQ", data, 40)
    if offset + length + 32 != len(data):
        return
    crc = zlib.crc32(bytes(data[offset:offset + length])) & 0xFFFFFFFF
    struct.pack_into("<I", data, 56, crc)
    struct.pack_into("<I", data, offset + length + 16, crc)
    struct.pack_into("<I", data, 60, zlib.crc32(bytes(data[:60])) & 0xFFFFFFFF)


def cases(mode: str, seed: int, count: int, fixture: str):
    original = (FIXTURES / f"{fixture}.col").read_bytes()
    if mode == "truncate":
        step = 1 if count <= 0 else max(1, len(original) // count)
        for length in range(0, len(original), step):
            yield f"{fixture}[:{length}]", original[:length]
        return
    rng = random.Random(f"{seed}-{fixture}-{mode}")
    for case in range(count):
        data = bytearray(original)
        if mode == "reseal":
            offset = struct.unpack_from("<Q", data, 40)[0]
            position = rng.randrange(offset, offset + struct.unpack_from("<Q", data, 48)[0])
        else:
            position = rng.randrange(len(data))
        flips = rng.choice([1, 1, 1, 2, 8])
        for _ in range(flips):
            data[position] ^= 1 << rng.randrange(8)
            if rng.random() < 0.3:
                position = min(len(data) - 1, position + rng.randrange(1, 16))
        if mode == "reseal":
            reseal(data)
        yield f"{fixture}#{case}@{position}", bytes(data)


def main() -> int:
    mode, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    outcomes = Counter()
    for fixture in sys.argv[4:]:
        for label, data in cases(mode, seed, count, fixture):
            try:
                outcomes[exercise(data, label)] += 1
            except Exception:
                print(f"seed {seed}: {label}: an exception other than ColFileError escaped", file=sys.stderr)
                traceback.print_exc()
                return 1
    print(json.dumps(dict(outcomes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
