#!/usr/bin/env python3
"""The peer Chunkscope measures itself against: the notebook's copies run by dask's threaded
scheduler on zarr-python and h5py, as Debian 12 packages them.

Run with Debian's interpreter (python3-dask, python3-zarr, python3-h5py, python3-numcodecs):

    /usr/bin/python3 dask_peer.py --n 400000000 --chunk 1048576 --repeat 3 --workers 2 \
        --cases numpy,zarr,hdf5 --profile none,PR

Prints one JSON object per line and case:
    {"case": "numpy", "lock": true, "profile": "none", "workers": 2, "median_s": ..., "runs_s": [...], "bytes": ...}

profile "none" times a bare dask.array.store(); "PR" attaches dask's Profiler and ResourceProfiler(dt=0.02)
as the notebook does. The NumPy destination is written once before timing so that, like Chunkscope's
benchmark, no run pays first-touch page faults.
"""
import argparse
import json
import statistics
import tempfile
import time

import dask.array as da
import h5py
import numcodecs
import numpy as np
import zarr
from dask.diagnostics import Profiler, ResourceProfiler
from numcodecs import Blosc


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=400_000_000)
    p.add_argument("--chunk", type=int, default=2 ** 20)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--cases", default="numpy,zarr,hdf5")
    p.add_argument("--profile", default="none")
    return p.parse_args()


def store(d, dst, workers, lock, profile):
    if profile == "PR":
        with Profiler(), ResourceProfiler(dt=0.02):
            da.store(d, dst, num_workers=workers, lock=lock)
    else:
        da.store(d, dst, num_workers=workers, lock=lock)


def measure(args, case, src, make_target, lock, profile):
    times = []
    for _ in range(args.repeat):
        dst = make_target()
        # Outside the timed part: from_array hashes a NumPy source's bytes to name the graph, which
        # for 1.6 GB takes longer than the copy.
        d = da.from_array(src, chunks=(args.chunk,))
        start = time.perf_counter()
        store(d, dst, args.workers, lock, profile)
        times.append(time.perf_counter() - start)
    print(json.dumps({"case": case, "lock": lock, "profile": profile, "workers": args.workers,
                      "median_s": statistics.median(times), "runs_s": times, "bytes": args.n * 4}), flush=True)


def main():
    args = parse_args()
    # One blosc call per task on the calling thread, as the notebook's blosc.use_context().
    numcodecs.blosc.use_threads = False
    cases = args.cases.split(",")
    profiles = args.profile.split(",")
    source = np.arange(args.n, dtype="<i4")

    if "numpy" in cases:
        target = np.empty_like(source)
        target[:] = 0
        for profile in profiles:
            for lock in (True, False):
                measure(args, "numpy", source, lambda: target, lock, profile)

    if "zarr" in cases:
        z1 = zarr.array(source, chunks=(args.chunk,),
                        compressor=Blosc(cname="blosclz", clevel=5, shuffle=Blosc.SHUFFLE))
        for profile in profiles:
            for lock in (True, False):
                measure(args, "zarr", z1, lambda: zarr.empty_like(z1), lock, profile)

    if "hdf5" in cases:
        h5 = h5py.File(tempfile.mktemp(suffix=".h5"), mode="w", driver="core", backing_store=False)
        h1 = h5.create_dataset("h1", data=source, chunks=(args.chunk,), compression="lzf", shuffle=True)
        made = [0]

        def fresh_dataset():
            made[0] += 1
            return h5.create_dataset(f"h2_{made[0]}", shape=h1.shape, dtype=h1.dtype, chunks=h1.chunks,
                                     compression="lzf", shuffle=True)

        for profile in profiles:
            for lock in (True, False):
                measure(args, "hdf5", h1, fresh_dataset, lock, profile)


if __name__ == "__main__":
    main()
