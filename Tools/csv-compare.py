#!/usr/bin/env python3
"""Two builds of `colfile import` on the same random CSV-like inputs, for a change that must not
change what the import writes (the scanner, the value parsers):

    python3 Tools/csv-compare.py OLD_COLFILE NEW_COLFILE RUNS SEED [THREADS]

Each input is either random pieces (delimiters, quotes, CR, LF, CRLF, numbers, dates, timestamps
with zones, inf/nan, 18- and 19-digit integers, non-UTF-8 bytes) or well-formed rows of 3 columns
whose cells mix such pieces; 5% of them are 200,000-600,000 pieces long, crossing the scanner's
1 MiB read buffer and the import's blocks. Both builds import it with the same random
--no-header / --delimiter and with `--threads THREADS` (default 1; the big inputs span several
blocks, so 2 or more exercises the threaded conversion); the exit status, stderr, `colfile export`
and `colfile inspect --schema` must be the same. Differing inputs are kept as diff-SEED-RUN.csv in the working folder (a fresh
temporary folder, removed when none differ).
"""
import os
import random
import subprocess
import sys
import tempfile
A, B, runs, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
threads = sys.argv[5] if len(sys.argv) > 5 else "1"
rng = random.Random(seed)
alphabet = [b",", b'"', b"\n", b"\r", b"\r\n", b"a", b"1", b"0", b"7", b".", b"-", b"+", b"e", b"E", b"T", b":", b"Z", b"2024-01-02", b"12:30", b" ",
            "é".encode(), b"\xff", b"NA", b"true", b"False", b"1e400", b"9999999999999999999", b"123456789012345678", b"-922337203685477580", b"\t", b";",
            b"2024-01-02T03:04:05.123Z", b"+02:00", b"inf", b"nan", b"-Infinity", b"1.5", b"0.25", b"00", b"2013-01-01 10:00:00", b"+002024-02-29", b"1900-02-29"]
A, B = os.path.abspath(A), os.path.abspath(B)
os.chdir(tempfile.mkdtemp(prefix="csv-compare-"))
print("working in", os.getcwd())
bad = 0
ok = 0
for run in range(runs):
    big = rng.random() < 0.05
    data = b"a,b,c\n" if rng.random() < 0.8 else b""
    n = rng.randint(200000, 600000) if big else rng.randint(0, 300)
    pieces = alphabet if rng.random() < 0.5 else [p for p in alphabet if p not in (b'"', b"\xff")]
    if rng.random() < 0.5:
        data += b"".join(rng.choice(pieces) for _ in range(n))
    else:
        cells = [p for p in alphabet if p not in (b",", b"\n", b"\r", b"\r\n", b'"', b";", b"\xff")]
        col = [rng.sample(cells, rng.randint(1, 3)) for _ in range(3)]
        def cell(c):
            v = b"".join(rng.choice(col[c]) for _ in range(rng.randint(0, 2)))
            return b'"' + v + b'"' if rng.random() < 0.05 else v
        data += b"".join(b",".join(cell(c) for c in range(3)) + rng.choice([b"\n", b"\r\n"]) for _ in range(n))
    open("in.csv", "wb").write(data)
    opts = ["--threads", threads]
    if rng.random() < 0.2: opts += ["--no-header"]
    if rng.random() < 0.1: opts += ["--delimiter", ";"]
    outs = []
    for binary, out in ((A, "a.col"), (B, "b.col")):
        if os.path.exists(out): os.remove(out)
        p = subprocess.run([binary, "import", "-q", *opts, "in.csv", out], capture_output=True)
        res = [p.returncode, p.stderr.replace(out.encode(), b"X")]
        if p.returncode == 0:
            res.append(subprocess.run([binary, "export", out], capture_output=True).stdout)
            res.append(subprocess.run([binary, "inspect", "--schema", out], capture_output=True).stdout)
        outs.append(res)
    if outs[0] != outs[1]:
        bad += 1
        open(f"diff-{seed}-{run}.csv", "wb").write(data)
        print("DIFF", run, opts, [o[:2] for o in outs])
    ok += outs[0][0] == 0
print(f"{runs} inputs, {ok} imported, {bad} differing")
for name in ("in.csv", "a.col", "b.col"):
    if os.path.exists(name):
        os.remove(name)
if bad == 0:
    os.rmdir(os.getcwd())
