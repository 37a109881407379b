"""One gradebook: `autograder grade --gradebook` into nbgrader's gradebook, the formgrader over HTTP, exports.

The README's instructor and TA sequence on a temporary copy of the course (source/,
release/, nbgrader_config.py; the repo's own gradebook is never touched): release with
``nbgrader generate_assignment`` (with the venv NOT on PATH: nbgrader_config.py finds
alembic), grade a Canvas zip into the gradebook, then check the gradebook through
nbgrader's API, start ``jupyter server`` with the formgrader on localhost, fetch the
submissions and a submission's page, hand-grade one written answer with the formgrader's
own PUT, and check ``nbgrader export``, ``nbgrader generate_feedback`` and ``autograder
export`` (csv and canvas) on the result.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import cohort
from autograder.course import load_assignment

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
A, NB = "ps1_update_rule", "update_rule"
BARE_PATH = "/usr/local/bin:/usr/bin:/bin"  # the venv's bin folder is not on it
XSS = "<script>window.lrcXSS = 1</script>"
pytestmark = pytest.mark.slow


def _gradebook(root):
    from nbgrader.api import Gradebook

    return Gradebook(f"sqlite:///{root / 'gradebook.db'}", "lrcourse")


def _cli(*args, cwd):
    cmd = [sys.executable, "-m", "autograder.cli", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=900)


def _nbgrader(*args, cwd):
    env = {**os.environ, "PATH": BARE_PATH}
    return subprocess.run([str(BIN / "nbgrader"), *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=600)


def _canvas_zip(base, root):
    """A Canvas download: a re-upload (-1, newer file id), a late one, broken JSON, another assignment's, ..."""
    subs = base / "cohort"
    cohort.build(root / "release" / A / f"{NB}.ipynb", A, subs, include_slow=False, packed=True)

    def nb(student):
        return subs / student / A / f"{NB}.ipynb"

    newest = nbformat.read(nb("correct_style2"), as_version=4)
    for cell in newest.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer_bounce":
            cell.source = "It bounces because r > 1 flips the sign each step. " + XSS
    files = {
        "doe_12345_67890_update_rule.ipynb": nb("correct_style1").read_bytes(),
        "smith_22222_70001_update_rule.ipynb": nb("mistakes_set01").read_bytes(),
        "smith_22222_70005_update_rule-1.ipynb": nbformat.writes(newest).encode(),
        "lee_LATE_33333_70002_update_rule.ipynb": nb("mistakes_set02").read_bytes(),
        "kim_44444_70003_update_rule.ipynb": b'{"cells": [ not json',
        "park_55555_70004_schedules.ipynb": (root / "release" / "ps2_schedules" / "schedules.ipynb").read_bytes(),
        "roe_66666_70006_update_rule.ipynb": nb("kernel_exit").read_bytes(),
        "ada_update_rule.ipynb": nb("blank").read_bytes(),  # not a Canvas name: no LMS id
    }
    path = base / "submissions.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    base = tmp_path_factory.mktemp("gradebook")
    root = base / "course"
    root.mkdir()
    for name in ("source", "release"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "nbgrader_config.py", root)
    release = _nbgrader("generate_assignment", A, "--force", cwd=root)
    archive = _canvas_zip(base, root)
    out = base / "graded"
    proc = _cli("grade", A, archive, "--out", out, "--workers", 2, "--timeout", 10, "--quiet", "--gradebook",
                "--course", root, cwd=root)
    rows = {r["student_id"]: r for r in csv.DictReader(open(out / "grades.csv"))} if proc.returncode == 0 else {}
    return {"root": root, "out": out, "proc": proc, "rows": rows, "release": release, "zip": archive}


def test_release_with_the_readme_command_and_grade(course):
    assert course["release"].returncode == 0, course["release"].stderr[-2000:]
    assert course["proc"].returncode == 0, course["proc"].stderr[-3000:]
    assert "gradebook:" in course["proc"].stdout


def test_canvas_names_late_resubmitted_and_ids(course):
    rows = course["rows"]
    assert set(rows) == {"doe", "smith", "lee", "kim", "park", "roe", "ada"}
    assert rows["smith"]["lms_id"] == "22222" and "resubmitted" in rows["smith"]["flags"]
    assert "late" in rows["lee"]["flags"] and "late" not in rows["smith"]["flags"]
    assert rows["park"]["flags"] == "wrong_assignment" and rows["kim"]["flags"] == "invalid_notebook"
    assert rows["ada"]["lms_id"] == ""
    assignment = load_assignment(course["root"], A)
    total = assignment.max_score + sum(assignment.manual_points.values())
    assert {r["total_points"] for r in rows.values()} == {f"{total:g}"}
    assert rows["doe"]["manual_points_pending"] == f"{sum(assignment.manual_points.values()):g}"
    assert rows["kim"]["manual_points_pending"] == "0"


def test_every_result_is_in_the_gradebook_with_the_verified_points(course):
    root, rows = course["root"], course["rows"]
    assignment = load_assignment(root, A)
    tests = [t.grade_id for t in assignment.tests]
    with warnings.catch_warnings(), _gradebook(root) as gb:
        warnings.simplefilter("ignore")
        students = {s.id: s.lms_user_id for s in gb.students}
        assert students == {sid: (r["lms_id"] or None) for sid, r in rows.items()}
        for sid, row in rows.items():
            nb = gb.find_submission_notebook(NB, A, sid)
            grades = {g.name: g for g in nb.grades}
            for gid in tests:  # nbgrader's grade = the judge's verified points, row for row
                assert grades[gid].auto_score == float(row[gid]), (sid, gid)
                assert not grades[gid].needs_manual_grade
            assert nb.score == pytest.approx(float(row["auto_score"]))
            problem = {f for f in row["flags"].split(";") if f} - {"late", "resubmitted"}
            assert nb.flagged == bool(problem), sid
            manual = [grades[g] for g in assignment.manual_ids]
            if row["flags"] in ("invalid_notebook", "wrong_assignment"):  # nothing to hand-grade
                assert all(g.auto_score == 0 and not g.needs_manual_grade for g in manual), sid
            elif sid != "ada":  # answers written: waiting for a grader
                assert all(g.auto_score is None and g.needs_manual_grade for g in manual), sid
        # ada handed in the release unchanged: nbgrader's determine_grade gives unanswered answers 0
        ada = {g.name: g for g in gb.find_submission_notebook(NB, A, "ada").grades}
        assert ada["answer_bounce"].auto_score == 0 and not ada["answer_bounce"].needs_manual_grade


def test_autograded_notebooks_where_the_formgrader_reads_them(course):
    root, rows = course["root"], course["rows"]
    hidden = load_assignment(root, A).hidden_lines
    for sid, row in rows.items():
        path = root / "autograded" / sid / A / f"{NB}.ipynb"
        nb = nbformat.read(path, as_version=4)
        meta = nb.metadata["lrcourse"]
        assert meta["flags"] == [f for f in row["flags"].split(";") if f] and meta["lms_id"] == row["lms_id"]
        text = json.dumps(nb.cells)
        assert "_lrcourse_record" not in text  # no recorder
        assert not [line for line in hidden if len(line) > 8 and line in text]
        assert (root / "submitted" / sid / A / "timestamp.txt").is_file()
        assert "Autograder" in nb.cells[0].source
    roe = nbformat.read(root / "autograded" / "roe" / A / f"{NB}.ipynb", as_version=4)
    ta = [c for c in roe.cells if "lrcourse-ta-notes" in c.metadata.get("tags", [])]
    assert ta and "DeadKernelError" in ta[0].source  # the cause, for the TA
    park = (root / "submitted" / "park" / A)
    assert (park / "park_55555_70004_schedules.ipynb").is_file() and not (park / f"{NB}.ipynb").exists()


class Formgrader:
    """``jupyter server`` with nbgrader's formgrader on localhost, in the course root."""

    def __init__(self, root):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [str(BIN / "jupyter"), "server", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={self.port}",
               f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={root}"]
        self.log = open(root / "jupyter-server.log", "w")
        self.proc = subprocess.Popen(cmd, cwd=root, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while True:
            try:
                if self.get("/formgrader/api/status")["status"]:
                    break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise
                time.sleep(0.5)

    def request(self, path, data=None, method="GET"):
        body = None if data is None else json.dumps(data).encode()
        req = urllib.request.Request(self.base + path, data=body, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read().decode()

    def get(self, path):
        return json.loads(self.request(path)[1])

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


@pytest.fixture(scope="module")
def hand_graded(course):
    """Hand-grade smith's written answer through the formgrader's HTTP API, as a grader's browser does."""
    server = Formgrader(course["root"])
    try:
        listing = server.get(f"/formgrader/api/submissions/{A}")
        notebooks = server.get(f"/formgrader/api/submitted_notebooks/{A}/{NB}")
        smith = next(n for n in notebooks if n["student"] == "smith")
        status, page = server.request(f"/formgrader/submissions/{smith['id']}/")
        grades = server.get(f"/formgrader/api/grades?submission_id={smith['id']}")
        answer = next(g for g in grades if g["name"] == "answer_bounce")
        _, put = server.request(f"/formgrader/api/grade/{answer['id']}", {"manual_score": answer["max_score"]},
                                method="PUT")
        after = server.get(f"/formgrader/api/submissions/{A}")
    finally:
        server.stop()
    return {"listing": listing, "notebooks": notebooks, "page": page, "status": status, "answer": answer,
            "put": json.loads(put), "after": after}


def test_formgrader_lists_every_submission(course, hand_graded):
    listing = {s["student"]: s for s in hand_graded["listing"]}
    assert set(listing) == set(course["rows"])
    assert all(s["autograded"] for s in listing.values())
    for sid, row in course["rows"].items():
        assert listing[sid]["score"] == pytest.approx(float(row["auto_score"]))
    flagged = {n["student"] for n in hand_graded["notebooks"] if n["flagged"]}
    assert {"kim", "park", "roe"} <= flagged and "smith" not in flagged


def test_formgrader_page_shows_the_verified_result_and_sanitises_html(hand_graded):
    page = hand_graded["page"]
    assert hand_graded["status"] == 200
    assert "[autograder]" in page and "It bounces because" in page
    assert "<script>window.lrcXSS" not in page  # the student's HTML does not run in the grader's browser


def test_hand_grade_through_the_formgrader_counts(course, hand_graded):
    answer, put = hand_graded["answer"], hand_graded["put"]
    assert answer["needs_manual_grade"] and answer["manual_score"] is None
    assert put["manual_score"] == answer["max_score"] and not put["needs_manual_grade"]
    before = {s["student"]: s["score"] for s in hand_graded["listing"]}
    after = {s["student"]: s["score"] for s in hand_graded["after"]}
    assert after["smith"] == pytest.approx(before["smith"] + answer["max_score"])


def test_nbgrader_export_and_generate_feedback_work_on_it(course, hand_graded):
    root = course["root"]
    proc = _nbgrader("export", cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    exported = {r["student_id"]: r for r in csv.DictReader(open(root / "grades.csv"))}
    smith = float(course["rows"]["smith"]["auto_score"]) + hand_graded["answer"]["max_score"]
    assert float(exported["smith"]["score"]) == pytest.approx(smith)
    proc = _nbgrader("generate_feedback", A, cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    hidden = load_assignment(root, A).hidden_lines
    for sid in course["rows"]:
        html_text = (root / "feedback" / sid / A / f"{NB}.html").read_text()
        assert "For the TA" not in html_text and "DeadKernelError" not in html_text, sid
        assert not [line for line in hidden if len(line) > 8 and line in html_text], sid
        assert "<script>window.lrcXSS" not in html_text


def test_autograder_export_has_the_hand_graded_point(course, hand_graded):
    root = course["root"]
    extra = hand_graded["answer"]["max_score"]
    smith = float(course["rows"]["smith"]["auto_score"]) + extra
    proc = _cli("export", "--format", "canvas", "--canvas-name", f"{A}=PS1 update rule (4242)", cwd=root)
    assert proc.returncode == 0, proc.stderr
    table = list(csv.reader(io.StringIO(proc.stdout)))
    assert table[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    column = table[0].index("PS1 update rule (4242)")
    assert table[1][0].strip() == "Points Possible"
    by_id = {row[1]: row for row in table[2:]}
    assert float(by_id["22222"][column]) == pytest.approx(smith) and by_id["22222"][0] == "smith"
    assert "ada" in proc.stderr  # no Canvas user id: said so
    proc = _cli("export", "--course", root, cwd=ROOT)
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    mine = {r["assignment"]: r for r in rows if r["student_id"] == "smith"}
    assert float(mine[A]["score"]) == pytest.approx(smith) and float(mine[A]["hand_graded"]) == extra
    assert float(mine["total"]["score"]) == pytest.approx(smith)
    manual = sum(load_assignment(root, A).manual_points.values())
    assert float(mine[A]["manual_points_pending"]) == pytest.approx(manual - extra)
    assert "resubmitted" in mine[A]["flags"]


def test_regrading_the_same_batch_keeps_the_hand_grade(course, hand_graded):
    root = course["root"]
    proc = _cli("grade", A, course["zip"], "--out", course["out"], "--workers", 2, "--timeout", 10, "--quiet",
                "--gradebook", "--course", root, cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    with warnings.catch_warnings(), _gradebook(root) as gb:
        warnings.simplefilter("ignore")
        grade = gb.find_grade("answer_bounce", NB, A, "smith")
        assert grade.manual_score == hand_graded["answer"]["max_score"] and not grade.needs_manual_grade


def test_missing_assignment_is_released_into_the_gradebook_without_touching_release(tmp_path):
    from autograder.gradebook import _expected_cells, _gradebook_cells, ensure_assignment

    for name in ("source", "release"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    before = (tmp_path / "release" / A / f"{NB}.ipynb").read_bytes()
    assignment = load_assignment(tmp_path, A)
    ensure_assignment(tmp_path, assignment)
    with warnings.catch_warnings(), _gradebook(tmp_path) as gb:
        warnings.simplefilter("ignore")
        assert _gradebook_cells(gb, assignment) == _expected_cells(assignment)  # every cell, with its points
    assert (tmp_path / "release" / A / f"{NB}.ipynb").read_bytes() == before
