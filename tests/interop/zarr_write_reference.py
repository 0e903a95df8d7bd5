"""Writes Zarr v2 arrays with zarr-python for Chunkscope to read, and their data as raw C-order bytes.

Usage: zarr_write_reference.py OUTDIR

Creates OUTDIR/<name>.zarr (a DirectoryStore), OUTDIR/<name>.bin (the whole array as zarr reads
it, missing chunks as fill_value, in the array's dtype and byte order) and OUTDIR/manifest.json.
"""
import json
import os
import sys

import numcodecs
import numpy as np
import zarr
from numcodecs import Blosc, Zlib

numcodecs.blosc.use_threads = False


def arrays():
    """(name, data, create kwargs, the selection to write: None for everything)."""
    return [
        ('i4_blosclz', np.arange(1000, dtype='<i4'),
         dict(chunks=(128,), compressor=Blosc('blosclz', 5, Blosc.SHUFFLE)), None),
        ('u2_be_lz4_bitshuffle_nested', (np.arange(9 * 10 * 11) % 5000).astype('>u2').reshape(9, 10, 11),
         dict(chunks=(4, 4, 4), compressor=Blosc('lz4', 5, Blosc.BITSHUFFLE), dimension_separator='/'), None),
        ('f8_nan_zstd_missing', (np.arange(37 * 23, dtype='<f8') / 7).reshape(37, 23),
         dict(chunks=(8, 5), compressor=Blosc('zstd', 3, Blosc.AUTOSHUFFLE), fill_value=np.nan),
         np.s_[0:20, 0:12]),
        ('i8_zlib', (np.arange(500, dtype='<i8') ** 2 - 7000).reshape(20, 25),
         dict(chunks=(7, 6), compressor=Zlib(level=4)), None),
        ('u1_raw_missing', (np.arange(300) % 256).astype('|u1'),
         dict(chunks=(64,), compressor=None, fill_value=7), np.s_[0:200]),
        ('bool_lz4hc', np.arange(100) % 3 == 0,
         dict(chunks=(32,), compressor=Blosc('lz4hc', 9, Blosc.AUTOSHUFFLE)), None),
        ('f4_order_f', (np.arange(12 * 13) / 3).astype('<f4').reshape(12, 13),
         dict(chunks=(5, 4), compressor=Blosc('zlib', 1, Blosc.SHUFFLE), order='F'), None),
        ('i2_4d_dot', (np.arange(3 * 4 * 5 * 6) - 100).astype('<i2').reshape(3, 4, 5, 6),
         dict(chunks=(2, 3, 2, 4), compressor=Blosc('snappy', 5, Blosc.NOSHUFFLE), dimension_separator='.'), None),
        ('f8_be_neg_fill', (np.arange(50, dtype='>f8') - 25.5),
         dict(chunks=(16,), compressor=Blosc('lz4', 1, Blosc.SHUFFLE), fill_value=-1.5), np.s_[10:40]),
    ]


def main():
    out = sys.argv[1]
    manifest = []
    for name, data, kwargs, selection in arrays():
        path = os.path.join(out, name + '.zarr')
        z = zarr.open_array(path, mode='w', shape=data.shape, dtype=data.dtype, **kwargs)
        if selection is None:
            z[...] = data
        else:
            z[selection] = data[selection]
        whole = z[...]
        with open(os.path.join(out, name + '.bin'), 'wb') as f:
            f.write(np.ascontiguousarray(whole).tobytes())
        manifest.append({
            'name': name,
            'path': path,
            'dtype': z.dtype.str,
            'shape': list(z.shape),
            'chunks': list(z.chunks),
            'nested': kwargs.get('dimension_separator') == '/',
            'nchunks_initialized': z.nchunks_initialized,
            'nbytes_stored': z.nbytes_stored,
        })
    with open(os.path.join(out, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    print('wrote %d arrays' % len(manifest))


if __name__ == '__main__':
    main()
