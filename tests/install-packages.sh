#!/bin/sh
# Installs the Debian 12 packages erg needs to build, test and run its demo (as root).
# Only what is missing is installed, so a second run costs nothing.
set -eu
packages="build-essential cmake pkg-config libopenmpi-dev openmpi-bin libhdf5-dev
  zlib1g-dev libboost-program-options-dev libboost-serialization-dev nlohmann-json3-dev libgtest-dev libsqlite3-dev libpq-dev postgresql
  python3 python3-h5py python3-numpy python3-pandas python3-mpi4py python3-torch python3-sklearn chromium fonts-dejavu-core
  slurmd slurmctld slurm-client munge slurm-wlm-rsmi-plugin clang libclang-rt-14-dev faketime util-linux
  libcpp-httplib-dev prometheus"
missing=""
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
