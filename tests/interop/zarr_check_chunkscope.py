"""Checks Zarr v2 arrays that Chunkscope wrote: zarr-python must read them, their chunks must be
byte-identical to what numcodecs encodes (filters, then compressor) for the same chunk, and .zarray
byte-identical to what zarr-python writes for the same array.

Usage: zarr_check_chunkscope.py OUTDIR

OUTDIR/manifest.json lists {"name", "path"} and, for arrays whose filters lose precision, "source": the
data Chunkscope was given, which its chunks encode. OUTDIR/<name>.bin holds the data Chunkscope reads
back, as raw C-order bytes, which zarr-python must read too. Prints one line per array and exits with
1 on the first mismatch.
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
    # Bytes, not values: NaN payloads and NaT must match too.
    if z[...].tobytes() != expected.tobytes():
        fail(name, 'zarr-python reads values other than Chunkscope\'s')
    source = expected
    if 'source' in entry:
        with open(entry['source'], 'rb') as f:
            source = np.frombuffer(f.read(), dtype=z.dtype).reshape(z.shape)

    with open(os.path.join(path, '.zarray'), 'rb') as f:
        written = f.read()
    meta = json.loads(written)
    kwargs = dict(shape=z.shape, chunks=z.chunks, dtype=z.dtype, compressor=z.compressor, fill_value=z.fill_value,
                  order=z.order, filters=z.filters)
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
        chunk[tuple(slice(0, v.stop - v.start) for v in valid)] = source[valid]
        raw = np.frombuffer(chunk.tobytes(order=z.order), dtype=z.dtype)
        for f in z.filters or []:
            raw = f.encode(raw)
        encoded = bytes(z.compressor.encode(raw)) if z.compressor is not None else np.asarray(raw).tobytes()
        if z.compressor is not None and z.compressor.codec_id == 'gzip':
            # The gzip header holds the time of writing (bytes 4 to 7); everything else must match.
            encoded, stored = encoded[:4] + encoded[8:], stored[:4] + stored[8:]
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
