"""Checks an HDF5 file Chunkscope wrote, as a user of h5py would open it.

Usage: h5_check_chunkscope.py MANIFEST

MANIFEST (JSON) names the file and, per dataset: path, raw reference bytes, dtype, shape, chunks,
compression (None, 'lzf', 'gzip'), compression_opts and shuffle. Prints 'ok' and exits 0 when every
dataset matches, else prints one line per mismatch and exits 1.
"""
import json
import sys

import h5py
import numpy as np


def check(f, d, problems):
    name = d['dataset']
    ds = f[name]
    dtype = np.dtype(d['dtype'])
    shape = tuple(d['shape'])

    def expect(what, got, wanted):
        if got != wanted:
            problems.append('%s: %s is %r, expected %r' % (name, what, got, wanted))

    expect('dtype', ds.dtype, dtype)
    expect('shape', ds.shape, shape)
    expect('chunks', ds.chunks, tuple(d['chunks']))
    expect('compression', ds.compression, d['compression'])
    expect('shuffle', ds.shuffle, d['shuffle'])
    if d['compression'] == 'gzip':
        expect('compression_opts', ds.compression_opts, d['compression_opts'])
    if d['compression'] == 'lzf':
        chunk_bytes = int(np.prod(d['chunks'])) * dtype.itemsize
        dcpl = ds.id.get_create_plist()
        lzf = [dcpl.get_filter(i) for i in range(dcpl.get_nfilters())
               if dcpl.get_filter(i)[0] == h5py.h5z.FILTER_LZF]
        expect('lzf filter (flags, cd_values)', [(f[1], tuple(f[2])) for f in lzf],
               [(h5py.h5z.FLAG_OPTIONAL, (4, 0x0105, chunk_bytes))])
    reference = np.fromfile(d['ref'], dtype=dtype).reshape(shape)
    data = ds[...]
    if not np.array_equal(data, reference):
        bad = np.argwhere(data != reference)
        problems.append('%s: %d elements differ, first at %s' % (name, len(bad), tuple(bad[0])))
    masks = d.get('masked_chunks')
    if masks is not None:
        got = sorted(tuple(ds.id.get_chunk_info(i).chunk_offset) for i in range(ds.id.get_num_chunks())
                     if ds.id.get_chunk_info(i).filter_mask != 0)
        expect('chunks stored with a filter skipped', got, sorted(tuple(m) for m in masks))


def main():
    with open(sys.argv[1]) as m:
        manifest = json.load(m)
    problems = []
    with h5py.File(manifest['file'], 'r') as f:
        for d in manifest['datasets']:
            try:
                check(f, d, problems)
            except Exception as e:  # a dataset h5py cannot read at all
                problems.append('%s: %s: %s' % (d['dataset'], type(e).__name__, e))
    if problems:
        print('\n'.join(problems))
        sys.exit(1)
    print('ok')


if __name__ == '__main__':
    main()
