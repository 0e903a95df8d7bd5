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

// A chunk compressor as Zarr's `compressor`, bcolz's cparams or one HDF5 filter see it: bytes in,
// bytes out, with no state between calls, so one instance serves every worker at once.
class ChunkCodec {
public:
    virtual ~ChunkCodec() = default;
    // An upper bound of encode()'s output for n input bytes.
    virtual size_t maxEncodedSize(size_t n) const = 0;
    // Encodes n bytes into out (capacity cap) and returns the encoded size. Throws CodecError.
    virtual size_t encode(const void *in, size_t n, void *out, size_t cap) const = 0;
    // Decodes a whole encoded chunk into out (capacity cap) and returns the decoded size.
    // Throws CodecError on corrupt input or when the result would not fit exactly.
    virtual size_t decode(const void *in, size_t n, void *out, size_t cap) const = 0;
    // "blosc(cname=blosclz, clevel=5, shuffle=1)", "zlib(level=1)", "lzf", ...
    virtual QString describe() const = 0;
};

} // namespace cs
