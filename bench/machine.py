"""What the benchmarks ran on, and writing their sections of docs/performance.md."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from pathlib import Path


def _version(command: list[str]) -> str:
    try:
        output = subprocess.run(command, capture_output=True, text=True, timeout=10).stdout  # noqa: S603 - fixed programs
    except OSError:
        return "not found"
    match = re.search(r"\d+\.\d+(\.\d+)?", output)
    return match.group(0) if match else "unknown"


def describe() -> str:
    """One line: CPU model and cores, memory, kernel, Python, PostgreSQL and Redis versions."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s*(\d+)", meminfo.read_text())
        memory = f", {int(found.group(1)) / 1024 / 1024:.0f} GiB memory" if found else ""
    return (
        f"{os.cpu_count()} cores of {cpu}{memory}, Linux {platform.release()}, Python {platform.python_version()}, "
        f"PostgreSQL {_version(['psql', '--version'])}, Redis {_version(['redis-server', '--version'])}"
    )


def dataset_summary() -> str:
    """The size of the benchmark dataset, counted in the database the benchmark used."""
    from coaching.models import Community
    from learners.models import Action, Reflection
    from programmes.models import Membership, Programme

    def number(value: int) -> str:
        return f"{value:,}".replace(",", ".")  # Dutch thousands separator

    return (
        f"Dataset (`manage.py seed_bench`): {Programme.objects.unscoped().values('organisation').distinct().count()} "
        f"organisations, {Programme.objects.unscoped().count()} programmes (a fifth in each stage: plans being "
        "built, just started, activity period, at the harvest, closed), "
        f"{number(Membership.objects.unscoped().filter(role='participant').count())} participants, "
        f"{number(Community.objects.unscoped().count())} communities, "
        f"{number(Action.objects.unscoped().count())} actions and "
        f"{number(Reflection.objects.unscoped().count())} reflections."
    )


def write_section(document: Path, name: str, body: str) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->``, or append it."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = document.read_text() if document.exists() else "# Performance\n"
    block = f"{start}\n{body}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    document.parent.mkdir(exist_ok=True)
    document.write_text(text)
