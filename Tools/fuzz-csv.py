#!/usr/bin/env python3
"""Random CSV-like inputs for `colfile import`, the same property as Tests/ColFileCLITests/CSVSweepTests
but as many runs as asked for, against any build of the tool:

    python3 Tools/fuzz-csv.py .build-tools/release/colfile RUNS SEED

Each run writes up to 200 pieces (delimiters, quotes, CR, LF, numbers, dates, non-UTF-8 bytes, a
byte-order mark, ...) after an optional header, imports it with a random --schema / --no-header /
--delimiter, and checks: exit status 0, 1 or 2 with exactly one stderr line when not 0; when 0, the
file verifies, exports, and imports back with --schema "$(colfile inspect --schema)" to the same
checksums. Failing inputs are kept as crash-*, verify-* or roundtrip-* files in the current folder.
"""
import random, subprocess, sys, os
B = sys.argv[1]; runs = int(sys.argv[2]); seed = int(sys.argv[3])
rng = random.Random(seed)
alphabet = [b",", b'"', b"\n", b"\r", b"a", b"1", b"0", b".", b"-", b"e", b"T", b":", b"Z", b"2024-01-02", b"12:30", b" ",
            "é".encode(), b"\xff", b"\xc3", b"NA", b"true", b"[", b"]", b"1e400", b"9999999999999999999", b"\t", b";", b"\xef\xbb\xbf"]
schemas = [None, "a:int8", "a:float16[2]", "a:binary", "a:timestamp(s)", "a:uint64", "b:date", "a:timestamptz", "b:bool", "a:int64[1x2]"]
bad = 0
for run in range(runs):
    data = b"a,b\n" if rng.random() < 0.7 else b""
    data += b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
    with open("in.csv", "wb") as f: f.write(data)
    args = [B, "import", "-q"]
    s = rng.choice(schemas)
    if s: args += ["--schema", s]
    if rng.random() < 0.2: args += ["--no-header"]
    if rng.random() < 0.1: args += ["--delimiter", ";"]
    args += ["in.csv", "out.col"]
    p = subprocess.run(args, capture_output=True)
    line_ends = p.stderr.count(b"\n") + p.stderr.count(b"\r")
    if p.returncode not in (0, 1, 2) or line_ends != (0 if p.returncode == 0 else 1):
        bad += 1
        with open(f"crash-{seed}-{run}.csv", "wb") as f: f.write(data)
        print("BAD", p.returncode, args, p.stderr[-500:])
    elif p.returncode == 0:
        v = subprocess.run([B, "verify", "out.col"], capture_output=True)
        if v.returncode != 0:
            bad += 1; print("VERIFY FAIL", args, v.stderr); open(f"verify-{seed}-{run}.csv","wb").write(data)
        e = subprocess.run([B, "export", "out.col"], capture_output=True)
        if e.returncode != 0:
            bad += 1; print("EXPORT FAIL", args, e.stderr)
        sp = subprocess.run([B, "inspect", "--schema", "out.col"], capture_output=True)
        if sp.returncode != 0:
            continue  # a column name with a comma: --schema cannot spell it
        schema = sp.stdout.decode().strip()
        open("back.csv", "wb").write(e.stdout)
        r = subprocess.run([B, "import", "-q", "--schema", schema, "back.csv", "back.col"], capture_output=True)
        c1 = subprocess.run([B, "checksum", "out.col"], capture_output=True).stdout
        c2 = subprocess.run([B, "checksum", "back.col"], capture_output=True).stdout
        if r.returncode != 0 or c1 != c2:
            bad += 1; print("ROUNDTRIP FAIL", args, r.stderr, schema); open(f"roundtrip-{seed}-{run}.csv","wb").write(data)
print(f"{runs} runs, {bad} bad")
