"""A Python worker of a draft made with the harness's FillJob columns (``value`` Float64 starting
null, ``count`` Int64 starting zero), run by test_drafts.py as a child process; the same job and
output lines as ``colfile harness-filler``:

    python draft_filler.py DRAFT [--stall-at N]

Claims ranges until none is left: row r gets value r * 0.25 + 1 and 1 added to its count (an
atomic add). A resumed range is cleared first. With ``--stall-at N`` it stops halfway through its
Nth claim, prints ``stalled INDEX`` and waits to be killed.
"""

import json
import os
import sys
import time

import colfile


def say(line: str) -> None:
    print(line, flush=True)


def main() -> None:
    path = sys.argv[1]
    stall_at = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--stall-at" else None
    draft = colfile.open_draft(path)
    values, counts, queue = draft.values("value"), draft.atomic("count"), draft.work_queue()
    report = {"pid": os.getpid(), "ranges": 0, "resumed": 0, "rows": 0}
    claims = 0
    while True:
        claim = queue.claim()
        if claim is None:
            break
        claims += 1
        say(f"claimed {claim.index} {claim.attempt}")
        if claim.resumed:
            draft.set_valid("value", claim.rows, False)
            for row in claim.rows:
                counts.store(0, row)
        rows = claim.rows[:len(claim.rows) // 2] if claims == stall_at else claim.rows
        values[rows.start:rows.stop] = [row * 0.25 + 1 for row in rows]
        draft.set_valid("value", rows)
        for row in rows:
            counts.load_then_add(1, row)
        if claims == stall_at:
            say(f"stalled {claim.index}")
            while True:
                time.sleep(60)
        claim.finish()
        report["ranges"] += 1
        report["rows"] += len(rows)
        report["resumed"] += claim.resumed
        say(f"done {claim.index}")
    say("report " + json.dumps(report))


if __name__ == "__main__":
    main()
