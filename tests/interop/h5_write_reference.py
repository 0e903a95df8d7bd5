"""Writes HDF5 datasets with h5py for Chunkscope to read, and the data as raw C-order bytes.

Usage: h5_write_reference.py OUTDIR

Creates OUTDIR/h5py.h5, one OUTDIR/<name>.bin per dataset, and OUTDIR/manifest.json describing each
dataset as h5py sees it, including the filter mask of every stored chunk.
"""
import json
import os
import sys

import h5py
import numpy as np


def datasets():
    rng = np.random.default_rng(1234)
    # Rows 0, 2 and 4 are random: LZF cannot shrink them, so HDF5 stores them with the LZF bit set.
    random_rows = np.zeros((6, 256), dtype='<u4')
    random_rows[0::2] = rng.integers(0, 2**32, size=(3, 256), dtype=np.uint64).astype('<u4')
    return [
        ('lzf_shuffle', np.arange(1000, dtype='<i4') * 3, dict(chunks=(128,), compression='lzf', shuffle=True),
         'lzf+shuffle'),
        ('gzip', (np.arange(37 * 23, dtype='<f8') / 8).reshape(37, 23),
         dict(chunks=(8, 5), compression='gzip', compression_opts=5), 'gzip(5)'),
        ('random', random_rows, dict(chunks=(1, 256), compression='lzf', shuffle=True), 'lzf+shuffle'),
        ('nd_be', (np.arange(9 * 10 * 11) % 300 - 150).astype('>i2').reshape(9, 10, 11),
         dict(chunks=(4, 4, 4), compression='lzf', shuffle=True), 'lzf+shuffle'),
        ('flags', np.arange(100) % 3 == 0, dict(chunks=(32,), compression='lzf'), 'lzf'),
        ('gzip_shuffle_u8', np.arange(300, dtype='<u8').reshape(20, 15) ** 2,
         dict(chunks=(7, 4), compression='gzip', shuffle=True), 'gzip(4)+shuffle'),
        ('grp/contiguous', np.arange(50, dtype='<i8') - 25, dict(), 'none'),
        # h5py's float16, complex compound and fixed-length bytes.
        ('f2', (np.arange(100) / 8 - 3).astype('<f2'), dict(chunks=(32,), compression='gzip', shuffle=True),
         'gzip(4)+shuffle'),
        ('c8', (np.arange(60) / 3 - 1j * np.arange(60)).astype('<c8'), dict(chunks=(16,), compression='gzip'),
         'gzip(4)'),
        ('c16_be', (np.arange(30) + 0.5j).astype('>c16'), dict(chunks=(8,)), 'none'),
        ('S5', np.array([('s%d' % i).encode() for i in range(50)], dtype='|S5'),
         dict(chunks=(16,), compression='gzip'), 'gzip(4)'),
    ]


def main():
    out = os.path.abspath(sys.argv[1])
    path = os.path.join(out, 'h5py.h5')
    manifest = []
    with h5py.File(path, 'w') as f:
        for name, data, kwargs, codec in datasets():
            ds = f.create_dataset(name, data=data, **kwargs)
            ref = os.path.join(out, name.replace('/', '_') + '.bin')
            with open(ref, 'wb') as r:
                r.write(np.ascontiguousarray(data).tobytes())
            masks = []
            if ds.chunks is not None:
                for i in range(ds.id.get_num_chunks()):
                    info = ds.id.get_chunk_info(i)
                    masks.append({'offset': list(info.chunk_offset), 'mask': info.filter_mask})
            manifest.append({
                'dataset': name,
                'ref': ref,
                'dtype': data.dtype.str,
                'shape': list(data.shape),
                'chunks': list(ds.chunks) if ds.chunks is not None else list(data.shape),
                'codec': codec,
                'chunk_masks': masks,
            })
    with open(os.path.join(out, 'manifest.json'), 'w') as m:
        json.dump({'file': path, 'datasets': manifest}, m, indent=1)
    print('ok')


if __name__ == '__main__':
    main()
