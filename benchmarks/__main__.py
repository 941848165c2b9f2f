"""`make bench`: the service's speed, each figure beside a baseline measured in the same run.

    python -m benchmarks [--quick] [--only 1,2,3,4,5] [--no-postgres] [--scan-packs N] [--scan-seed S]

1. Pack rendering      4. Request form (POST /requests/new) on an empty and a full database
2. Print batches       5. Queue throughput with one and two worker processes
   (the biggest file checked as the tests check a pack: pages, references, barcodes, fonts)
3. Phone menu under load (gunicorn on 127.0.0.1, signed whole calls)
6. Braille and audio copies: time to make and size, against the paper pack and speech alone
7. Sign-in: the password hash's parameters against argon2-cffi's defaults
8. Scanned returns read back against the truth, beside a fixed-threshold reader

Everything runs on 127.0.0.1, in a temporary folder, an embedded Redis and databases of its own (a SQLite
file; PostgreSQL databases `bench_<pid>_*` on 127.0.0.1:5432), all removed at the end. Every load is
bounded in time and in requests, and stops by itself. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import asdict, dataclass, replace

from benchmarks.table import Heading, Row, number, ratio, render

MENU_P99_TARGET_MS = 50.0
FORM_P95_TARGET_MS = 100.0
BATCH_RATIO_TARGET = 1.0  # building the biggest batch from the stored packs, against drawing them on one canvas
FLAT_MEMORY_TARGET = 1.10  # peak memory of the biggest batch at most this many times the smallest's
RENDER_RATIO_TARGET = 0.8  # render_request_packs against render_pack alone
THROUGH_RATIO_TARGET = 0.5  # requests through to a ready batch against many packs drawn in one PDF
WORKERS_RATIO_TARGET = 1.8  # two worker processes against one


@dataclass(frozen=True)
class Sizes:
    packs: int  # 1: personalised packs rendered each way
    batches: tuple[int, ...]  # 2: packs per print batch, smallest first
    callers: int  # 3: concurrent calls
    menu_seconds: float  # 3: how long they call
    form_existing: int  # 4: requests already in the database
    form_posts: int  # 4: requests logged through the form, per database state
    queue_packs: int  # 5: render jobs per worker run
    format_copies: int = 3  # 6: braille and audio copies made
    sign_ins: int = 50  # 7: password verifications each way
    scan_packs: int = 60  # 8: filled-in packs scanned at mixed resolutions (and as many again at 200 dpi)
    scan_seed: int = 0  # 8: added to every pack's seed, for a run on respondents and scans never seen before


FULL = Sizes(
    packs=1000,
    batches=(1000, 10_000),
    callers=50,
    menu_seconds=60,
    form_existing=100_000,
    form_posts=200,
    queue_packs=400,
    scan_packs=60,
)
QUICK = Sizes(
    packs=100,
    batches=(100, 300),
    callers=50,
    menu_seconds=10,
    form_existing=10_000,
    form_posts=30,
    queue_packs=30,
    format_copies=1,
    sign_ins=10,
    scan_packs=6,
)

_started = time.monotonic()


def say(message: str) -> None:
    elapsed = time.monotonic() - _started
    print(f"[{elapsed // 60:02.0f}:{elapsed % 60:04.1f}] {message}", file=sys.stderr, flush=True)


# 1. Pack rendering ---------------------------------------------------------------------------------


def pack_rows(sizes: Sizes) -> list[Row | Heading]:
    from benchmarks import bench_packs

    say(f"1 pack rendering: {sizes.packs:,} packs each way (benchmarks/bench_packs.py)")
    pages, rates = bench_packs.measure(sizes.packs, "standard")
    base = rates[bench_packs.BASELINE]
    rows: list[Row | Heading] = [
        Heading(f"1. Pack rendering: {sizes.packs:,} personalised standard packs, {pages} pages")
    ]
    for label, short in ((bench_packs.CACHED, "one PDF per pack"), (bench_packs.BATCH, "many packs in one PDF")):
        r = ratio(rates[label], base)
        rows.append(
            Row(
                f"cached layout, {short} (packs/s)",
                number(rates[label]),
                f"{number(base)} platypus from scratch",
                r,
                ">= 3x baseline",
                r is not None and r >= 3,
            )
        )
    return rows


# 2. Print batches ------------------------------------------------------------------------------------


def batch_rows(workspace, sizes: Sizes, kinds: list[str], context: dict) -> list[Row | Heading]:
    from benchmarks import print_batch

    rows: list[Row | Heading] = []
    context["batch_details"] = []
    for kind in kinds:
        say(f"2 print batches of {', '.join(f'{s:,}' for s in sizes.batches)} packs ({kind})")
        result = print_batch.run(workspace, sizes.batches, say, kind)
        rows += _batch_rows_of(result, sizes)
        context["batch_details"] += _batch_details(result)
    return rows


def _batch_rows_of(result, sizes: Sizes) -> list[Row | Heading]:
    from benchmarks import batch_checks

    kind = result.database
    rows: list[Row | Heading] = [
        Heading(
            f"2. Print batch ({kind})",
            "requests logged with create_request, rendered with render_request_packs (each pack's PDF to the file "
            "store), claimed with create_print_batch, built by build_batch_file (the stored PDFs copied in, shared "
            "fonts and pages once); baselines: the same packs drawn on one canvas saved at the end (also the raw "
            "many-packs-in-one-PDF rate), and render_pack alone on every tenth request's packs straight after its "
            "job (the raw one-PDF-per-pack rate); each build in a fresh child process, peak = VmHWM reset just before the build; the "
            f"{sizes.batches[-1]:,}-pack file then checked as the tests check a pack, after its build was timed and "
            "before it is removed (benchmarks/batch_checks.py: pdfinfo pages against the database, one pdftotext "
            "-layout for the cover sheet and every page's reference and page number, pdftoppm at 200 dpi and "
            f"zbarimg on every page of {batch_checks.BARCODE_PACKS} packs spread through it, pdffonts for every font)",
        )
    ]
    small, big = sizes.batches[0], sizes.batches[-1]
    for size in sizes.batches:
        built, naive = result.builds[("streamed", size)], result.builds[("one_canvas", size)]
        is_big = size == big
        build_ratio = ratio(built.seconds, naive.seconds)
        rows.append(
            Row(
                f"{kind}: batch of {size:,} packs: build time (s)",
                number(built.seconds),
                f"{number(naive.seconds)} one canvas",
                build_ratio,
                f"<= {BATCH_RATIO_TARGET:.1f}x one canvas" if is_big else "-",
                (build_ratio is not None and build_ratio <= BATCH_RATIO_TARGET) if is_big else None,
            )
        )
        rows.append(
            Row(
                f"{kind}: batch of {size:,} packs: peak memory during build (MB)",
                number(built.peak_mb, 0),
                f"{number(naive.peak_mb, 0)} one canvas",
                ratio(built.peak_mb, naive.peak_mb),
            )
        )
    if len(sizes.batches) > 1:
        s_small, s_big = result.builds[("streamed", small)], result.builds[("streamed", big)]
        n_small, n_big = result.builds[("one_canvas", small)], result.builds[("one_canvas", big)]
        growth, naive_growth = s_big.peak_mb / s_small.peak_mb, n_big.peak_mb / n_small.peak_mb
        rows.append(
            Row(
                f"{kind}: peak memory, {big:,}-pack batch / {small:,}-pack batch",
                f"{growth:.2f}x",
                f"{naive_growth:.2f}x one canvas",
                None,
                f"<= {FLAT_MEMORY_TARGET:.2f}x (flat)",
                growth <= FLAT_MEMORY_TARGET,
            )
        )
    last = result.stages[big]
    earlier = result.stages[small].requests if len(sizes.batches) > 1 else 0
    rendered = big - earlier
    render_rate = rendered / (last.render - (result.stages[small].render if earlier else 0))
    raw = result.raw_render[big]
    r = ratio(render_rate, raw)
    rows.append(
        Row(
            f"{kind}: render_request_packs, packs {earlier + 1:,} to {big:,} (packs/s)",
            number(render_rate),
            f"{number(raw)} raw render_pack, one PDF per pack",
            r,
            f">= {RENDER_RATIO_TARGET:.1f}x raw",
            r is not None and r >= RENDER_RATIO_TARGET,
        )
    )
    one_canvas_rate = big / result.builds[("one_canvas", big)].seconds
    r = ratio(last.packs_per_second, one_canvas_rate)
    rows.append(
        Row(
            f"{kind}: {big:,} requests through to a ready batch (packs/s)",
            number(last.packs_per_second),
            f"{number(one_canvas_rate)} raw many packs in one PDF",
            r,
            f">= {THROUGH_RATIO_TARGET:.1f}x raw",
            r is not None and r >= THROUGH_RATIO_TARGET,
        )
    )
    check = result.builds[("streamed", big)].check
    rows.append(
        Row(
            f"{kind}: {big:,}-pack batch file passes the pack checks",
            _check_summary(check),
            "-",
            None,
            "no problems",
            check.passed,
        )
    )
    return rows


def _check_summary(check) -> str:
    fonts = "see the problems" if any(p.startswith("fonts:") for p in check.problems) else "embedded, subset"
    return (
        f"{check.pages_found:,} pages; references {check.pages_with_reference:,}/{check.pack_pages:,} pack pages; "
        f"barcodes {check.barcodes_read}/{check.barcode_pages} sampled; {len(check.fonts)} fonts {fonts}"
    )


def _batch_details(result) -> list[str]:
    kind = result.database
    lines = [
        f"  {kind}: {size:,} requests through: log {s.create:.1f} s, render {s.render:.1f} s (render_request_packs), "
        f"claim {s.claim:.2f} s, build {s.build:.1f} s; raw render_pack {result.raw_render[size]:.1f} packs/s"
        for size, s in result.stages.items()
    ] + [
        f"  {kind}: {'copied' if mode == 'streamed' else 'one canvas'} {size:,}: {b.seconds:.1f} s, {b.pages:,} pages, "
        f"{b.file_mb:.1f} MB file, resident {b.start_mb:.0f} MB before, {b.peak_mb:.0f} MB at peak"
        for (mode, size), b in sorted(result.builds.items(), key=lambda item: (item[0][1], item[0][0]))
    ]
    big = result.sizes[-1]
    check = result.builds[("streamed", big)].check
    if check:
        lines.append(
            f"  {kind}: the {big:,}-pack batch file checked in {check.seconds:.1f} s: {check.pages_found:,} pages "
            f"of {check.pages_expected:,} expected, fonts {', '.join(check.fonts) or 'none'}; "
            + (f"{len(check.problems)} problem(s):" if check.problems else "no problems")
        )
        lines += [f"    {kind} batch file: {problem}" for problem in check.problems]
    return lines


# 3 and 4. The service under gunicorn: request form, then phone menu -----------------------------------


def web_rows(workspace, kind: str, sizes: Sizes, sections: set[int], notes: list[str]) -> dict[int, list]:
    import secrets

    from benchmarks import phone_menu, request_form
    from benchmarks.environment import bench_app, gunicorn, migrate_and_seed
    from benchmarks.requests_setup import bulk_insert_requests, settle_database
    from service.extensions import db

    database = workspace.database(kind, f"web_{kind.lower()}")
    app = bench_app(workspace, database)
    consultation_id = migrate_and_seed(app)
    with app.app_context():
        request_form.add_handler()
        db.session.remove()
    token = secrets.token_hex(16)
    out: dict[int, list] = {3: [], 4: []}
    with gunicorn(workspace, database, **phone_menu.server_settings(token)) as server_url:
        processes = os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1)))
        threads = os.environ.get("WEB_THREADS", "1")
        say(f"3/4 {kind}: gunicorn (gunicorn.conf.py: {processes} processes x {threads} thread(s)) at {server_url}")
        phone_menu.warm_up(server_url, token)
        if 4 in sections:
            say(f"4 {kind}: logging {sizes.form_posts} requests through the form on an empty database")
            empty = request_form.log_requests(server_url, consultation_id, sizes.form_posts, 0, seed=1)
        say(f"4 {kind}: bulk-inserting {sizes.form_existing:,} requests (callers, calls, requests, packs)")
        with app.app_context():
            seconds = bulk_insert_requests(consultation_id, sizes.form_existing)
            settled = settle_database()
            db.session.remove()
            db.engine.dispose()
        notes.append(
            f"{kind}: {sizes.form_existing:,} requests bulk-inserted in {seconds:.1f} s; "
            f"vacuum, statistics and checkpoint then {settled:.1f} s, before anything was timed"
        )
        if 4 in sections:
            say(f"4 {kind}: logging {sizes.form_posts} requests through the form with {sizes.form_existing:,} in")
            full = request_form.log_requests(server_url, consultation_id, sizes.form_posts, sizes.form_existing, 2)
            out[4] = _form_rows(kind, empty, full, notes)
        if 3 in sections:
            say(f"3 {kind}: {sizes.callers} callers for {sizes.menu_seconds:.0f} s, 1 s between steps")
            menu = phone_menu.play(server_url, token, kind, sizes.callers, sizes.menu_seconds)
            out[3] = _menu_rows(kind, menu, sizes, notes)
    return out


def _form_rows(kind: str, empty, full, notes: list[str]) -> list[Row]:
    rows = []
    for label, p in (("p50", 50), ("p95", 95)):
        is_p95 = p == 95
        rows.append(
            Row(
                f"{kind}: log a request, {full.existing_requests:,} in the database, {label} (ms)",
                number(full.p(p)),
                f"{number(empty.p(p))} empty database",
                ratio(full.p(p), empty.p(p)),
                f"< {FORM_P95_TARGET_MS:.0f} ms" if is_p95 else "-",
                (full.p(p) < FORM_P95_TARGET_MS and not full.errors) if is_p95 else None,
            )
        )
    for result in (empty, full):
        if result.errors:
            notes.append(
                f"{kind} form with {result.existing_requests:,} in: {result.errors} of "
                f"{result.errors + len(result.latencies_ms)} not saved ({'; '.join(result.problems)})"
            )
    return rows


def _triple(values: tuple[float, float, float, int, int]) -> str:
    p50, p95, p99, _, _ = values
    return f"{number(p50)} / {number(p95)} / {number(p99)}"


def _menu_rows(kind: str, menu, sizes: Sizes, notes: list[str]) -> list[Row]:
    from benchmarks.phone_menu import HEALTH

    health = menu.summary(HEALTH)
    every = menu.summary()
    rows = [
        Row(
            f"{kind}: GET /healthz, the baseline (n={health[3]:,})",
            _triple(health),
        )
    ]
    rows.append(
        Row(
            f"{kind}: every menu webhook, p50 / p95 / p99 (ms), n={every[3]:,}",
            _triple(every),
            f"{_triple(health)} /healthz",
            ratio(every[2], health[2]),
            f"p99 < {MENU_P99_TARGET_MS:.0f} ms",
            every[2] < MENU_P99_TARGET_MS,
        )
    )
    for label in menu.samples.step_labels():
        step = menu.summary(label)
        rows.append(
            Row(
                f"{kind}:   {label.removeprefix('POST ')} (n={step[3]:,})",
                _triple(step),
                f"{_triple(health)} /healthz",
                ratio(step[2], health[2]),
                f"p99 < {MENU_P99_TARGET_MS:.0f} ms",
                step[2] < MENU_P99_TARGET_MS,
            )
        )
    errors = every[4]
    rows.append(
        Row(
            f"{kind}: menu webhook errors (no answer, not 200, or the apology)",
            f"{errors:,} of {every[3]:,}",
            f"{health[4]:,} of {health[3]:,} /healthz",
            None,
            "0",
            errors == 0,
        )
    )
    cut_off = menu.calls_started - menu.calls_completed - menu.calls_failed
    rows.append(
        Row(
            f"{kind}: whole calls heard their reference",
            f"{menu.calls_completed:,} of {menu.calls_started:,}",
            "-",
            None,
            "every call not cut off",
            menu.calls_failed == 0,
        )
    )
    notes.append(
        f"{kind} phone menu: {menu.callers} callers, {menu.seconds:.0f} s, {menu.samples.requests:,} requests; "
        f"{menu.calls_completed} calls complete, {menu.calls_failed} failed, {cut_off} cut off by the time limit"
    )
    notes += [f"  {kind} menu error: {e}" for e in menu.samples.error_examples]
    notes += [f"  {kind} failed call: {f}" for f in menu.failures]
    return rows


# 5. Queue throughput -----------------------------------------------------------------------------------


def queue_rows(workspace, kinds: list[str], sizes: Sizes, context: dict) -> list[Row | Heading]:
    from benchmarks import queue_throughput

    runs = queue_throughput.run(workspace, kinds, sizes.queue_packs, say)
    rows: list[Row | Heading] = [
        Heading(
            "5. Queue throughput",
            f"{sizes.queue_packs:,} render jobs queued by create_request, worked by `python -m workers --burst` "
            "processes; rate from the first pack's rendered_at to the last's (start-up left out); baseline for "
            "1 worker: the same jobs (render_request_packs) called one after another in the benchmark's process",
        )
    ]
    by_key = {(r.database, r.workers): r for r in runs}
    for kind in kinds:
        zero, one, two = by_key[(kind, 0)], by_key[(kind, 1)], by_key[(kind, 2)]
        rows.append(
            Row(
                f"{kind}: 1 worker process (packs/min)",
                number(one.packs_per_minute, 0),
                f"{number(zero.packs_per_minute, 0)} jobs in-process",
                ratio(one.packs_per_minute, zero.packs_per_minute),
            )
        )
        rows.append(
            Row(
                f"{kind}: 2 worker processes (packs/min)",
                number(two.packs_per_minute, 0),
                f"{number(one.packs_per_minute, 0)} 1 worker",
                ratio(two.packs_per_minute, one.packs_per_minute),
                f">= {WORKERS_RATIO_TARGET:.1f}x 1 worker",
                two.packs_per_minute >= WORKERS_RATIO_TARGET * one.packs_per_minute,
            )
        )
    context["queue_details"] = [
        f"  {r.database} {f'{r.workers} worker(s)' if r.workers else 'in-process'}: {r.rendered}/{r.packs} rendered, {r.busy_seconds:.1f} s first to last, "
        f"{r.wall_seconds:.1f} s wall with start-up"
        for r in runs
    ]
    return rows


# 6. Braille and audio ------------------------------------------------------------------------------------


def format_rows(sizes: Sizes) -> list[Row | Heading]:
    from benchmarks import accessible_formats

    say(f"6 braille and audio: {sizes.format_copies} copies of each (benchmarks/accessible_formats.py)")
    f = accessible_formats.measure(sizes.format_copies)
    return [
        Heading(
            f"6. Braille and audio copies: median of {sizes.format_copies}",
            "each copy made as the render job makes it (liblouis UEB grade 2 and our BRF layout; espeak-ng en-gb, "
            "ffmpeg EBU R128 measurement, one gain, MP3); baselines: render_pack of the same reference (paper), "
            "espeak-ng alone writing WAV (audio)",
        ),
        Row(
            f"braille copy: make ({f.braille_pages} braille pages) (s)",
            number(f.braille_seconds, 3),
            f"{number(f.pack_seconds, 3)} paper pack",
            ratio(f.braille_seconds, f.pack_seconds),
            "within minutes",
            f.braille_seconds < 60,
        ),
        Row(
            "braille copy: BRF size (KB)",
            number(f.braille_kb),
            f"{number(f.pack_kb)} paper pack PDF",
            ratio(f.braille_kb, f.pack_kb),
        ),
        Row(
            "audio copy: make (s)",
            number(f.audio_seconds),
            f"{number(f.speech_only_seconds)} speech alone",
            ratio(f.audio_seconds, f.speech_only_seconds),
            "within minutes",
            f.audio_seconds < 120,
        ),
        Row(
            "audio copy: running time (min)",
            number(f.running_seconds / 60),
            f"{number(f.audio_seconds / 60, 2)} to make",
            ratio(f.running_seconds, f.audio_seconds),
        ),
        Row("audio copy: MP3 size (MB)", number(f.mp3_mb, 2), f"{number(f.wav_mb, 2)} WAV", ratio(f.mp3_mb, f.wav_mb)),
    ]


# 8. Scanned returns --------------------------------------------------------------------------------------

SCAN_IDENTIFIED_TARGET = 0.999
SCAN_AUTO_TARGET = 0.97
SCAN_ERRORS_TARGET = 0.5  # per 10,000 auto-accepted boxes
SCAN_PERSON_TARGET = 0.03
SCAN_PAGES_PER_SECOND_TARGET = 5.0


def scan_rows(sizes: Sizes, context: dict) -> list[Row | Heading]:
    from benchmarks import scan_reading
    from service.scans.trial import Tally

    result = scan_reading.run(sizes.scan_packs, say, sizes.scan_seed)
    mixed, at_200 = result.all_dpi, result.at_200
    both = Tally()
    both.add(mixed)
    both.add(at_200)
    rows: list[Row | Heading] = [
        Heading(
            "8. Scanned returns",
            f"{sizes.scan_packs} packs at mixed resolutions and {sizes.scan_packs} at 200 dpi (a third large print; "
            f"seeds {scan_reading.seeds_text(sizes.scan_packs, sizes.scan_seed)}), "
            "filled in by seeded respondents (ticks, crosses, fills, faint pencil, circles, strays, blanks, several "
            "boxes, handwriting), printed and scanned in software (rotation to 5 degrees, scale 96-102%, shift, "
            "keystone, blur, noise, JPEG, 1-bit dither, upside down, 150/200/300 dpi), read by service/scans in "
            f"{scan_reading.PROCESSES} processes; baseline: a fixed black-below-128 reader on the same aligned boxes",
        )
    ]
    identified_200 = at_200.identified / at_200.pages if at_200.pages else 0.0
    rows.append(
        Row(
            f"pages identified at 200 dpi ({at_200.identified:,} of {at_200.pages:,})",
            f"{100 * identified_200:.2f}%",
            f"{100 * mixed.identified / max(1, mixed.pages):.2f}% at 150-300 dpi",
            None,
            f">= {100 * SCAN_IDENTIFIED_TARGET:.1f}%",
            identified_200 >= SCAN_IDENTIFIED_TARGET,
        )
    )
    auto = both.auto_accepted / both.boxes if both.boxes else 0.0
    rows.append(
        Row(
            f"tick boxes auto-accepted ({both.auto_accepted:,} of {both.boxes:,})",
            f"{100 * auto:.2f}%",
            "100% (it has no doubt)",
            None,
            f">= {100 * SCAN_AUTO_TARGET:.0f}%",
            auto >= SCAN_AUTO_TARGET,
        )
    )
    rows.append(
        Row(
            f"errors per 10,000 auto-accepted boxes ({both.errors} errors)",
            number(both.errors_per_10k, 2),
            f"{number(both.baseline_errors_per_10k, 1)} fixed threshold ({both.baseline_errors} errors)",
            ratio(both.errors_per_10k, both.baseline_errors_per_10k),
            f"<= {SCAN_ERRORS_TARGET}",
            both.errors_per_10k <= SCAN_ERRORS_TARGET,
        )
    )
    person = both.to_person / both.boxes if both.boxes else 0.0
    rows.append(
        Row(
            f"tick boxes sent to a person ({both.to_person:,})",
            f"{100 * person:.2f}%",
            "0% (and all its errors stand)",
            None,
            f"<= {100 * SCAN_PERSON_TARGET:.0f}%",
            person <= SCAN_PERSON_TARGET,
        )
    )
    rows.append(
        Row(
            f"pages read per second, {scan_reading.PROCESSES} processes",
            number(result.pages_per_second, 1),
            f"{number(1 / result.single_page_seconds, 1)} one process (from per-page times)",
            ratio(result.pages_per_second, 1 / result.single_page_seconds),
            f">= {SCAN_PAGES_PER_SECOND_TARGET:.0f}",
            result.pages_per_second >= SCAN_PAGES_PER_SECOND_TARGET,
        )
    )
    context["scan_details"] = [
        f"  scans: {both.pages} pages, {both.identified} identified, {both.aligned} lined up and read",
        f"  scans: errors by mark {both.errors_by_kind or 'none'}; to a person by mark {both.unsure_by_kind or 'none'}",
    ]
    return rows


# The run ---------------------------------------------------------------------------------------------------


# 7. Sign-in ---------------------------------------------------------------------------------------------


SIGN_IN_TARGET_MS = 250.0  # a sign-in's hash well under the half second people notice


def sign_in_rows(sizes: Sizes) -> list[Row | Heading]:
    from benchmarks import sign_in

    say(f"7 sign-in: {sizes.sign_ins} password verifications each way (benchmarks/sign_in.py)")
    found = sign_in.measure(sizes.sign_ins)
    rows: list[Row | Heading] = [
        Heading(
            f"7. Sign-in: password check, {sign_in.parameters_text()} (OWASP's minimum)",
            f"{sizes.sign_ins} verifications of a correct password in one process, as a sign-in does; baseline: "
            "argon2-cffi's defaults (64 MiB, t=3, p=4), what the service used before, in the same run",
        )
    ]
    for which in ("p50", "p95"):
        value, base = found[f"chosen_{which}"], found[f"default_{which}"]
        rows.append(
            Row(
                f"verify, {which} (ms)",
                number(value),
                f"{number(base)} argon2-cffi defaults",
                ratio(value, base),
                f"< {SIGN_IN_TARGET_MS:.0f} ms",
                value < SIGN_IN_TARGET_MS,
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run of about two minutes")
    parser.add_argument("--only", default="1,2,3,4,5,6,7,8", help="sections to run, e.g. 3,4")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--no-sqlite", action="store_true", help="PostgreSQL only (a target counts only in a run on both)"
    )
    parser.add_argument(
        "--scan-packs",
        type=int,
        metavar="N",
        help="8: packs at mixed resolutions (and N more at 200 dpi); each has about 52 tick boxes, so showing "
        "0.5 errors per 10,000 needs about 200 (over 20,000 boxes)",
    )
    parser.add_argument("--scan-seed", type=int, default=0, metavar="S", help="8: added to every pack's seed")
    args = parser.parse_args(argv)
    sections = {int(s) for s in args.only.split(",") if s.strip()}
    sizes = QUICK if args.quick else FULL
    if args.scan_packs is not None:
        sizes = replace(sizes, scan_packs=args.scan_packs)
    sizes = replace(sizes, scan_seed=args.scan_seed)
    from benchmarks.scan_reading import sizes_problem

    problem = sizes_problem(sizes.scan_packs, sizes.scan_seed)
    if problem:
        parser.error(problem)

    from benchmarks.environment import Workspace, postgres_available

    kinds = [] if args.no_sqlite else ["SQLite"]
    notes: list[str] = ["SQLite skipped (--no-sqlite)"] if args.no_sqlite else []
    why_not = "switched off (--no-postgres)" if args.no_postgres else postgres_available()
    if why_not:
        notes.append(f"PostgreSQL skipped: {why_not}")
    else:
        kinds.append("PostgreSQL")
    run_name = "QUICK (smoke sizes, not the issue's)" if args.quick else "FULL (the issue's sizes)"
    sizes_text = ", ".join(f"{k}={v}" for k, v in asdict(sizes).items())
    say(f"sizes: {run_name}: {sizes_text}; sections {sorted(sections)}; databases {', '.join(kinds)}")

    load_before = os.getloadavg()[0]
    workspace = Workspace.open()
    context: dict = {}
    by_section: dict[int, list] = {}
    try:
        if 1 in sections:
            by_section[1] = pack_rows(sizes)
        if 2 in sections:
            by_section[2] = batch_rows(workspace, sizes, kinds, context)
        if sections & {3, 4}:
            by_section[3] = [
                Heading(
                    "3. Phone menu under load: p50 / p95 / p99 ms",
                    f"{sizes.callers} concurrent whole signed calls (service/ivr/walker.py) for "
                    f"{sizes.menu_seconds:.0f} s, 1 s between steps, against gunicorn on 127.0.0.1 with "
                    f"{sizes.form_existing:,} requests already in the database; baseline: GET /healthz in the same "
                    "server under the same load, through the same client; ratio on p99",
                )
            ]
            by_section[4] = [
                Heading(
                    "4. Request form",
                    f"the real POST /requests/new over HTTP to the same gunicorn, by one signed-in call handler "
                    f"(CSRF, session), {sizes.form_posts} new callers one after another, each POST timed to its "
                    f"redirect; baseline: the same on the empty database before {sizes.form_existing:,} were inserted",
                )
            ]
            for kind in kinds:
                found = web_rows(workspace, kind, sizes, sections, notes)
                by_section[3] += found[3]
                by_section[4] += found[4]
            for section in (3, 4):
                if section not in sections:
                    del by_section[section]
        if 5 in sections:
            say(f"5 queue throughput: {sizes.queue_packs} render jobs, 1 then 2 worker processes")
            by_section[5] = queue_rows(workspace, kinds, sizes, context)
        if 6 in sections:
            by_section[6] = format_rows(sizes)
        if 7 in sections:
            by_section[7] = sign_in_rows(sizes)
        if 8 in sections:
            by_section[8] = scan_rows(sizes, context)
    finally:
        say("removing the temporary folder, the embedded Redis and the benchmark databases")
        workspace.close()

    elapsed = time.monotonic() - _started
    print()
    print(f"Survey line benchmarks, {run_name}")
    print(f"Sizes: {sizes_text}")
    print(
        f"Machine: {os.cpu_count()} cores, {_cpu_model()}; load average {load_before:.2f} at the start, "
        f"{os.getloadavg()[0]:.2f} at the end (other work on the machine shows up in both figure and baseline)"
    )
    print()
    rows = [row for section in sorted(by_section) for row in by_section[section]]
    print(render(rows))
    print()
    print("How each section was measured:")
    for row in rows:
        if isinstance(row, Heading) and row.how:
            print(f"  {row.text.split(':')[0]}: {row.how}")
    details = context.get("batch_details", []) + context.get("queue_details", []) + context.get("scan_details", [])
    for line in [*notes, *(["Details:"] if details else []), *details]:
        print(line)
    print(f"Total time: {elapsed / 60:.1f} min")
    return 0


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
