"""Arrays for the MPI tests, written and read by the reference implementations.

  mpi_arrays.py write-hdf5 FILE DATASET    a chunked int32 dataset of known values, written by h5py
  mpi_arrays.py equal SOURCE TARGET        prints "equal" when zarr-python reads TARGET (a Zarr v2
                                           directory) equal to SOURCE (a Zarr directory, or FILE:DATASET)
  mpi_arrays.py equal-arange TARGET       prints "equal" when zarr-python reads TARGET equal to what the
                                           fill "arange" defines: arange(size) in TARGET's dtype and shape
  mpi_arrays.py equal-json SOURCE JSON     the same for a target that zarrita read (tests/interop/zarrita/
                                           read.mjs wrote JSON: shape, data_type, values in C order)
  mpi_arrays.py equal-bcolz-arange ROOTDIR prints "equal" when the bcolz rootdir ROOTDIR, read by its format,
                                           holds what the fill "arange" defines and its meta/sizes count
                                           its chunk files
"""
import json
import sys

import numpy as np
import zarr


def values():
    return (np.arange(240 * 36, dtype="<i4") * 7 - 5000).reshape(240, 36)


def read(spec):
    if ":" in spec:
        import h5py
        path, dataset = spec.split(":", 1)
        with h5py.File(path, "r") as f:
            return f[dataset][...]
    return zarr.open(spec, mode="r")[...]


def read_bcolz(rootdir):
    """A bcolz rootdir read by its format, bcolz itself not being packaged for this Python: meta/storage
    and meta/sizes are JSON, each data/__N.blp is a 16-byte bloscpack header and one blosc frame, the
    last one holding only the rows after the full chunks. Returns the array, and the sizes that
    meta/sizes should give: bcolz's cbytes counts the full chunks' frames and one uncompressed chunk."""
    from numcodecs import blosc
    with open(f"{rootdir}/meta/storage") as f:
        storage = json.load(f)
    with open(f"{rootdir}/meta/sizes") as f:
        sizes = json.load(f)
    dtype = np.dtype(storage["dtype"])
    shape = tuple(sizes["shape"])
    chunklen = storage["chunklen"]
    row_bytes = dtype.itemsize * int(np.prod(shape[1:], dtype=np.int64))
    full = shape[0] // chunklen
    parts = []
    frames = 0
    for n in range(-(-shape[0] // chunklen)):
        with open(f"{rootdir}/data/__{n}.blp", "rb") as f:
            file = f.read()
        if file[:4] != b"blpk" or int.from_bytes(file[8:16], "little") != 1:
            raise ValueError(f"data/__{n}.blp: not a bloscpack file of one chunk")
        parts.append(blosc.decompress(file[16:]))
        if n < full:
            frames += len(file) - 16
    data = np.frombuffer(b"".join(parts), dtype=dtype).reshape(shape)
    expected_sizes = {"shape": list(shape), "nbytes": shape[0] * row_bytes, "cbytes": frames + chunklen * row_bytes}
    return data, sizes, expected_sizes


def arange_like(b):
    return np.arange(b.size).astype(b.dtype).reshape(b.shape)


def expected_and_read(command, args):
    if command == "equal-arange":
        b = read(args[0])
        return arange_like(b), b
    if command == "equal-bcolz-arange":
        b, sizes, expected_sizes = read_bcolz(args[0])
        if sizes != expected_sizes:
            raise ValueError(f"meta/sizes differ: {sizes} vs {expected_sizes}")
        return arange_like(b), b
    if command == "equal":
        return read(args[0]), read(args[1])
    with open(args[1]) as f:
        j = json.load(f)
    b = np.array(j["values"], dtype=np.dtype(j["data_type"]).newbyteorder("<")).reshape(j["shape"])
    return read(args[0]), b


def main():
    if sys.argv[1] == "write-hdf5":
        import h5py
        with h5py.File(sys.argv[2], "w") as f:
            f.create_dataset(sys.argv[3], data=values(), chunks=(24, 12))
        return 0
    if sys.argv[1] in ("equal", "equal-json", "equal-arange", "equal-bcolz-arange"):
        try:
            a, b = expected_and_read(sys.argv[1], sys.argv[2:])
        except ValueError as e:
            print(e)
            return 1
        if a.dtype != b.dtype or a.shape != b.shape:
            print(f"differ: {a.dtype}{a.shape} vs {b.dtype}{b.shape}")
            return 1
        if not np.array_equal(a, b):
            print(f"differ at {np.argwhere(a != b)[0].tolist()}")
            return 1
        print("equal")
        return 0
    print("unknown command", sys.argv[1])
    return 2


if __name__ == "__main__":
    sys.exit(main())
