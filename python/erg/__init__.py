"""erg for Python: the energy and carbon of a training job, by phase (docs/python.md).

    import erg
    erg.init()                                   # or erg.init(comm) with mpi4py
    with erg.phase("train", kind="train") as p:
        p.items(len(batch))
    erg.metric("accuracy", 0.97)

The trace is written when the job ends (erg.finalize(), or at the interpreter's exit).
Nothing here raises into the training loop unless erg.strict is True: a problem is said once,
as a warning, and the job goes on.
"""
import atexit
import sys
import threading
import warnings

from . import _agent, _ranks
from ._trace import Trace, label, read_trace, report

__all__ = ["init", "phase", "items", "metric", "finalize", "read_trace", "report", "label", "Trace", "ErgError", "strict"]

#: Raise ErgError on any problem instead of warning once.
strict = False

KINDS = ("search", "train", "inference", "other")


class ErgError(RuntimeError):
    """A call to erg failed (raised only when erg.strict is True)."""


_lock = threading.Lock()
_lib = None          # the agent, once loaded
_source = None       # where it came from: a path, or the process itself (preloaded)
_unusable = None     # why it cannot be loaded
_initialized = False
_finalized = False
_warned = set()


def _problem(message):
    if strict:
        raise ErgError(message)
    if message not in _warned:
        _warned.add(message)
        warnings.warn("erg: " + message + " (the job goes on without it)", RuntimeWarning, stacklevel=3)


def _library():
    global _lib, _unusable, _source
    if _lib is None and _unusable is None:
        try:
            _lib, _source = _agent.load()
        except OSError as e:
            _unusable = str(e)
    if _lib is None:
        _problem(_unusable)
    return _lib


def _check(rc, call):
    if rc < 0:
        _problem(f"{call}: {_agent.ERRORS.get(rc, f'error {rc}')}")
    return rc


def _mpi():
    """mpi4py's MPI when MPI runs in this process (the program imported mpi4py, or mpirun
    started it and mpi4py is there: importing it initialises MPI, and under the preload
    erg with it), else None."""
    import os

    mpi = sys.modules.get("mpi4py.MPI")
    if mpi is None and "OMPI_COMM_WORLD_SIZE" in os.environ:
        try:
            from mpi4py import MPI as mpi
        except ImportError:
            mpi = None
    if mpi is not None and mpi.Is_initialized() and not mpi.Is_finalized():
        return mpi
    return None


def init(comm=None):
    """Starts accounting this process's part of the job; idempotent.

    comm: an mpi4py communicator (collective over it). Without one: MPI_COMM_WORLD when MPI
    runs, else the ranks from torchrun's RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE (or
    Slurm's SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID), else this process alone. Under
    LD_PRELOAD=liberg_pmpi.so, MPI_Init has already started it: this changes nothing."""
    global _initialized
    with _lock:
        if _initialized:
            return
        lib = _library()
        if lib is None:
            return
        _initialized = True
        try:
            mpi = _mpi() if comm is None else None
            ranks = _ranks.from_environment()
            if mpi is not None and mpi.COMM_WORLD.Get_size() == 1 and ranks[1] > 1:
                mpi = None  # a torchrun rank that imported mpi4py is an MPI singleton: its job is torchrun's
            if comm is not None or mpi is not None:
                if comm is None:
                    comm = mpi.COMM_WORLD
                rc = lib.erg_init(_agent.comm_handle(lib, comm))
                call = "erg.init(comm)"
            else:
                if not hasattr(lib, "erg_init_ranks"):
                    _problem(f"erg.init: the agent in this process ({_source}) is older than the module: "
                             "without MPI it cannot run")
                    return
                rank, size, local_rank, local_size, _ = ranks
                rc = lib.erg_init_ranks(rank, size, local_rank, local_size)
                call = "erg.init()"
        except Exception as e:  # a communicator mpi4py does not know, ...
            _problem(f"erg.init: {e}")
            return
        atexit.register(_finalize_at_exit)
    _check(rc, call)


def _call(name, call, *args):
    lib = _library()
    if lib is None:
        return -6
    try:
        rc = getattr(lib, name)(*args)
    except Exception as e:  # a name that is not text, ...
        _problem(f"{call}: {e}")
        return -4
    return _check(rc, call)


def _text(value):
    return str(value).encode("utf-8", "replace")


class phase:
    """A phase of the job: search, train, inference or other (kind; by default the name's,
    where it is a kind, else other). Phases do not nest.

        with erg.phase("train", kind="train") as p:
            p.items(n)          # samples this rank processed: summed over ranks

        @erg.phase("inference")
        def predict(x): ...
    """

    def __init__(self, name, kind=None):
        self.name = str(name)
        self.kind = kind if kind is not None else (self.name if self.name in KINDS else "other")

    def __enter__(self):
        _call("erg_phase_begin", f"erg.phase({self.name!r})", _text(self.name), _text(self.kind))
        return self

    def __exit__(self, *exc):
        _call("erg_phase_end", f"erg.phase({self.name!r}) end")
        return False

    def items(self, n):
        """Adds n items (samples processed by this rank) to the phase."""
        items(n, f"erg.phase({self.name!r}).items")

    def __call__(self, function):
        import functools

        @functools.wraps(function)
        def marked(*args, **kwargs):
            with phase(self.name, self.kind):
                return function(*args, **kwargs)

        return marked


def items(n, call="erg.items"):
    """Adds n items (samples processed by this rank) to the open phase: p.items(n) where the
    phase is at hand, this in a function marked with @erg.phase."""
    try:
        n = int(n)
    except (TypeError, ValueError):
        _problem(f"{call}({n!r}): not a count")
        return
    if n < 0:
        _problem(f"{call}({n}): a negative count; ignored")
        return
    _call("erg_phase_items", call, n)


def metric(name, value, higher_is_better=True):
    """A metric of the job (accuracy, loss, ...), from any rank."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        _problem(f"erg.metric({name!r}): {value!r} is not a number")
        return
    _call("erg_metric", f"erg.metric({name!r})", _text(name), value, 1 if higher_is_better else 0)


def finalize():
    """Ends the job's accounting; rank 0 writes the trace (ERG_OUT, default job.h5), its JSON
    summary and the report. Collective under MPI; idempotent. Called at exit if not before."""
    global _finalized
    with _lock:
        if _finalized or _lib is None:  # under the preload, erg.init() is optional
            return
        _finalized = True
    _call("erg_finalize", "erg.finalize()")


def _finalize_at_exit():
    mpi = sys.modules.get("mpi4py.MPI")
    if mpi is not None and mpi.Is_finalized():
        return  # MPI_Finalize has finalized erg already
    try:
        finalize()
    except Exception as e:  # never from an exit handler (strict or not)
        warnings.warn(f"erg: {e}", RuntimeWarning)
