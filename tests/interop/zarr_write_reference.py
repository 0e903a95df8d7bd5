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
from numcodecs import (BZ2, LZ4, LZMA, AsType, Blosc, Categorize, Delta, FixedScaleOffset, GZip, PackBits, Quantize, Shuffle,
                       Zlib, Zstd)

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
        # numcodecs' other compressors, each with an option away from its default.
        ('i4_bz2', np.arange(700, dtype='<i4') // 3, dict(chunks=(128,), compressor=BZ2(level=9)), None),
        ('f8_lzma_missing', np.arange(400, dtype='<f8') / 9, dict(chunks=(64,), compressor=LZMA(preset=2)),
         np.s_[0:250]),
        ('u2_zstd_2d', (np.arange(30 * 17) % 900).astype('<u2').reshape(30, 17),
         dict(chunks=(8, 8), compressor=Zstd(level=7)), None),
        ('i8_lz4', np.arange(600, dtype='<i8') * 1000003, dict(chunks=(100,), compressor=LZ4(acceleration=3)), None),
        ('u1_gzip_order_f', (np.arange(21 * 19) % 251).astype('|u1').reshape(21, 19),
         dict(chunks=(6, 5), compressor=GZip(level=6), order='F'), None),
        # Every filter, alone or chained, before a compressor or none.
        ('i4_delta_zlib', np.arange(500, dtype='<i4') * 3 - 40,
         dict(chunks=(64,), compressor=Zlib(level=1), filters=[Delta(dtype='<i4')]), None),
        ('f8_fixedscaleoffset', np.linspace(1000, 1010, 300, dtype='<f8'),
         dict(chunks=(70,), compressor=None, filters=[FixedScaleOffset(offset=1000, scale=10, dtype='<f8', astype='u1')]),
         None),
        ('f4_quantize_bz2', (np.sin(np.arange(250) / 5.0)).astype('<f4'),
         dict(chunks=(60,), compressor=BZ2(), filters=[Quantize(digits=2, dtype='<f4')]), None),
        ('f8_astype_f4', np.arange(200, dtype='<f8') / 8,
         dict(chunks=(50,), compressor=None, filters=[AsType(encode_dtype='<f4', decode_dtype='<f8')]), None),
        ('bool_packbits', np.arange(203) % 5 == 1, dict(chunks=(64,), compressor=Zstd(), filters=[PackBits()]), None),
        ('i4_shuffle_delta_lz4', (np.arange(30 * 20, dtype='<i4') * 7).reshape(30, 20),
         dict(chunks=(9, 7), compressor=LZ4(), filters=[Delta(dtype='<i4'), Shuffle(elementsize=4)]), None),
        ('U5_categorize', np.array(['red', 'green', '', 'blue', 'green'] * 9, dtype='<U5'),
         dict(chunks=(10,), compressor=Zlib(), filters=[Categorize(['red', 'green', 'blue'], dtype='<U5', astype='<u2')],
              fill_value='blue'), np.s_[0:38]),
        # The dtypes moved as bytes, with their fill values.
        ('f2_lz4', (np.arange(300) / 7 - 20).astype('<f2'),
         dict(chunks=(64,), compressor=Blosc('lz4', 5, Blosc.SHUFFLE), fill_value=np.nan), np.s_[0:200]),
        ('f2_be', (np.arange(90) * 1.5).astype('>f2'), dict(chunks=(32,), compressor=Zlib(), fill_value=-0.5),
         np.s_[0:50]),
        ('c8', (np.arange(80) / 3 + 1j * np.arange(80)).astype('<c8'),
         dict(chunks=(32,), compressor=Zstd(), fill_value=complex(1.5, -2)), np.s_[0:50]),
        ('c16_be', (np.arange(60) - 1j * np.arange(60) / 7).astype('>c16'),
         dict(chunks=(16,), compressor=None, fill_value=complex(0, np.inf)), np.s_[10:60]),
        ('S5', np.array([('x%d' % i).encode() for i in range(70)], dtype='|S5'),
         dict(chunks=(16,), compressor=BZ2(), fill_value=b'ab\x00c'), np.s_[0:40]),
        ('U3', np.array(['%dé' % i for i in range(60)], dtype='<U3'),
         dict(chunks=(16,), compressor=Blosc('zstd', 3, Blosc.SHUFFLE), fill_value='z\u00fc'), np.s_[0:40]),
        ('U2_be', np.array(['ab', 'c', '\U0001F600', ''] * 10, dtype='>U2'),
         dict(chunks=(12,), compressor=None, fill_value='q'), np.s_[0:30]),
        ('M8_ns', (np.arange(50) * 1000).astype('<m8[ns]') + np.datetime64('2020-01-01', 'ns'),
         dict(chunks=(16,), compressor=GZip(), fill_value=np.datetime64('NaT')), np.s_[0:40]),
        ('m8_s_2d', (np.arange(40).astype('<m8[s]') * 61).reshape(5, 8), dict(chunks=(2, 3), compressor=LZMA()),
         None),
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
