#!/usr/bin/python3
"""Writes tests/data/numcodecs-vectors.json: chunks encoded and decoded by numcodecs 0.11 (Debian's
python3-numcodecs), which tst_numcodecs compares Chunkscope's codecs with byte for byte.

Run from this folder: /usr/bin/python3 make_numcodecs_fixtures.py > ../data/numcodecs-vectors.json
"""
import json
import lzma
import sys
import zlib

import numcodecs
import numpy as np

RAMP = np.arange(400, dtype="<i4") // 7
WAVE = np.sin(np.arange(300) / 7.0) * 1000.0
rng = np.random.default_rng(7)
# Few distinct bytes, then runs: LZ4's acceleration changes what it finds here.
MIXED = np.concatenate([np.random.default_rng(3).integers(0, 40, 3000, dtype="u1"), np.repeat(np.arange(50, dtype="u1"), 20)])
# float32 values whose scaled, offset form lands near halves: float32 and float64 arithmetic round differently.
FLOATS = (np.random.default_rng(5).random(2000) * 1e5).astype("<f4")

# (name, config, input array): every config is what zarr-python writes in .zarray.
CASES = [
    ("bz2 level 1", {"id": "bz2", "level": 1}, RAMP),
    ("bz2 level 9", {"id": "bz2", "level": 9}, WAVE),
    ("bz2 empty", {"id": "bz2", "level": 1}, np.zeros(0, "u1")),
    ("lzma defaults", {"id": "lzma", "format": 1, "check": -1, "preset": None, "filters": None}, RAMP),
    ("lzma preset 1 no check", {"id": "lzma", "check": 0, "preset": 1}, WAVE),
    ("lzma preset 9 extreme sha256", {"id": "lzma", "check": 10, "preset": 9 | 0x80000000}, RAMP),
    ("lz4 acceleration 1", {"id": "lz4", "acceleration": 1}, RAMP),
    ("lz4 acceleration 20", {"id": "lz4", "acceleration": 20}, WAVE),
    ("delta <i4", {"id": "delta", "dtype": "<i4"}, RAMP),
    ("delta <i8 as <i2", {"id": "delta", "dtype": "<i8", "astype": "<i2"}, (RAMP.astype("<i8") * 3 - 500)),
    ("delta <i4 as <i2 sums in <i4", {"id": "delta", "dtype": "<i4", "astype": "<i2"}, RAMP * 1000),
    ("delta |u1 wraps", {"id": "delta", "dtype": "|u1"}, np.array([250, 3, 255, 0, 7], "u1")),
    ("delta >f8", {"id": "delta", "dtype": ">f8"}, WAVE.astype(">f8")),
    ("delta <f8 as <f4", {"id": "delta", "dtype": "<f8", "astype": "<f4"}, WAVE),
    ("fixedscaleoffset <f8 as <u2", {"id": "fixedscaleoffset", "offset": 1000, "scale": 10, "dtype": "<f8", "astype": "<u2"},
     WAVE + 1500.0),
    ("fixedscaleoffset <f4 as |u1", {"id": "fixedscaleoffset", "offset": -1.5, "scale": 0.1, "dtype": "<f4", "astype": "|u1"},
     (WAVE / 10).astype("<f4")),
    ("fixedscaleoffset <i4 as <i2", {"id": "fixedscaleoffset", "offset": 100, "scale": 2.5, "dtype": "<i4", "astype": "<i2"},
     RAMP * 13),
    ("fixedscaleoffset <f4 as <i4 computes in float32",
     {"id": "fixedscaleoffset", "offset": 0.3, "scale": 7.7, "dtype": "<f4", "astype": "<i4"}, FLOATS),
    ("fixedscaleoffset <f8 as <f4 decodes in float32",
     {"id": "fixedscaleoffset", "offset": 0.1, "scale": 3.3, "dtype": "<f8", "astype": "<f4"}, WAVE),
    ("fixedscaleoffset halves to even", {"id": "fixedscaleoffset", "offset": 0, "scale": 1, "dtype": "<f8", "astype": "<i4"},
     np.array([0.5, 1.5, 2.5, -0.5, -1.5, 3.49, -2.5])),
    ("quantize 2 digits <f8", {"id": "quantize", "digits": 2, "dtype": "<f8"}, WAVE / 1000),
    ("quantize 1 digit <f4", {"id": "quantize", "digits": 1, "dtype": "<f4", "astype": "<f4"}, (WAVE / 7).astype("<f4")),
    ("quantize 3 digits <f8 as <f4", {"id": "quantize", "digits": 3, "dtype": "<f8", "astype": "<f4"}, WAVE / 100),
    ("packbits 13 items", {"id": "packbits"}, rng.random(13) > 0.5),
    ("packbits 16 items", {"id": "packbits"}, rng.random(16) > 0.5),
    ("packbits non-zero bytes are true", {"id": "packbits"}, np.array([0, 2, 255, 0, 1], "u1")),
    ("astype <f8 to <f4", {"id": "astype", "encode_dtype": "<f4", "decode_dtype": "<f8"}, WAVE / 3),
    ("astype <f8 to <i2 truncates", {"id": "astype", "encode_dtype": "<i2", "decode_dtype": "<f8"}, WAVE / 7),
    ("astype <i4 to |u1 wraps", {"id": "astype", "encode_dtype": "|u1", "decode_dtype": "<i4"}, RAMP * 3 - 100),
    ("astype >i8 to <u4", {"id": "astype", "encode_dtype": "<u4", "decode_dtype": ">i8"}, (RAMP * 1000).astype(">i8")),
    ("astype |b1 to <f8", {"id": "astype", "encode_dtype": "<f8", "decode_dtype": "|b1"}, rng.random(9) > 0.5),
    ("shuffle elementsize 4", {"id": "shuffle", "elementsize": 4}, RAMP),
    ("shuffle elementsize 8", {"id": "shuffle", "elementsize": 8}, WAVE),
    ("shuffle default elementsize", {"id": "shuffle"}, RAMP),
    # Each codec's defaults, as a config without its optional keys gets them.
    ("bz2 default level", {"id": "bz2"}, WAVE),
    ("lzma default preset and check", {"id": "lzma"}, WAVE),
    ("lz4 default acceleration", {"id": "lz4"}, MIXED),
    ("zstd default level", {"id": "zstd"}, WAVE),
    ("zlib default level", {"id": "zlib"}, WAVE),
    ("delta default astype", {"id": "delta", "dtype": "<i2"}, RAMP.astype("<i2") * 100),
    # Categorize: labels to integers; text that is no label (or longer than the item) becomes 0, then "".
    ("categorize <U5 as |u1", {"id": "categorize", "labels": ["red", "green", "blue"], "dtype": "<U5"},
     np.array(["red", "blue", "", "green", "pink", "blue", "red"], "<U5")),
    ("categorize >U3 as <i2", {"id": "categorize", "labels": ["d\u00e9j\u00e0", "\U0001F600", "ab"], "dtype": ">U3",
                                "astype": "<i2"},
     np.array(["\U0001F600", "ab", "d\u00e9j", "x", "ab"], ">U3")),
    ("categorize repeated label keeps the last", {"id": "categorize", "labels": ["a", "b", "a"], "dtype": "<U1",
                                                  "astype": ">u4"},
     np.array(["a", "b", "c", "a"], "<U1")),
]


def as_bytes(result):
    """A codec's result, bytes or an array, as its bytes (np.ascontiguousarray(b"") would be one NUL)."""
    if isinstance(result, (bytes, bytearray)):
        return bytes(result)
    return np.ascontiguousarray(result).view("u1").tobytes()


vectors = []
for name, config, array in CASES:
    codec = numcodecs.get_codec(dict(config))
    raw = np.ascontiguousarray(array).tobytes()
    encoded = as_bytes(codec.encode(np.frombuffer(raw, array.dtype)))
    decoded = as_bytes(codec.decode(encoded))
    vectors.append({"name": name, "config": config, "input": raw.hex(), "encoded": encoded.hex(),
                    "decoded": decoded.hex()})


def huge_dictionary_xz():
    """An xz stream whose block header asks for a 1.5 GiB LZMA2 dictionary (property byte 40)."""
    stream = bytearray(lzma.compress(b"chunkscope" * 10, format=lzma.FORMAT_XZ,
                                     filters=[{"id": lzma.FILTER_LZMA2, "dict_size": 4096}]))
    start = 12  # after the stream header
    size = (stream[start] + 1) * 4
    assert stream[start + 1] == 0 and stream[start + 2] == 0x21 and stream[start + 3] == 1
    stream[start + 4] = 40
    crc = zlib.crc32(bytes(stream[start:start + size - 4]))
    stream[start + size - 4:start + size] = crc.to_bytes(4, "little")
    return bytes(stream)


json.dump({
    "written_by": "make_numcodecs_fixtures.py with numcodecs %s and NumPy %s" % (numcodecs.__version__,
                                                                                np.__version__),
    # codec.encode(input) and codec.decode(encoded) as hex; decoded is the input unless the codec is lossy.
    "vectors": vectors,
    # lzma.compress(b'chunkscope' * 10) with its block header patched to a 1.5 GiB dictionary.
    "huge_dictionary_xz": huge_dictionary_xz().hex(),
}, sys.stdout, indent=1)
print()
