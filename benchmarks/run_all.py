"""Run every benchmark with its defaults, then regenerate docs/performance.md."""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in ("bench_build.py", "bench_spiders.py", "load.py"):
    if (HERE / script).exists():
        print(f"== {script}", flush=True)
        subprocess.run([sys.executable, str(HERE / script)], check=True)
subprocess.run([sys.executable, str(HERE / "report.py")], check=True)
