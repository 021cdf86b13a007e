"""A small job for the Python module's tests: three phases whose items depend on the rank
(rank r processes 100 + r training samples and 10 inferences), a metric from every rank and
one from rank 1 only. How it starts erg is its first argument:

  mpi4py       erg.init(MPI.COMM_WORLD), explicitly
  mpi4py-none  imports mpi4py and never calls erg.init (under LD_PRELOAD=liberg_pmpi.so)
  ranks        erg.init() from the launcher's environment (RANK, WORLD_SIZE, ...)

With "vanish" as its second argument, rank 1 leaves without finalizing (os._exit), as a
rank that dies does; with "stall", rank 0 waits to be killed before finalizing; with
"strict", erg.strict is set."""
import os
import sys
import time

mode = sys.argv[1]
comm = None
if mode.startswith("mpi4py"):
    from mpi4py import MPI

    comm = MPI.COMM_WORLD

import erg  # noqa: E402 (after MPI, as a training script does)

if "strict" in sys.argv[2:]:
    erg.strict = True
if mode == "mpi4py":
    erg.init(comm)
elif mode == "ranks":
    erg.init()
rank = comm.Get_rank() if comm is not None else int(os.environ.get("RANK", os.environ.get("SLURM_PROCID", 0)))



@erg.phase("search")
def search():
    time.sleep(0.1)
    erg.items(1)  # the open phase's, as p.items


search()
with erg.phase("train", kind="train") as p:
    time.sleep(0.3)
    p.items(100 + rank)
with erg.phase("inference", kind="inference") as p:
    time.sleep(0.1)
    p.items(10)
erg.metric("accuracy", 0.9 + 0.01 * rank)
if rank == 1:
    erg.metric("loss", 0.25, higher_is_better=False)
print(f"rank {rank} agent {erg._source}", flush=True)
if rank == 1 and "vanish" in sys.argv[2:]:
    os._exit(0)
if rank == 0 and "stall" in sys.argv[2:]:
    time.sleep(60)  # until the test kills it
