"""Writes Zarr v3 arrays, sharded and not, by hand from the specification, without Chunkscope's code and
without zarr-python 3 (which Debian 12 does not have): numpy for the values, numcodecs for gzip and zstd,
and CRC-32C written out below.

Usage: make_v3_fixtures.py OUTDIR

Creates OUTDIR/<name>/zarr.json with its chunk or shard files, OUTDIR/<name>.bin (the whole array in C
order, little-endian) and OUTDIR/manifest.json, which records for each array its fill value's bytes, the
keys written and, for each shard, its size and the (offset, nbytes) pairs its index holds (null for an
empty inner chunk).
"""
import json
import os
import struct
import sys

import numpy as np
from numcodecs import GZip, Zstd

EMPTY = 2**64 - 1


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def encode_bytes_codecs(raw, codecs):
    """Applies the bytes -> bytes codecs of a list (everything after its first, the bytes codec)."""
    for codec in codecs[1:]:
        name, config = codec['name'], codec.get('configuration', {})
        if name == 'gzip':
            raw = GZip(level=config['level']).encode(raw)
        elif name == 'zstd':
            raw = Zstd(level=config['level']).encode(raw)
        elif name == 'crc32c':
            raw = raw + struct.pack('<I', crc32c(raw))
        else:
            raise ValueError(name)
    return bytes(raw)


def encode_chunk(block, codecs):
    endian = codecs[0].get('configuration', {}).get('endian', 'little')
    order = '<' if endian == 'little' else '>'
    return encode_bytes_codecs(block.astype(block.dtype.newbyteorder(order)).tobytes(), codecs)


def padded_block(data, start, shape, fill):
    """The chunk at `start` of `shape`, with the fill value where it overhangs the array."""
    block = np.full(shape, fill, dtype=data.dtype)
    src = tuple(slice(s, min(s + n, e)) for s, n, e in zip(start, shape, data.shape))
    block[tuple(slice(0, x.stop - x.start) for x in src)] = data[src]
    return block


def chunk_key(index, encoding):
    sep = encoding['configuration']['separator']
    parts = [str(i) for i in index]
    return sep.join(['c'] + parts) if encoding['name'] == 'default' else sep.join(parts)


def grid(shape, chunks):
    return list(np.ndindex(*[-(-s // c) for s, c in zip(shape, chunks)]))


def write_array(outdir, name, data, chunks, fill, codecs, encoding, manifest, extra=None):
    path = os.path.join(outdir, name)
    os.makedirs(path)
    meta = {
        'zarr_format': 3, 'node_type': 'array', 'shape': list(data.shape), 'data_type': str(data.dtype),
        'chunk_grid': {'name': 'regular', 'configuration': {'chunk_shape': list(chunks)}},
        'chunk_key_encoding': encoding, 'fill_value': fill, 'codecs': codecs, 'attributes': {'writer': name},
    }
    meta.update(extra or {})
    with open(os.path.join(path, 'zarr.json'), 'w') as f:
        json.dump(meta, f, indent=2)
    fill_value = float('nan') if fill == 'NaN' else fill
    record = {'fill': np.array(fill_value, dtype=data.dtype).astype('<' + data.dtype.str[1:]).tobytes().hex(),
              'keys': [], 'shards': {}}
    sharding = codecs[0] if codecs[0]['name'] == 'sharding_indexed' else None
    for index in grid(data.shape, chunks):
        start = [i * c for i, c in zip(index, chunks)]
        block = padded_block(data, start, chunks, fill_value)
        key = chunk_key(index, encoding)
        value = write_shard(block, sharding['configuration'], fill_value, record, key) if sharding \
            else encode_chunk(block, codecs)
        if value is None:
            continue  # a shard of fill values alone is not written
        os.makedirs(os.path.dirname(os.path.join(path, key)), exist_ok=True)
        with open(os.path.join(path, key), 'wb') as f:
            f.write(value)
        record['keys'].append(key)
    data.astype('<' + data.dtype.str[1:]).tofile(os.path.join(outdir, name + '.bin'))
    manifest[name] = record


def write_shard(shard, config, fill, record, key):
    inner = config['chunk_shape']
    inner_grid = grid(shard.shape, inner)
    encoded = {}
    for index in inner_grid:
        block = shard[tuple(slice(i * c, (i + 1) * c) for i, c in zip(index, inner))]
        if not np.array_equal(block, np.full_like(block, fill), equal_nan=True):
            encoded[index] = encode_chunk(block, config['codecs'])
    if not encoded:
        return None
    index_size = 16 * len(inner_grid) + 4  # index_codecs: bytes(little), crc32c
    at_start = config.get('index_location', 'end') == 'start'
    body = bytearray(index_size if at_start else 0)
    entries = {i: (EMPTY, EMPTY) for i in inner_grid}
    # Reverse order, with unused bytes between chunks: the specification fixes neither.
    for index in reversed(inner_grid):
        if index in encoded:
            body += b'\xee' * 3
            entries[index] = (len(body), len(encoded[index]))
            body += encoded[index]
    table = b''.join(struct.pack('<QQ', *entries[i]) for i in inner_grid)
    table += struct.pack('<I', crc32c(table))
    if at_start:
        body[:index_size] = table
    else:
        body += table
    # null for an empty entry: JSON readers that hold numbers as doubles cannot tell 2^64 - 1 apart.
    record['shards'][key] = {'size': len(body),
                             'index': [None if entries[i][0] == EMPTY else list(entries[i]) for i in inner_grid]}
    return bytes(body)


def main():
    outdir = sys.argv[1]
    manifest = {}
    bytes_le = {'name': 'bytes', 'configuration': {'endian': 'little'}}
    bytes_be = {'name': 'bytes', 'configuration': {'endian': 'big'}}
    index_codecs = [bytes_le, {'name': 'crc32c'}]
    default_slash = {'name': 'default', 'configuration': {'separator': '/'}}

    ints = (np.arange(10 * 7, dtype='<i4') * 3 - 40).reshape(10, 7)
    write_array(outdir, 'i4_zstd', ints, (4, 3), 0, [bytes_le, {'name': 'zstd', 'configuration': {'level': 3}}],
                default_slash, manifest, {'dimension_names': ['y', None]})

    floats = (np.arange(10 * 7, dtype='<f8') / 3).reshape(10, 7)
    floats[0:4, 3:6] = -1.5  # one inner chunk of fill values only: an empty index entry
    write_array(outdir, 'f8_sharded_end_gzip', floats, (8, 6), -1.5,
                [{'name': 'sharding_indexed', 'configuration': {
                    'chunk_shape': [4, 3], 'codecs': [bytes_le, {'name': 'gzip', 'configuration': {'level': 5}}],
                    'index_codecs': index_codecs, 'index_location': 'end'}}],
                default_slash, manifest)

    shorts = (np.arange(9 * 9, dtype='<u2') * 11).reshape(9, 9)
    write_array(outdir, 'u2_sharded_start_be_zstd_crc', shorts, (6, 6), 7,
                [{'name': 'sharding_indexed', 'configuration': {
                    'chunk_shape': [3, 2],
                    'codecs': [bytes_be, {'name': 'zstd', 'configuration': {'level': 1}}, {'name': 'crc32c'}],
                    'index_codecs': index_codecs, 'index_location': 'start'}}],
                {'name': 'default', 'configuration': {'separator': '.'}}, manifest)

    singles = (np.arange(5 * 6, dtype='<f4') - 2.25).reshape(5, 6)
    write_array(outdir, 'f4_v2keys_gzip_nan', singles, (2, 4), 'NaN',
                [bytes_le, {'name': 'gzip', 'configuration': {'level': 1}}],
                {'name': 'v2', 'configuration': {'separator': '.'}}, manifest)

    with open(os.path.join(outdir, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)


if __name__ == '__main__':
    main()
