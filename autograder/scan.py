"""Notes for the TA: a static look at the student's cells. Never a score, never the student's page.

Scores come from the values the student's functions return (:mod:`autograder.judge`),
whatever the code looks like; this scan only adds short notes to the ``review`` column
of ``grades.csv`` and a section of the TA's report ("patches numpy", "starts
processes"), for a human to look at. It reads the syntax tree after IPython's own input
transformations (so ``!pip install`` and ``_ = %pwd`` lines do not hide the rest of a
cell), never text, so comments, strings and ordinary code raise nothing.

Examples
--------
>>> scan_source("np.allclose = lambda *a, **k: True")
['patches numpy']
>>> scan_source("import math\\nx = [math.exp(-t) for t in range(3)]\\nprint(x)")
[]
>>> scan_source("!pip install numpy\\nimport subprocess")
['runs shell commands', 'starts processes']
"""

from __future__ import annotations

import ast

PATCHED_MODULES = {
    "np": "patches numpy",
    "numpy": "patches numpy",
    "math": "patches math",
    "builtins": "patches builtins",
    "__builtins__": "patches builtins",
    "sys": "patches sys",
    "lrcourse": "patches the grader",
    "grading": "patches the grader",
    "IPython": "patches IPython",
    "warnings": None,  # warnings.filterwarnings is fine; assigning attributes is odd but harmless
}
BANNED_IMPORTS = {
    "lrcourse": "imports the answer key or grader",
    "autograder": "imports the answer key or grader",
    "builtins": "patches builtins",
    "IPython": "patches IPython",
    "ctypes": "uses ctypes",
    "signal": "uses signals",
    "subprocess": "starts processes",
    "multiprocessing": "starts processes",
    "importlib": "dynamic import",
    "inspect": "inspects the grader's frames",
    "gc": "inspects the grader's objects",
    "sqlite3": "touches the gradebook",
    "shutil": "touches files",
    "socket": "uses the network",
    "urllib": "uses the network",
    "http": "uses the network",
    "requests": "uses the network",
    "threading": "starts threads",
    "atexit": "hooks interpreter exit",
}
BANNED_CALLS = {
    "os._exit": "exits the kernel",
    "sys.exit": "exits the kernel",
    "exit": "exits the kernel",
    "quit": "exits the kernel",
    "os.kill": "kills processes",
    "os.abort": "exits the kernel",
    "os.fork": "starts processes",
    "os.system": "starts processes",
    "os.popen": "starts processes",
    "get_ipython.system": "runs shell commands",
    "get_ipython.getoutput": "runs shell commands",
    "setattr": None,  # judged by its first argument below
    "__import__": "dynamic import",
    "eval": "dynamic code",
    "exec": "dynamic code",
    "compile": "dynamic code",
    "sys._getframe": "inspects the grader's frames",
    "open": "opens files",
    "vars": "reaches module internals",
    "os.remove": "touches files",
    "os.unlink": "touches files",
    "os.rename": "touches files",
    "os.replace": "touches files",
    "os.chmod": "touches files",
    "os.chdir": "touches files",
    "os.setrlimit": "changes resource limits",
    "resource.setrlimit": "changes resource limits",
}
BANNED_NAMES = {
    "SystemExit": "exits the kernel",
    "KeyboardInterrupt": "exits the kernel",
    "BaseException": "catches kernel exits",
    "excepthook": "patches IPython",
    "showtraceback": "patches IPython",
    "LRCOURSE_RECORD": "touches the grader's record",
    "environ": "reads the grader's environment",
    "__class__": "object tricks",
    "__subclasses__": "object tricks",
    "__globals__": "object tricks",
    "__builtins__": "reaches builtins",
    "__loader__": "object tricks",
}
LYING_DUNDERS = {"__eq__", "__ne__", "__bool__", "__array__", "__float__", "__array_ufunc__", "__array_function__"}


def _dotted(node):
    parts = []
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
        node = node.func if isinstance(node, ast.Call) else node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


class _Scanner(ast.NodeVisitor):
    def __init__(self):
        self.hits = []

    def hit(self, reason):
        if reason and reason not in self.hits:
            self.hits.append(reason)

    def _target(self, target):
        if isinstance(target, (ast.Attribute, ast.Subscript)):
            base = target.value if isinstance(target, ast.Subscript) else target
            name = _dotted(base)
            root = (name or "").split(".")[0]
            if isinstance(target, ast.Attribute) and root in PATCHED_MODULES or isinstance(target, ast.Subscript) and root in ("__builtins__", "sys", "builtins"):
                self.hit(PATCHED_MODULES[root])
        elif isinstance(target, ast.Name) and target.id in ("np", "numpy", "math", "check", "_lrcourse_record"):
            self.hit("rebinds " + target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._target(elt)

    def visit_Assign(self, node):
        for target in node.targets:
            self._target(target)
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        self._target(node.target)
        self.generic_visit(node)

    def visit_Delete(self, node):
        for target in node.targets:
            self._target(target)
        self.generic_visit(node)

    def visit_Import(self, node):
        for alias in node.names:
            root = alias.name.split(".")[0]
            if root in BANNED_IMPORTS:
                self.hit(BANNED_IMPORTS[root])
            if root == "os" and alias.asname:
                self.hit("hides os")
        self.generic_visit(node)

    def visit_ImportFrom(self, node):
        root = (node.module or "").split(".")[0]
        if root in BANNED_IMPORTS:
            self.hit(BANNED_IMPORTS[root])
        if root in ("os", "sys") and any(a.name in ("_exit", "exit", "kill", "abort", "system") for a in node.names):
            self.hit("exits the kernel")
        self.generic_visit(node)

    def visit_Call(self, node):
        name = _dotted(node.func)
        if name == "setattr" and node.args:
            root = (_dotted(node.args[0]) or "").split(".")[0]
            if PATCHED_MODULES.get(root):
                self.hit(PATCHED_MODULES[root])
        elif name in BANNED_CALLS:
            self.hit(BANNED_CALLS[name])
        self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in BANNED_NAMES:
            self.hit(BANNED_NAMES[node.id])
        self.generic_visit(node)

    def visit_Attribute(self, node):
        if node.attr in BANNED_NAMES:
            self.hit(BANNED_NAMES[node.attr])
        self.generic_visit(node)

    def visit_Constant(self, node):
        if isinstance(node.value, str) and ("lrcourse" in node.value or "autograder" in node.value):
            self.hit("mentions the answer key or grader")

    def visit_ClassDef(self, node):
        for item in node.body:
            if isinstance(item, ast.FunctionDef) and item.name in LYING_DUNDERS:
                self.hit("defines comparison tricks")
        for base in node.bases:
            if (_dotted(base) or "").endswith("ndarray"):
                self.hit("subclasses ndarray")
        self.generic_visit(node)


def _python(source):
    """The cell as plain Python, the way IPython runs it (magics become function calls)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - IPython missing or confused: read the text as it is
        return source


def scan_source(source):
    """Return the review notes for one cell's source (empty for ordinary code)."""
    try:
        tree = ast.parse(_python(source))
    except (SyntaxError, ValueError, RecursionError):
        return []  # a syntax error fails on its own
    scanner = _Scanner()
    scanner.visit(tree)
    return scanner.hits


def review_notes(nb, assignment):
    """Notes for the whole submission: every code cell the student could write (not test cells)."""
    tests = {t.grade_id for t in assignment.tests}
    notes = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if isinstance(meta, dict) and meta.get("grade_id") in tests:
            continue
        for note in scan_source(str(cell.get("source", ""))):
            if note not in notes:
                notes.append(note)
    return notes
