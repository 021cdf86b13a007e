"""Reading a trace (docs/trace-format.md) into pandas, and its report from the erg command."""
import json
import os
import shutil
import subprocess


def _plain(value):
    """An HDF5 attribute as Python: str for strings, int/float for numbers."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if hasattr(value, "item") and getattr(value, "shape", None) == ():
        return _plain(value.item())
    if hasattr(value, "tolist"):
        return [_plain(v) for v in value.tolist()]
    return value


def _strings(dataset):
    return [_plain(v) for v in dataset[()]] if dataset is not None else []


def _table(dataset, columns):
    import pandas as pd

    if dataset is None:
        return pd.DataFrame({c: [] for c in columns})
    rows = dataset[()]
    data = {}
    for column in columns:
        values = rows[column] if len(rows) else []
        data[column] = [_plain(v) for v in values]
    frame = pd.DataFrame(data, columns=columns)
    return frame


class Trace:
    """A job's trace, read whole.

    attrs    dict of the root attributes (job_id, duration_s, pue, ...)
    samples  DataFrame, one row per node, domain and sample: node, domain, time_s, energy_j
             (cumulative joules from 0; NaN where a read failed) and power_w (the mean power
             since the sample before: NaN at a node's first sample)
    phases   DataFrame: name, kind, start_s, end_s, items
    metrics  DataFrame: name, value, higher_is_better
    notes    list of the job's notes
    nodes    dict: node name -> dict of its attributes, with its notes under "notes"
    summary  dict of /summary's attributes (it_energy_j, facility_energy_j, co2e_g, ...)
    """

    def __init__(self, attrs, samples, phases, metrics, notes, nodes, summary):
        self.attrs, self.samples, self.phases, self.metrics = attrs, samples, phases, metrics
        self.notes, self.nodes, self.summary = notes, nodes, summary

    def __repr__(self):
        return (f"<erg.Trace job {self.attrs.get('job_id')}: {len(self.nodes)} nodes, {len(self.phases)} phases, "
                f"{len(self.samples)} samples>")


def read_trace(path):
    """Reads an erg trace (job.h5) with h5py into a Trace of pandas DataFrames."""
    import h5py
    import numpy as np
    import pandas as pd

    with h5py.File(path, "r") as f:
        if _plain(f.attrs.get("format", "")) != "erg-trace":
            raise ValueError(f"{path} is not an erg trace")
        attrs = {k: _plain(v) for k, v in f.attrs.items()}
        frames, nodes = [], {}
        for group_name, group in f.get("nodes", {}).items():
            node = _plain(group.attrs.get("name", group_name))
            nodes[node] = {k: _plain(v) for k, v in group.attrs.items()}
            nodes[node]["notes"] = _strings(group.get("notes"))
            time_s = np.asarray(group["time_s"][()], dtype=float)
            for domain, dataset in group.get("energy_j", {}).items():
                energy_j = np.asarray(dataset[()], dtype=float)
                with np.errstate(divide="ignore", invalid="ignore"):
                    power_w = np.concatenate(([np.nan], np.diff(energy_j) / np.diff(time_s)))
                frames.append(pd.DataFrame({"node": node, "domain": domain, "time_s": time_s, "energy_j": energy_j,
                                            "power_w": power_w[: len(time_s)]}))
        columns = ["node", "domain", "time_s", "energy_j", "power_w"]
        samples = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({c: [] for c in columns})
        phases = _table(f.get("phases"), ["name", "kind", "start_s", "end_s", "items"])
        metrics = _table(f.get("metrics"), ["name", "value", "higher_is_better"])
        notes = _strings(f.get("notes"))
        summary = {k: _plain(v) for k, v in f["summary"].attrs.items()} if "summary" in f else {}
    return Trace(attrs, samples, phases, metrics, notes, nodes, summary)


def _erg_command():
    """The erg command: ERG (a path), else the one installed beside this module, else PATH."""
    if os.environ.get("ERG"):
        return os.environ["ERG"]
    try:
        from . import _install_paths

        here = os.path.dirname(os.path.abspath(__file__))
        installed = os.path.normpath(os.path.join(here, _install_paths.BINDIR_FROM_MODULE, "erg"))
        if os.access(installed, os.X_OK):
            return installed
    except ImportError:
        pass
    found = shutil.which("erg")
    if not found:
        raise FileNotFoundError("the erg command is not installed (set ERG to its path)")
    return found


def _erg_json(*arguments):
    result = subprocess.run([_erg_command(), *map(str, arguments), "--format", "json"], capture_output=True, text=True)
    if result.returncode != 0:
        raise ValueError(result.stderr.strip() or f"erg {arguments[0]} failed with status {result.returncode}")
    return json.loads(result.stdout)


def report(path, *options):
    """The job's report as a dict: `erg report PATH --format json [OPTIONS]` (e.g.
    "--inferences", "1000"). Raises ValueError with erg's message for a bad trace or option."""
    return _erg_json("report", path, *options)


def label(paths, reference, *options):
    """The A-E labels of jobs (traces or their JSON summaries, each named after its file)
    against a reference job, as a dict: `erg label PATHS --reference REFERENCE --format json`
    (docs/labels.md)."""
    return _erg_json("label", *paths, "--reference", reference, *options)
