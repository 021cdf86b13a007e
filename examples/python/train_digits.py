"""A data-parallel PyTorch training job on scikit-learn's digits (8x8 images of handwritten
digits, shipped with Debian's python3-sklearn), accounted by erg: a learning-rate search, the
training and the inference on the held-out images are erg phases, each rank counts the
samples it processed, and the test accuracy is the job's top1_val metric (the name that erg
label's default cut points rate). Rank 0 prints the energy per training sample and per
inference and, given a reference trace, the job's A-E label against it.

Under mpi4py (gradients averaged with MPI_Allreduce):
    mpirun -np 2 -x ERG_OUT=job.h5 python3 train_digits.py --mpi
Under torchrun (gradients averaged with torch.distributed's gloo, no MPI):
    ERG_OUT=job.h5 torchrun --standalone --nproc_per_node 2 train_digits.py
    (Debian's python3-torch: python3 -m torch.distributed.run ...)
Any of them, labelled against an earlier run:
    ... train_digits.py --reference ref.h5
"""
import argparse
import os

import numpy as np
import torch
from sklearn.datasets import load_digits

import erg


class MpiRanks:
    """The ranks of an mpi4py job."""

    def __init__(self):
        from mpi4py import MPI

        self.MPI, self.comm = MPI, MPI.COMM_WORLD
        self.rank, self.size = self.comm.Get_rank(), self.comm.Get_size()
        erg.init(self.comm)

    def average(self, tensors):
        flat = torch.cat([t.reshape(-1) for t in tensors]).numpy()
        total = np.empty_like(flat)
        self.comm.Allreduce(flat, total, op=self.MPI.SUM)
        self._unflatten(tensors, torch.from_numpy(total / self.size))

    def sum(self, value):
        return self.comm.allreduce(value, op=self.MPI.SUM)

    @staticmethod
    def _unflatten(tensors, flat):
        offset = 0
        for t in tensors:
            t.copy_(flat[offset:offset + t.numel()].view_as(t))
            offset += t.numel()


class TorchRanks:
    """The ranks of a torchrun job (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT): gloo on CPUs."""

    def __init__(self):
        import torch.distributed as dist

        self.dist = dist
        self.size = int(os.environ.get("WORLD_SIZE", 1))
        if self.size > 1:
            dist.init_process_group("gloo")
        self.rank = dist.get_rank() if self.size > 1 else 0
        erg.init()  # the ranks from torchrun's environment; no MPI

    def average(self, tensors):
        if self.size > 1:
            for t in tensors:
                self.dist.all_reduce(t)
                t /= self.size

    def sum(self, value):
        if self.size == 1:
            return value
        t = torch.tensor([float(value)])
        self.dist.all_reduce(t)
        return t.item()


def network(hidden):
    return torch.nn.Sequential(torch.nn.Linear(64, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10))


def train(ranks, model, x, y, learning_rate, epochs, batch, phase):
    """Synchronous data-parallel SGD: each rank takes its share of every batch, the gradients
    are averaged over the ranks before each step, so every rank holds the same model."""
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate, momentum=0.9)
    loss_function = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(1)
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=generator)
        for start in range(0, len(x), batch):
            mine = order[start:start + batch][ranks.rank::ranks.size]
            optimizer.zero_grad()
            loss = loss_function(model(x[mine]), y[mine])
            loss.backward()
            ranks.average([p.grad for p in model.parameters()])
            optimizer.step()
            phase.items(len(mine))
    return model


def correct(ranks, model, x, y):
    """Images this rank classified right out of its share, summed over the ranks."""
    with torch.no_grad():
        return ranks.sum(int((model(x).argmax(dim=1) == y).sum()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mpi", action="store_true", help="an mpi4py job (else torchrun's environment)")
    parser.add_argument("--hidden", type=int, default=64, help="hidden units")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--search", default="0.3,0.1,0.03", help="learning rates tried, one epoch each")
    parser.add_argument("--reference", help="a reference run's trace: the label of this job against it")
    args = parser.parse_args()
    torch.set_num_threads(1)  # one core per rank: the ranks are the parallelism
    ranks = MpiRanks() if args.mpi else TorchRanks()

    digits = load_digits()
    x = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target, dtype=torch.long)
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))
    train_idx, val_idx, test_idx = order[:1200], order[1200:1400], order[1400:]

    with erg.phase("search", kind="search") as p:
        scores = {}
        for learning_rate in [float(v) for v in args.search.split(",")]:
            torch.manual_seed(0)
            model = train(ranks, network(args.hidden), x[train_idx], y[train_idx], learning_rate, 1, args.batch, p)
            share = val_idx[ranks.rank::ranks.size]
            scores[learning_rate] = correct(ranks, model, x[share], y[share])
        best = max(scores, key=scores.get)
    with erg.phase("train", kind="train") as p:
        torch.manual_seed(0)
        model = train(ranks, network(args.hidden), x[train_idx], y[train_idx], best, args.epochs, args.batch, p)
    with erg.phase("inference", kind="inference") as p:
        share = test_idx[ranks.rank::ranks.size]
        right = correct(ranks, model, x[share], y[share])
        p.items(len(share))
    accuracy = right / len(test_idx)
    erg.metric("top1_val", accuracy)  # from rank 0 and the others: kept once
    erg.finalize()  # rank 0 writes the trace (ERG_OUT) here

    if ranks.rank == 0:
        trace = os.environ.get("ERG_OUT", "job.h5")
        report = erg.report(trace)
        by_kind = {p["kind"]: p for p in report["phases"]}
        print(f"learning rate {best}, test accuracy {accuracy:.3f} on {len(test_idx)} images")
        for kind, what in [("train", "training sample"), ("inference", "inference")]:
            phase = by_kind[kind]
            print(f"{phase['it_j'] / max(phase['items'], 1):.3g} J per {what} ({phase['items']} in {phase['it_j']:.3g} J)")
        if args.reference:
            label = erg.label([trace, args.reference], reference=args.reference)
            name = os.path.splitext(os.path.basename(trace))[0]
            mine = next(m for m in label["models"] if m["name"] == name)
            print(f"label {mine['label']} against {args.reference}: " +
                  ", ".join(f"{k} {v['rating']}" for k, v in sorted(mine["metrics"].items())))
    if not args.mpi and ranks.size > 1:
        ranks.dist.destroy_process_group()


if __name__ == "__main__":
    main()
