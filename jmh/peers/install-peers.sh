#!/usr/bin/env bash
# Installs the benchmark peers and builds the MPI allreduce program beside this script:
# OpenMPI (openmpi-bin, libopenmpi-dev) for `bench allreduce --peer mpi`, and Debian's scikit-learn
# (python3-sklearn, for /usr/bin/python3) for `bench search` (sklearn_grid.py).
# Benchmarks only: the test run never needs this.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
missing=()
command -v mpicc >/dev/null 2>&1 || missing+=(openmpi-bin libopenmpi-dev)
/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 || missing+=(python3-sklearn)
if (( ${#missing[@]} > 0 )); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
mkdir -p "$here/target"
mpicc -O3 -o "$here/target/mpi_allreduce" "$here/mpi_allreduce.c"
echo "built $here/target/mpi_allreduce"
echo "scikit-learn $(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)') for sklearn_grid.py"
