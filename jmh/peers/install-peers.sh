#!/usr/bin/env bash
# Installs the benchmark peers (OpenMPI) and builds the MPI allreduce program beside this script.
# Benchmarks only: the test run never needs this.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v mpicc >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openmpi-bin libopenmpi-dev >/dev/null
fi
mkdir -p "$here/target"
mpicc -O3 -o "$here/target/mpi_allreduce" "$here/mpi_allreduce.c"
echo "built $here/target/mpi_allreduce"
