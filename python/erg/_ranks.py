"""Which rank this process is, without MPI: from the launcher's environment."""
import os
import re


def _int(name):
    value = os.environ.get(name, "")
    return int(value) if re.fullmatch(r"\d+", value.strip()) else None


def _slurm_tasks_on_this_node():
    """SLURM_STEP_TASKS_PER_NODE ("2(x3),1": two tasks on each of 3 nodes, then one) at
    SLURM_NODEID."""
    node = _int("SLURM_NODEID")
    text = os.environ.get("SLURM_STEP_TASKS_PER_NODE", os.environ.get("SLURM_TASKS_PER_NODE", ""))
    counts = []
    for part in text.split(","):
        m = re.fullmatch(r"(\d+)(?:\(x(\d+)\))?", part.strip())
        if not m:
            return None
        counts += [int(m.group(1))] * int(m.group(2) or 1)
    return counts[node] if node is not None and node < len(counts) else None


def from_environment():
    """(rank, size, local_rank, local_size, where from): torchrun's RANK, WORLD_SIZE,
    LOCAL_RANK, LOCAL_WORLD_SIZE; else Open MPI's mpirun (OMPI_COMM_WORLD_*), for a program
    started by mpirun that does not use MPI; else Slurm's SLURM_PROCID, SLURM_NTASKS,
    SLURM_LOCALID inside a job step (srun: SLURM_STEP_ID is set; a batch script is one
    process, whatever SLURM_NTASKS says of the job); else one process alone."""
    launchers = [
        ("torchrun", "RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE"),
        ("mpirun", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK",
         "OMPI_COMM_WORLD_LOCAL_SIZE"),
        ("slurm", "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID", None),
    ]
    for where, rank, size, local_rank, local_size in launchers:
        if where == "slurm" and "SLURM_STEP_ID" not in os.environ:
            continue
        r, n = _int(rank), _int(size)
        if r is None or n is None:
            continue
        lr = _int(local_rank)
        ln = _int(local_size) if local_size else _slurm_tasks_on_this_node()
        if lr is None:  # one rank per node
            lr, ln = 0, 1
        if ln is None or ln <= lr:
            ln = lr + 1
        return r, n, lr, ln, where
    return 0, 1, 0, 1, "one process"
