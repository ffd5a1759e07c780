"""Compute once: results of the projection functions remembered for the rest of a run.

A notebook batch projects the same series many times: the target check, the proposed targets (the
focus block's trend), the fan charts, the backtests behind the ensemble weights, the plan's indicator
table of the evaluation notebook. Functions decorated with :func:`cached` compute each distinct call
once and hand out copies of the result afterwards:

* in memory, per process (the last ``MEMORY_ENTRIES`` results);
* on disk, when the environment variable ``LIYANG_IP_ANALYSIS_CACHE`` names a directory. ``liyang-ip
  run`` sets it for its kernels to a directory inside the run (``<run>/.cache/analysis-<id>/``) and
  removes that directory when the run ends, so every notebook of one run reuses what another has
  computed, and nothing outlives the run.

The key is a sha256 over the function, :func:`code_version` (package version, the source of the
analysis modules and the calibration table) and the call's arguments after binding them to the
signature (defaults filled in): arrays and pandas objects by dtype, index and values, so the data
themselves are part of the key and a changed dataset can never hit an old entry. A function may
declare what its result depends on (``key_args``): :func:`~liyang_ip.analysis.projection.project`
is keyed by the observed years and values in its fit window, so the target check's series (from the
observation table) and the fan chart's (a panel column, named after the region, NaN in missing years)
share one projection. Arguments the key
cannot describe (any other object) bypass the cache. Exceptions are not remembered: a call that
raises raises again. Results are pickled on disk; the cache directory is as trusted as the run's other
outputs (it lives among them, and a file that cannot be read is ignored and recomputed).

``LIYANG_IP_ANALYSIS_CACHE=off`` switches the cache off (also the in-memory one), for comparisons.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import inspect
import pickle
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import envvars

ENV = "LIYANG_IP_ANALYSIS_CACHE"
MEMORY_ENTRIES = 4096
# Source files whose change must invalidate remembered results (besides the package version).
_CODE_FILES = ("projection.py", "_common.py", "cache.py", "interval_calibration.yaml")

_memory: OrderedDict[str, Any] = OrderedDict()
#: Calls computed (misses) and served from memory or disk (hits), per function name.
computed: Counter[str] = Counter()
hits: Counter[str] = Counter()


class _Uncacheable(TypeError):
    """An argument the key cannot describe: the call bypasses the cache."""


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the package version and the analysis sources the cached results depend on."""
    from liyang_ip import __version__

    h = hashlib.sha256(str(__version__).encode())
    here = Path(__file__).resolve().parent
    for name in _CODE_FILES:
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(b"-")
    return h.hexdigest()[:16]


def enabled() -> bool:
    return not envvars.switched_off(ENV)


def disk_dir() -> Path | None:
    """The on-disk cache directory for this process, or None."""
    value = envvars.value(ENV)
    if not value or envvars.is_switch(value):
        return None
    return Path(value)


def clear_memory() -> None:
    """Forget the in-memory results and the counters (tests; a new process starts empty anyway)."""
    _memory.clear()
    computed.clear()
    hits.clear()


# ------------------------------------------------------------------------------------------------ keys
def _feed(h, obj: Any) -> None:
    """Add a canonical description of `obj` to the hash `h` (raises _Uncacheable for anything else)."""
    if obj is None or isinstance(obj, bool | int | float | str | bytes):
        h.update(f"{type(obj).__name__}:{obj!r};".encode())
    elif isinstance(obj, np.generic):
        _feed(h, obj.item())
    elif isinstance(obj, np.ndarray):
        if obj.dtype == object:
            raise _Uncacheable("object array")
        h.update(f"nd:{obj.dtype.str}:{obj.shape};".encode())
        h.update(np.ascontiguousarray(obj).tobytes())
    elif isinstance(obj, pd.Series):
        h.update(f"series:{obj.name!r}:{obj.dtype}:{obj.index.dtype};".encode())
        _feed(h, _values(obj.index))
        _feed(h, _values(obj))
    elif isinstance(obj, pd.DataFrame):
        h.update(f"frame:{list(map(str, obj.columns))!r}:{list(map(str, obj.dtypes))!r};".encode())
        _feed(h, _values(obj.index))
        for col in obj.columns:
            _feed(h, _values(obj[col]))
    elif isinstance(obj, Mapping):
        h.update(f"map{len(obj)}{{".encode())
        for k in sorted(obj, key=repr):
            _feed(h, k)
            _feed(h, obj[k])
        h.update(b"}")
    elif isinstance(obj, list | tuple):
        h.update(f"{type(obj).__name__}{len(obj)}[".encode())
        for item in obj:
            _feed(h, item)
        h.update(b"]")
    else:
        raise _Uncacheable(type(obj).__name__)


def _values(obj) -> np.ndarray:
    arr = obj.to_numpy()
    if arr.dtype == object:
        # Labels and notes: strings are fine, anything else is not described reliably.
        if not all(isinstance(v, str | int | float | type(None)) for v in arr):
            raise _Uncacheable("object values")
        return np.array([repr(v) for v in arr], dtype=str)
    return arr


def make_key(name: str, arguments: Mapping[str, Any]) -> str:
    h = hashlib.sha256(f"{name}|{code_version()}|".encode())
    _feed(h, dict(arguments))
    return h.hexdigest()


# --------------------------------------------------------------------------------------------- storage
def _copy(value: Any) -> Any:
    """A copy the caller may change without changing the remembered result."""
    if isinstance(value, pd.DataFrame | pd.Series):
        out = value.copy(deep=True)
        out.attrs = copy.deepcopy(value.attrs)
        return out
    return copy.deepcopy(value)


def _disk_get(folder: Path, key: str) -> Any:
    try:
        with open(folder / f"{key}.pkl", "rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        raise KeyError(key) from None
    except Exception:  # noqa: BLE001 - a damaged or foreign file: recompute
        raise KeyError(key) from None


def _disk_put(folder: Path, key: str, value: Any) -> None:
    from liyang_ip.fsutil import atomic_write_bytes

    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(folder / f"{key}.pkl", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a cache that cannot be written only costs time


def _remember(key: str, value: Any) -> None:
    _memory[key] = value
    _memory.move_to_end(key)
    while len(_memory) > MEMORY_ENTRIES:
        _memory.popitem(last=False)


class _Raised:
    """A remembered ValueError (a method that does not apply to a series): raised again on a hit."""

    def __init__(self, message: str):
        self.message = message


def cached(fn: Callable | None = None, *, disk: bool = True, copy: bool = True,
           remember_errors: bool = False, key_args: Callable[[dict], Mapping] | None = None) -> Callable:
    """Decorator: compute each distinct call of `fn` once (see the module docstring).

    Parameters
    ----------
    disk : bool
        Also share results through the on-disk directory (for calls worth a file: whole projections
        and backtests; small fits stay in memory).
    copy : bool
        Hand out a copy of the remembered result (default). False for immutable results (a frozen
        fitted model), which are then shared.
    remember_errors : bool
        Also remember a ``ValueError`` (by its message) and raise it again for the same call: "this
        method does not apply to this series" is as much a result as a fit.
    key_args : callable, optional
        Maps the bound arguments (a dict, defaults filled in) to what the result depends on, which is then
        hashed instead: calls that differ only in ways the function ignores (a Series' name, its NaN
        rows, a default spelled out) share one entry. It must not leave out anything the result depends
        on; a ValueError or TypeError it raises sends the call past the cache (the function then raises
        its own error).
    """
    if fn is None:
        return functools.partial(cached, disk=disk, copy=copy, remember_errors=remember_errors, key_args=key_args)
    share = _copy if copy else (lambda v: v)

    def give(value):
        if isinstance(value, _Raised):
            raise ValueError(value.message)
        return share(value)
    sig = inspect.signature(fn)
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not enabled():
            return fn(*args, **kwargs)
        try:
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = dict(bound.arguments) if key_args is None else key_args(dict(bound.arguments))
            key = make_key(name, arguments)
        except (_Uncacheable, TypeError, ValueError):
            return fn(*args, **kwargs)
        if key in _memory:
            hits[name] += 1
            _memory.move_to_end(key)
            return give(_memory[key])
        folder = disk_dir() if disk else None
        if folder is not None:
            try:
                value = _disk_get(folder, key)
            except KeyError:
                pass
            else:
                hits[name] += 1
                _remember(key, value)
                return give(value)
        try:
            value = fn(*args, **kwargs)
        except ValueError as err:
            if not remember_errors:
                raise
            value = _Raised(str(err))
        computed[name] += 1
        _remember(key, value)
        if folder is not None:
            _disk_put(folder, key, value)
        return give(value)

    wrapper.uncached = fn  # type: ignore[attr-defined]
    return wrapper


__all__ = ["ENV", "cached", "clear_memory", "code_version", "computed", "disk_dir", "enabled", "hits", "make_key"]
