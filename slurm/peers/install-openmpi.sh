#!/usr/bin/env bash
# Installs OpenMPI (Debian's openmpi-bin + libopenmpi-dev, 4.1 on Debian 12) for the MPI peer of
# `slipstream bench allreduce --peer mpi`. Needs root; does nothing when mpicc and mpirun are there.
set -euo pipefail
if command -v mpicc >/dev/null 2>&1 && command -v mpirun >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends openmpi-bin libopenmpi-dev >/dev/null
