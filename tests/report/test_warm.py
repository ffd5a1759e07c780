"""Warm kernels (report.warm): forked from a server that imported once, with papermill's semantics kept.

Each notebook still gets a process and a namespace of its own, a failing cell keeps the partial
notebook, a timeout interrupts the kernel, a kernel that dies is reported, and when the server is
absent or declines the notebook runs in a cold kernel.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import nbformat
import pytest

from liyang_ip.report import warm
from liyang_ip.report.runner import execute_job

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


# ------------------------------------------------------------------------------ no kernels needed
def test_kernel_prefix_recognises_only_ipykernel_commands():
    assert warm.kernel_prefix(["/v/bin/python", "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f",
                               "/k.json"]) == ["/v/bin/python", "-Xfrozen_modules=off"]
    assert warm.kernel_prefix(["python3", "-m", "ipykernel_launcher", "-f", "/k.json"]) == ["python3"]
    assert warm.kernel_prefix(["R", "--slave", "-e", "IRkernel::main()", "--args", "/k.json"]) is None
    assert warm.kernel_prefix(["python", "-m", "ipykernel_launcher"]) is None  # no connection file
    assert warm.kernel_prefix(["python", "ipykernel_launcher", "-f", "/k.json"]) is None  # not -m


def test_manager_wraps_only_the_servers_interpreter(tmp_path):
    prefix = warm.default_prefix()
    assert prefix and Path(prefix[0]).exists()
    cls = warm.manager_class(str(tmp_path / "s"), prefix)
    km = cls(kernel_name="python3")
    km.connection_file = str(tmp_path / "k.json")
    cmd = km.format_kernel_cmd()
    assert cmd[:3] == [prefix[0], "-I", str(warm.CLIENT)]
    assert cmd[3] == str(tmp_path / "s") and cmd[4] == "--"
    assert warm.kernel_prefix(cmd[5:]) == prefix  # the cold command follows, whole
    # Another interpreter (or other flags) than the server's: the command is left as it is.
    other = warm.manager_class(str(tmp_path / "s"), ["/elsewhere/python", *prefix[1:]])(kernel_name="python3")
    other.connection_file = str(tmp_path / "k.json")
    assert other.format_kernel_cmd()[0] != "-I" and str(warm.CLIENT) not in other.format_kernel_cmd()


def test_import_environment_and_switch(monkeypatch):
    env = {"PYTHONPATH": "/x", "MPLBACKEND": "agg", "HOME": "/root", "JPY_PARENT_PID": "1"}
    assert warm.import_environment(env) == {"PYTHONPATH": "/x", "MPLBACKEND": "agg"}
    for off in ("off", "0", "false", "NO"):
        monkeypatch.setenv(warm.ENV, off)
        assert not warm.enabled()
        with warm.server() as w:
            assert w is None
    monkeypatch.delenv(warm.ENV)
    assert warm.enabled() == hasattr(os, "fork")


def test_preload_modules_exist():
    # A name that does not import would send every kernel to start cold, silently slower.
    import importlib

    for name in warm.PRELOAD:
        importlib.import_module(name)


# ------------------------------------------------------------------------------------ with kernels
def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    params = nbformat.v4.new_code_cell("x0 = 0")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(s) for s in sources)]
    nbformat.write(nb, str(path))
    return path


def _spec(nb: Path, out: Path, w: dict | None, timeout: float | None = None) -> dict:
    return {"key": out.stem, "notebook": str(nb), "output": str(out), "parameters": {"x0": 1},
            "kernel": None, "cwd": str(nb.parent), "timeout": timeout, "capture_stderr": False,
            "analysis_cache": None, "warm": w}


def _stdout(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


FACTS = ("import os, sys, json, matplotlib\n"
         "print('FACTS' + json.dumps({'pid': os.getpid(), 'ppid': os.getppid(), 'cwd': os.getcwd(),\n"
         "    'warm': 'liyang_ip.charts' in sys.modules, 'x0': x0,\n"
         "    'leftover': 'LEFTOVER' in globals(), 'lw': matplotlib.rcParams['lines.linewidth'],\n"
         "    'probe': hasattr(matplotlib, '_liyang_probe'), 'env': os.environ.get('LIYANG_IP_TEST_ENV')}))")


def _facts(path: Path) -> dict:
    line = next(ln for ln in _stdout(path).splitlines() if ln.startswith("FACTS"))
    return json.loads(line[len("FACTS"):])


@pytest.mark.notebooks
def test_each_notebook_gets_a_fresh_forked_kernel(tmp_path, monkeypatch):
    monkeypatch.setenv("LIYANG_IP_TEST_ENV", "seen")
    work = tmp_path / "work"
    work.mkdir()
    dirty = _notebook(work / "a.ipynb", FACTS,
                      "LEFTOVER = 1\nimport matplotlib\nmatplotlib.rcParams['lines.linewidth'] = 7.5\n"
                      "matplotlib._liyang_probe = True")
    clean = _notebook(work / "b.ipynb", FACTS)
    with warm.server() as w:
        assert w is not None
        first = execute_job(_spec(dirty, tmp_path / "out" / "a.ipynb", w))
        second = execute_job(_spec(clean, tmp_path / "out" / "b.ipynb", w))
    assert first["status"] == second["status"] == "ok", (first, second)
    a, b = _facts(tmp_path / "out" / "a.ipynb"), _facts(tmp_path / "out" / "b.ipynb")
    # Forked from the server (the same parent for both), with the package already imported ...
    assert a["ppid"] == b["ppid"] != os.getpid()
    assert a["warm"] and b["warm"]
    assert a["pid"] != b["pid"]
    # ... but each its own process: nothing the first notebook did is seen by the second.
    assert not b["leftover"] and not b["probe"]
    assert b["lw"] == a["lw"] == 1.5  # matplotlib's default, not the 7.5 the first one set afterwards
    # The kernel's working directory, parameters and environment are this run's.
    assert a["cwd"] == str(work) and a["x0"] == 1 and a["env"] == "seen"


@pytest.mark.notebooks
def test_a_failing_cell_keeps_the_partial_notebook(tmp_path):
    nb = _notebook(tmp_path / "f.ipynb", "print('before the error')", "raise ValueError('boom')",
                   "print('after the error')")
    with warm.server() as w:
        res = execute_job(_spec(nb, tmp_path / "out" / "f.ipynb", w))
    assert res["status"] == "failed" and "ValueError: boom" in res["error"]
    text = _stdout(tmp_path / "out" / "f.ipynb")
    assert "before the error" in text and "after the error" not in text


def _gone(pid: int, within: float = 10.0) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # A zombie waiting for its parent to reap it is gone too.
        try:
            if Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z":
                return True
        except OSError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.notebooks
def test_timeout_interrupts_and_ends_the_forked_kernel(tmp_path):
    nb = _notebook(tmp_path / "t.ipynb", "import os\nprint('PID', os.getpid())", "import time\ntime.sleep(120)")
    t0 = time.monotonic()
    with warm.server() as w:
        res = execute_job(_spec(nb, tmp_path / "out" / "t.ipynb", w, timeout=3))
    assert res["status"] == "failed" and "Timeout" in res["error"]
    assert time.monotonic() - t0 < 60
    pid = int(next(ln for ln in _stdout(tmp_path / "out" / "t.ipynb").splitlines()
                   if ln.startswith("PID")).split()[1])
    assert _gone(pid), "the forked kernel outlived its notebook"


@pytest.mark.notebooks
def test_a_kernel_that_dies_is_reported(tmp_path):
    nb = _notebook(tmp_path / "d.ipynb", "print('alive')", "import os\nos._exit(3)", "print('never')")
    with warm.server() as w:
        res = execute_job(_spec(nb, tmp_path / "out" / "d.ipynb", w))
    assert res["status"] == "failed" and "Dead" in res["error"]
    assert "never" not in _stdout(tmp_path / "out" / "d.ipynb")


@pytest.mark.notebooks
def test_without_a_server_or_with_another_environment_the_kernel_starts_cold(tmp_path, monkeypatch):
    nb = _notebook(tmp_path / "c.ipynb", FACTS)
    prefix = warm.default_prefix()
    absent = {"socket": str(tmp_path / "no-such-socket"), "prefix": prefix}
    res = execute_job(_spec(nb, tmp_path / "out" / "c1.ipynb", absent))
    assert res["status"] == "ok", res
    cold = _facts(tmp_path / "out" / "c1.ipynb")
    assert not cold["warm"]  # a cold kernel has not imported the package before the notebook did
    with warm.server() as w:
        # A kernel environment with another PYTHONPATH than the server's may import other code: cold.
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
        res = execute_job(_spec(nb, tmp_path / "out" / "c2.ipynb", w))
    assert res["status"] == "ok", res
    assert not _facts(tmp_path / "out" / "c2.ipynb")["warm"]


@pytest.mark.notebooks
def test_ctrl_c_during_a_threaded_batch_ends_the_running_kernels(tmp_path, monkeypatch):
    from liyang_ip.report import runner
    from liyang_ip.report.runner import read_manifest, run_batch

    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    pids = tmp_path / "pids"
    pids.mkdir()
    for name in ("01_a", "02_b", "03_c"):
        _notebook(nbdir / f"{name}.ipynb",
                  f"import os, pathlib\npathlib.Path({str(pids)!r}, str(os.getpid())).write_text('')",
                  "import time\ntime.sleep(120)")

    # Ctrl-C arrives where the batch waits for its jobs, once two notebooks run. (A real SIGINT reaches
    # only the main thread, and test runners such as pytest-xdist may not run tests there.)
    real_wait = runner.wait

    def wait_until_interrupted(fs, timeout=None, return_when=None):
        end = time.monotonic() + 90
        while time.monotonic() < end and len(list(pids.iterdir())) < 2:
            done, _ = real_wait(fs, timeout=0.1, return_when=return_when)
            if done:
                return done, set(fs) - set(done)
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "wait", wait_until_interrupted)
    notebooks = sorted(nbdir.glob("*.ipynb"))
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_batch([{"x0": 2, "focus": "A"}], notebooks, tmp_path / "run", jobs=2, progress=False,
                  datasets={"None": {"fingerprint": None}})
    assert time.monotonic() - t0 < 100  # not the 120 s the cells sleep
    running = [int(p.name) for p in pids.iterdir()]
    assert len(running) == 2  # the third notebook never started
    assert all(_gone(pid) for pid in running), "a kernel outlived the interrupted batch"
    manifest = read_manifest(tmp_path / "run")
    assert manifest["runs"][-1].get("interrupted") is True
    assert not list((tmp_path / "run").rglob("*.tmp.ipynb"))  # no temporary left behind
