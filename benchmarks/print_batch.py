"""Print batches: requests through to one batch, and the batch builder's time and peak memory.

The real pieces throughout: requests logged with `create_request`, packs rendered by the worker's job
`render_request_packs`, packs claimed with `create_print_batch`, and the batch written by the real builder
`build_batch_file` (each pack's stored PDF copied in, shared fonts and pages written once). The baseline draws
the same packs the naive way: one ReportLab canvas (`new_canvas` + `draw_pack`) saved at the end, which is also
the raw many-packs-in-one-PDF rate. Rendering is set beside the raw one-PDF-per-pack rate: `render_pack` alone on
every tenth request's packs, timed straight after that request's job, so both are measured on the same machine,
database and minute (a sample timed once at the end saw whatever the machine did in those few seconds: on two
busy cores its rate moved by a seventh between runs).

Each build runs in a fresh child process that reports its own peak resident memory during the build
(VmHWM, reset just before it), so one build's memory never hides in another's. The biggest batch file the
builder writes is then checked as the tests check a pack (benchmarks/batch_checks.py: page count, reference,
page number and barcode on its pages, fonts embedded), after its time and memory are read and before it is
removed, so the check is charged to neither.

    python -m benchmarks.print_batch child <streamed|one_canvas> <batch id> <database url> <redis url> <files dir>
        [--check]
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import asdict, dataclass

from benchmarks.batch_checks import BatchCheck
from benchmarks.environment import Database, Workspace, bench_app, migrate_and_seed
from benchmarks.people import people
from benchmarks.requests_setup import create_requests

MODES = ("one_canvas", "streamed")


@dataclass
class Build:
    mode: str
    packs: int
    seconds: float
    peak_mb: float
    start_mb: float
    pages: int
    file_mb: float
    check: BatchCheck | None = None  # the file checked as the tests check a pack (the biggest streamed batch only)

    @property
    def packs_per_second(self) -> float:
        return self.packs / self.seconds


@dataclass
class Stages:
    """Seconds for each step of requests through to one batch (the build from the streamed child)."""

    requests: int
    create: float
    render: float
    claim: float
    build: float

    @property
    def total(self) -> float:
        return self.create + self.render + self.claim + self.build

    @property
    def packs_per_second(self) -> float:
        return self.requests / self.total


@dataclass
class PrintBatchResult:
    database: str
    sizes: tuple[int, ...]
    builds: dict[tuple[str, int], Build]
    stages: dict[int, Stages]
    chunk_packs: int
    raw_render: dict[int, float]  # packs per second of render_pack alone, interleaved with each size's render jobs


RAW_EVERY = 10  # every tenth request's packs are also drawn by render_pack alone, for the same-run baseline


@dataclass
class RenderStage:
    job_seconds: float  # render_request_packs, summed over the requests (the raw draws left out)
    raw_packs: int
    raw_seconds: float  # render_pack alone on the sampled requests' packs

    @property
    def raw_rate(self) -> float:
        return self.raw_packs / self.raw_seconds


def _render_stage(request_ids: list[int]) -> RenderStage:
    """Render each request with the worker's job; after every RAW_EVERY-th, draw its packs with `render_pack` alone
    (contents loaded before the clock starts): interleaved, so the baseline shares every moment's conditions."""
    from service.dao.printing import load_packs
    from service.dao.requests import get_request
    from service.packs.assemble import pack_content
    from service.packs.render import render_pack
    from workers.jobs import render_request_packs

    stage = RenderStage(0.0, 0, 0.0)
    for number, request_id in enumerate(request_ids):
        started = time.perf_counter()
        render_request_packs(request_id)
        stage.job_seconds += time.perf_counter() - started
        if number % RAW_EVERY == 0:
            request = get_request(request_id)
            assert request is not None
            contents = [pack_content(pack) for pack in load_packs([pack.id for pack in request.live_packs])]
            started = time.perf_counter()
            for content in contents:
                render_pack(content)
            stage.raw_seconds += time.perf_counter() - started
            stage.raw_packs += len(contents)
    return stage


def _memory_mb(field: str) -> float:
    """VmRSS (resident now) or VmHWM (peak resident since start or the last reset) of this process, in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak_memory() -> None:
    """Start VmHWM again from the current resident size (Linux: write 5 to /proc/self/clear_refs).

    ru_maxrss cannot be used in this child: it is started by fork+exec (vfork) from the parent benchmark
    process, and Linux carries the parent's high-water mark across that exec into ru_maxrss.
    """
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def child(mode: str, batch_id: int, database_url: str, redis_url: str, files_dir: str, check: bool = False) -> dict:
    """Build one batch in this (fresh) process; return seconds, peak memory and pages, and (`check`) what checking
    the file found."""
    from pathlib import Path

    from benchmarks.batch_checks import check_batch_file
    from service import create_app, storage
    from service.dao.consultations import list_consultations
    from service.dao.printing import batch_pack_ids, get_batch, load_packs
    from service.models.consultations import UK
    from service.packs.assemble import consultation_facts, pack_content
    from service.packs.render import draw_pack, new_canvas, pack_layout
    from service.print_batches.builder import batch_file_key, build_batch_file

    app = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": redis_url,
            "FILE_STORE_DIR": files_dir,
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        for consultation in list_consultations():  # what the worker preloads before its first job
            pack_layout(consultation_facts(consultation), "standard")
        _reset_peak_memory()
        start_mb = _memory_mb("VmRSS")
        started = time.perf_counter()
        if mode == "streamed":
            build_batch_file(batch_id)
            batch = get_batch(batch_id)
            pages, path = batch.page_count, storage.path_for(batch_file_key(batch_id))
        else:
            # The naive builder: every pack of the batch on one canvas, saved once at the end.
            batch = get_batch(batch_id)
            path = storage.path_for(f"batches/one-canvas-{batch_id}.pdf")
            path.parent.mkdir(parents=True, exist_ok=True)
            with Path(path).open("wb") as handle:
                canvas = new_canvas(handle, batch.created_at.astimezone(UK).date(), title=f"Print batch {batch_id}")
                for pack in load_packs(batch_pack_ids(batch_id)):
                    draw_pack(canvas, pack_content(pack))
                pages = canvas.getPageNumber() - 1
                canvas.save()
        seconds = time.perf_counter() - started
        peak_mb = _memory_mb("VmHWM")  # before the check, which reads the whole batch from the database
        file_mb = path.stat().st_size / 1e6
        checked = asdict(check_batch_file(Path(path), batch_id)) if check else None
        path.unlink()
    return {
        "seconds": seconds,
        "peak_mb": peak_mb,
        "start_mb": start_mb,
        "pages": pages,
        "file_mb": file_mb,
        "check": checked,
    }


def _build_in_child(
    workspace: Workspace, database: Database, mode: str, batch_id: int, packs: int, check: bool = False
) -> Build:
    args = [mode, str(batch_id), database.url, workspace.redis_url, str(workspace.folder("files"))]
    args += ["--check"] if check else []
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.print_batch", "child", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{mode} build of {packs} packs failed:\n{done.stderr[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    checked = figures.pop("check")
    return Build(mode=mode, packs=packs, check=BatchCheck(**checked) if checked else None, **figures)


def run(workspace: Workspace, sizes: tuple[int, ...], say=print, kind: str = "SQLite") -> PrintBatchResult:
    """Grow one database to each size in turn: log, render, claim and build a batch of all of it."""
    from service.dao.printing import (
        cancel_batch,
        create_print_batch,
        get_batch,
        request_ids_waiting_for_pack,
    )
    from service.extensions import db
    from service.models import PrintFormat

    database = workspace.database(kind, f"print_batch_{kind.lower()}")
    app = bench_app(workspace, database)
    consultation_id = migrate_and_seed(app)
    builds: dict[tuple[str, int], Build] = {}
    stages: dict[int, Stages] = {}
    raw_render: dict[int, float] = {}
    logged = 0
    previous: Stages | None = None
    with app.app_context():
        chunk_packs = app.config["BATCH_CHUNK_PACKS"]
        batch = None
        for size in sizes:
            if batch is not None:  # give the last batch's packs back, so this batch holds every pack so far
                cancel_batch(get_batch(batch.id), None, "Benchmark")
            say(f"  print batch ({kind}): logging {size - logged:,} more requests (to {size:,})")
            started = time.perf_counter()
            create_requests(consultation_id, people(size - logged, seed=7, start=logged))
            created = time.perf_counter()
            say(
                f"  print batch ({kind}): rendering {size - logged:,} packs with render_request_packs "
                f"(and every {RAW_EVERY}th request's with render_pack alone, straight after)"
            )
            render = _render_stage(request_ids_waiting_for_pack())
            raw_render[size] = render.raw_rate
            rendered = time.perf_counter()
            batch = create_print_batch(consultation_id, PrintFormat.STANDARD)
            claimed = time.perf_counter()
            assert batch is not None and batch.pack_count == size, "every pack so far should be in the batch"
            db.session.remove()
            for mode in MODES:
                check = mode == "streamed" and size == sizes[-1]  # the builder's biggest file, as printed
                then = ", then checking the file" if check else ""
                say(f"  print batch ({kind}): building {size:,} packs ({mode.replace('_', ' ')}, child process{then})")
                builds[(mode, size)] = _build_in_child(workspace, database, mode, batch.id, size, check)
            batch = get_batch(batch.id)
            stages[size] = Stages(
                requests=size,
                create=(created - started) + (previous.create if previous else 0),
                render=render.job_seconds + (previous.render if previous else 0),
                claim=claimed - rendered,
                build=builds[("streamed", size)].seconds,
            )
            previous, logged = stages[size], size
        db.session.remove()
        db.engine.dispose()
    workspace.flush_redis()  # the render jobs create_request queued (nobody works them here)
    return PrintBatchResult(
        database=kind, sizes=sizes, builds=builds, stages=stages, chunk_packs=chunk_packs, raw_render=raw_render
    )


if __name__ == "__main__":
    if len(sys.argv) in (7, 8) and sys.argv[1] == "child" and sys.argv[7:] in ([], ["--check"]):
        mode, batch_id, database_url, redis_url, files_dir = sys.argv[2:7]
        print(json.dumps(child(mode, int(batch_id), database_url, redis_url, files_dir, check=len(sys.argv) == 8)))
    else:
        sys.exit(__doc__)
