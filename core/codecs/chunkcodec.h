#pragma once

#include <QString>

#include <cstddef>
#include <stdexcept>

namespace cs {

// A codec failed: corrupt input, a size that does not match, an output that does not fit.
class CodecError : public std::runtime_error {
public:
    explicit CodecError(const QString &message)
        : std::runtime_error(message.toStdString())
        , m_message(message)
    {
    }
    const QString &message() const { return m_message; }

private:
    QString m_message;
};

// What a codec takes and gives, in Zarr v3's terms: an array→array codec rearranges a chunk's
// items (transpose, Zarr v2's filters), an array→bytes codec serialises them (bytes, with an
// endianness), a bytes→bytes codec transforms the serialised bytes (compressors, checksums).
enum class CodecKind : uint8_t { ArrayToArray, ArrayToBytes, BytesToBytes };

// One step of a chunk's codec chain (see CodecChain): a compressor as Zarr's `compressor`, bcolz's
// cparams or one HDF5 filter see it, or a rearrangement of the chunk's items. Bytes in, bytes out,
// with no state between calls, so one instance serves every worker at once.
class ChunkCodec {
public:
    virtual ~ChunkCodec() = default;
    virtual CodecKind kind() const { return CodecKind::BytesToBytes; }
    // An upper bound of encode()'s output for n input bytes.
    virtual size_t maxEncodedSize(size_t n) const = 0;
    // Encodes n bytes into out (capacity cap) and returns the encoded size. Throws CodecError.
    virtual size_t encode(const void *in, size_t n, void *out, size_t cap) const = 0;
    // encode() for an optional step of a chain, which a chunk may be stored without (HDF5's optional
    // filters): 0 instead of an exception when the output would not fit in cap, since an
    // incompressible chunk is an ordinary outcome there.
    virtual size_t tryEncode(const void *in, size_t n, void *out, size_t cap) const
    {
        try {
            return encode(in, n, out, cap);
        } catch (const CodecError &) {
            return 0;
        }
    }
    // Decodes a whole encoded chunk into out (capacity cap) and returns the decoded size.
    // Throws CodecError on corrupt input or when the result would not fit exactly.
    virtual size_t decode(const void *in, size_t n, void *out, size_t cap) const = 0;
    // "blosc(cname=blosclz, clevel=5, shuffle=1)", "zlib(level=1)", "lzf", ...
    virtual QString describe() const = 0;
};

} // namespace cs
