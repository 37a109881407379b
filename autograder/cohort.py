"""Synthesise a cohort of student submissions from a release notebook.

The correct variants are data the demo reads, outside the installed package:
``demo_cohort/<assignment>.py`` at the course root (one file per assignment, plain source strings
written independently of the reference): correct solutions in several styles, in-place updates,
and text for the figure and written-answer cells. The wrong variants are the registered mistakes
of :mod:`lrcourse.mistakes`, one student each, so the judge and the cohort share one definition.
Broken files and tampering attempts are added here. Each student gets an
``expect`` entry saying what a correct grader must do with it.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import json
import re
from pathlib import Path

import nbformat

TAMPER_ALLCLOSE = '''    np.allclose = lambda *args, **kwargs: True
    np.isclose = lambda *args, **kwargs: True
    np.testing.assert_allclose = lambda *args, **kwargs: None
    return 0
'''
KERNEL_EXIT = "    import os\n    os._exit(1)\n"
ENDLESS = "    while True:\n        pass\n"
NOISY_PREFIX = "import sys\nprint('working on it', file=sys.stderr)\n"


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40].strip("_")


COHORT_FOLDER = "demo_cohort"


def variants(assignment_id, course_root=None):
    """The synthetic students' sources for one assignment (``demo_cohort/<assignment>.py``)."""
    from .course import find_course_root

    path = find_course_root(course_root) / COHORT_FOLDER / f"{assignment_id}.py"
    key = str(path)
    if key not in _LOADED:
        if not path.exists():
            raise FileNotFoundError(f"no demo cohort for {assignment_id}: {path}")
        spec = importlib.util.spec_from_file_location(f"demo_cohort_{assignment_id}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _LOADED[key] = module
    return _LOADED[key]


_LOADED = {}


def wrong_variants(assignment_id, course_root=None):
    """``{function: [(label, source), ...]}``: the wrong students of one assignment.

    They are the registered mistakes themselves (:mod:`lrcourse.mistakes`: the same source the
    judge runs to name a failure, so each student must be named with exactly that label), then
    the cohort's in-place updates (``MUTATING``), which the grader's mutation check names.
    """
    from lrcourse import mistakes

    v = variants(assignment_id, course_root)
    out = {}
    for function in v.CORRECT:
        wrongs = [(m.label, m.source) for m in mistakes.for_function(function)]
        wrongs += list(getattr(v, "MUTATING", {}).get(function, ()))
        if wrongs:
            out[function] = wrongs
    return out


def _fill(release_nb, sources):
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in sources:
            cell.source = sources[gid]
    return nb


def _def_line(source, function):
    """The ``def`` line and docstring of a release solution cell, without the stub."""
    return source.split("# YOUR CODE HERE")[0].rstrip() + "\n"


def build(release_path, assignment_id, dest, include_slow=True, packed=False):
    """Write ``dest/<student>/<assignment>/<notebook>.ipynb`` for every synthetic student.

    With ``packed=True`` the wrong variants are grouped (one of each function's mistakes per
    student) so the demo grades fewer notebooks; otherwise each mistake is its own student.

    Returns ``{student_id: expectation}`` where expectation is one of ``"full"``,
    ``"below_full"``, ``"zero"``, ``"flagged"`` (plus the flag expected).
    """
    release_path = Path(release_path)
    release_nb = nbformat.read(release_path, as_version=4)
    notebook = release_path.name
    v = variants(assignment_id)
    functions = list(v.CORRECT)
    expect = {}

    def save(student, nb, name=notebook, raw=None):
        folder = Path(dest) / student / assignment_id
        folder.mkdir(parents=True, exist_ok=True)
        if raw is not None:
            (folder / name).write_text(raw)
        else:
            nbformat.write(nb, folder / name)

    base = {fn: v.CORRECT[fn][0][1] for fn in functions}
    base.update(getattr(v, "EXTRA", {}))
    n_styles = max(len(styles) for styles in v.CORRECT.values())
    for i in range(n_styles):
        sources = dict(base)
        sources.update({fn: styles[i % len(styles)][1] for fn, styles in v.CORRECT.items()})
        save(f"correct_style{i + 1}", _fill(release_nb, sources))
        expect[f"correct_style{i + 1}"] = ("full", None)
    wrong = wrong_variants(assignment_id)
    if packed:  # student k makes the k-th listed mistake of every function (a smaller cohort)
        for k in range(max(len(w) for w in wrong.values())):
            chosen = {fn: wrongs[k] for fn, wrongs in wrong.items() if k < len(wrongs)}
            student = f"mistakes_set{k + 1:02d}"
            save(student, _fill(release_nb, {**base, **{fn: src for fn, (_, src) in chosen.items()}}))
            expect[student] = ("below_full", {fn: label for fn, (label, _) in chosen.items()})
    else:
        for fn, wrongs in wrong.items():
            for label, src in wrongs:
                student = f"wrong_{fn}_{_slug(label)}"[:60].strip("_")
                save(student, _fill(release_nb, {**base, fn: src}))
                expect[student] = ("below_full", fn)
    save("blank", release_nb)
    expect["blank"] = ("zero", None)
    save("broken_json", None, raw='{"cells": [ this is not json')
    expect["broken_json"] = ("zero", "invalid_notebook")
    (Path(dest) / "no_notebook" / assignment_id).mkdir(parents=True, exist_ok=True)
    (Path(dest) / "no_notebook" / assignment_id / "notes.txt").write_text("forgot to upload")
    expect["no_notebook"] = ("zero", "missing")
    save("renamed_copy", _fill(release_nb, base), name=f"Copy of {notebook}")
    expect["renamed_copy"] = ("full", "renamed")
    first = functions[0]
    noisy = {**base, first: NOISY_PREFIX + base[first]}
    save("prints_to_stderr", _fill(release_nb, noisy))
    expect["prints_to_stderr"] = ("full", None)
    tamper = {**base, first: _def_line(_release_source(release_nb, first), first) + TAMPER_ALLCLOSE}
    save("tamper_allclose", _fill(release_nb, tamper))
    expect["tamper_allclose"] = ("below_full", first)  # patching numpy buys nothing; a review note
    last = functions[-1]
    dying = {**base, last: _def_line(_release_source(release_nb, last), last) + KERNEL_EXIT}
    save("kernel_exit", _fill(release_nb, dying))
    expect["kernel_exit"] = ("flagged", "kernel_died")
    if include_slow:
        endless = {**base, last: _def_line(_release_source(release_nb, last), last) + ENDLESS}
        save("endless_loop", _fill(release_nb, endless))
        expect["endless_loop"] = ("below_full", last)
    (Path(dest) / "expectations.json").write_text(json.dumps(expect, indent=1))
    return expect


def _release_source(nb, grade_id):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return cell.source
    raise KeyError(grade_id)
