"""`make bench`: run every benchmark and write benchmarks/results.json (see benchmarks/harness.py).

python benchmarks/run.py [--sizes small,medium,large] [--runs 5] [--edits 200] [--output FILE]
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    # Run as a script (`python benchmarks/run.py`): make the repository root importable.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.harness import main

    raise SystemExit(main())
