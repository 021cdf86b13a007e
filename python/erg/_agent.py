"""Finds erg's agent, liberg_agent.so, and declares its C API (erg/erg.h) to ctypes.

One agent per process: a process started under LD_PRELOAD=liberg_pmpi.so (or a program that
links the agent and embeds Python) already holds it, and its symbols are then looked up in
the process itself, so that Python marks the phases of the job the preload accounts.
Otherwise the library is loaded by path: ERG_AGENT_LIB, else where `cmake --install` put it
beside this module, else by name through the dynamic linker (LD_LIBRARY_PATH, ldconfig)."""
import ctypes
import os

# The C API's error codes (erg/erg.h) and what they mean to a Python user.
ERRORS = {
    -1: "called before erg.init()",
    -2: "called after erg.finalize()",
    -3: "phase calls out of order (corrected as docs/api.md says)",
    -4: "a bad argument (replaced by a safe value)",
    -5: "MPI is not initialised, or an MPI call failed",
    -6: "erg itself failed (the job is unaffected)",
}

_SONAME = "liberg_agent.so.0"


def _installed_path():
    try:
        from . import _install_paths  # written by cmake --install
    except ImportError:
        return None
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, _install_paths.LIBDIR_FROM_MODULE, _SONAME))


def _declare(lib):
    if hasattr(lib, "erg_init_ranks"):  # a preloaded agent older than the module has none
        lib.erg_init_ranks.argtypes = [ctypes.c_int] * 4
        lib.erg_init_ranks.restype = ctypes.c_int
    lib.erg_phase_begin.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    lib.erg_phase_items.argtypes = [ctypes.c_ulonglong]
    lib.erg_phase_end.argtypes = []
    lib.erg_metric.argtypes = [ctypes.c_char_p, ctypes.c_double, ctypes.c_int]
    lib.erg_finalize.argtypes = []
    for name in ("erg_init", "erg_phase_begin", "erg_phase_items", "erg_phase_end", "erg_metric",
                 "erg_finalize"):
        getattr(lib, name).restype = ctypes.c_int
    return lib


def load():
    """(the library, where it came from). Raises OSError when there is no agent to load."""
    try:
        process = ctypes.CDLL(None)
        process.erg_init  # noqa: B018 (present only where the agent is loaded already)
        return _declare(process), "the process (preloaded)"
    except (AttributeError, OSError):
        pass
    candidates = [os.environ.get("ERG_AGENT_LIB"), _installed_path(), _SONAME]
    errors = []
    for path in candidates:
        if not path:
            continue
        try:
            # Global: liberg_agent.so brings Open MPI's libmpi, whose plugins need its symbols
            # global once mpi4py initialises MPI.
            return _declare(ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)), path
        except (OSError, AttributeError) as e:
            errors.append(f"{path}: {e}")
    raise OSError("erg's agent library cannot be loaded (" + "; ".join(errors) +
                  "); set ERG_AGENT_LIB to liberg_agent.so")


def comm_handle(lib, comm):
    """mpi4py communicator -> the MPI_Comm that erg_init takes (a pointer for Open MPI, an
    int for MPICH), declared for this call."""
    from mpi4py import MPI

    handle = MPI._handleof(comm)
    if MPI._sizeof(MPI.Comm) == ctypes.sizeof(ctypes.c_void_p):
        lib.erg_init.argtypes = [ctypes.c_void_p]
    else:
        lib.erg_init.argtypes = [ctypes.c_int]
    return handle
