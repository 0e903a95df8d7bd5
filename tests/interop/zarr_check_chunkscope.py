"""Checks Zarr v2 arrays that Chunkscope wrote: zarr-python must read them, their chunks must be
byte-identical to what numcodecs encodes for the same chunk, and .zarray byte-identical to what
zarr-python writes for the same array.

Usage: zarr_check_chunkscope.py OUTDIR

OUTDIR/manifest.json lists {"name", "path"}; OUTDIR/<name>.bin holds the data Chunkscope wrote, as
raw C-order bytes. Prints one line per array and exits with 1 on the first mismatch.
"""
import itertools
import json
import os
import sys

import numcodecs
import numpy as np
import zarr

numcodecs.blosc.use_threads = False


def fail(name, message):
    print('FAIL %s: %s' % (name, message))
    sys.exit(1)


def check(entry, out):
    name, path = entry['name'], entry['path']
    z = zarr.open_array(path, mode='r')
    with open(os.path.join(out, name + '.bin'), 'rb') as f:
        expected = np.frombuffer(f.read(), dtype=z.dtype).reshape(z.shape)
    np.testing.assert_array_equal(z[...], expected, err_msg=name)

    with open(os.path.join(path, '.zarray'), 'rb') as f:
        written = f.read()
    meta = json.loads(written)
    kwargs = dict(shape=z.shape, chunks=z.chunks, dtype=z.dtype, compressor=z.compressor, fill_value=z.fill_value,
                  order=z.order)
    if 'dimension_separator' in meta:
        kwargs['dimension_separator'] = meta['dimension_separator']
    reference = {}
    zarr.create(store=reference, **kwargs)
    if reference['.zarray'] != written:
        fail(name, '.zarray differs from zarr-python\'s:\n%r\n%r' % (written, reference['.zarray']))

    separator = meta.get('dimension_separator', '.')
    grid = [-(-s // c) for s, c in zip(z.shape, z.chunks)]
    chunks = 0
    for index in itertools.product(*[range(g) for g in grid]):
        key = separator.join(str(i) for i in index)
        chunk_path = os.path.join(path, *key.split('/'))
        if not os.path.exists(chunk_path):
            continue
        chunks += 1
        with open(chunk_path, 'rb') as f:
            stored = f.read()
        chunk = np.full(z.chunks, z.fill_value if z.fill_value is not None else 0, dtype=z.dtype)
        valid = tuple(slice(i * c, min((i + 1) * c, s)) for i, c, s in zip(index, z.chunks, z.shape))
        chunk[tuple(slice(0, v.stop - v.start) for v in valid)] = expected[valid]
        raw = np.frombuffer(chunk.tobytes(order=z.order), dtype=z.dtype)
        encoded = bytes(z.compressor.encode(raw)) if z.compressor is not None else raw.tobytes()
        if encoded != stored:
            fail(name, 'chunk %s differs from numcodecs\' encoding (%d bytes stored, %d expected)'
                 % (key, len(stored), len(encoded)))
    leftovers = [f for _, _, files in os.walk(path) for f in files if f.endswith('.partial')]
    if leftovers:
        fail(name, 'temporary files left behind: %s' % leftovers)
    print('ok %s: %d chunks identical to numcodecs, .zarray identical to zarr-python' % (name, chunks))


def main():
    out = sys.argv[1]
    with open(os.path.join(out, 'manifest.json')) as f:
        manifest = json.load(f)
    for entry in manifest:
        check(entry, out)
    print('checked %d arrays' % len(manifest))


if __name__ == '__main__':
    main()
