#!/bin/sh
# The demo: installs what is needed, builds erg, runs the example MPI training job with 4
# ranks on two (named) nodes under the agent, and prints the job's report.
set -eu
cd "$(dirname "$0")/.."
sh tests/install-packages.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target erg erg_example_training erg_pmpi >/dev/null
out=${ERG_OUT:-$PWD/demo/job.h5}
mkdir -p "$(dirname "$out")"
as_root=""
[ "$(id -u)" = 0 ] && as_root="--allow-run-as-root"
# Ranks 0-1 are node n0 and ranks 2-3 node n1: ERG_NODE_NAME groups ranks by node.
mpirun $as_root --oversubscribe -np 4 -x ERG_OUT="$out" -x ERG_INTERVAL=0.1 \
  sh -c 'ERG_NODE_NAME=n$((OMPI_COMM_WORLD_RANK / 2)) exec "$@"' sh build/examples/erg_example_training 2
echo "trace: $out   (more: build/tools/erg report $out --format json)"
