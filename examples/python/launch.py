"""Starts a program as N ranks on this node the way torchrun does, without MPI: each with
RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR and MASTER_PORT set, for
torch.distributed's env:// rendezvous (and erg.init()). Debian 12's torchrun (python3-torch
1.13 under Python 3.11) fails before it starts any worker; this is all a one-node job needs.

    python3 launch.py --nproc 2 train_digits.py [ARGS...]

Exits with the first non-zero status of the ranks (0 when all succeeded)."""
import argparse
import os
import socket
import subprocess
import sys


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description="Start a program as N torchrun-style ranks on this node.")
    parser.add_argument("--nproc", type=int, default=2)
    parser.add_argument("program")
    parser.add_argument("arguments", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    port = str(free_port())
    ranks = []
    for rank in range(args.nproc):
        env = dict(os.environ, RANK=str(rank), WORLD_SIZE=str(args.nproc), LOCAL_RANK=str(rank),
                   LOCAL_WORLD_SIZE=str(args.nproc), MASTER_ADDR="127.0.0.1", MASTER_PORT=port, OMP_NUM_THREADS="1")
        ranks.append(subprocess.Popen([sys.executable, args.program, *args.arguments], env=env))
    statuses = [p.wait() for p in ranks]
    sys.exit(next((s for s in statuses if s != 0), 0))


if __name__ == "__main__":
    main()
