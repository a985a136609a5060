#!/usr/bin/env bash
# Installs the benchmark peers: OpenMPI (openmpi-bin, libopenmpi-dev) for `bench allreduce --peer mpi`,
# which compiles mpi-allreduce.c beside this script on first use, Debian's PyTorch (python3-torch, about
# 143 MB download / 600 MB installed) for `bench allreduce --peer gloo` (gloo_allreduce.py), and Debian's
# scikit-learn (python3-sklearn, for /usr/bin/python3) for `bench search` (sklearn_grid.py). Needs root.
# Benchmarks only: the test run never needs this.
set -euo pipefail
missing=()
command -v mpicc >/dev/null 2>&1 || missing+=(openmpi-bin libopenmpi-dev)
/usr/bin/python3 -c 'import torch.distributed' >/dev/null 2>&1 || missing+=(python3-torch)
/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 || missing+=(python3-sklearn)
if (( ${#missing[@]} > 0 )); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "OpenMPI: $(mpirun --allow-run-as-root --version 2>/dev/null | head -n 1)"
echo "PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') for gloo_allreduce.py"
echo "scikit-learn $(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)') for sklearn_grid.py"
