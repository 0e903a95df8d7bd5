#pragma once

#include "chunkcodec.h"

#include <QStringList>

namespace cs {

// Blosc through its thread-safe context API only (blosc_compress_ctx / blosc_decompress_ctx, one
// internal thread), so that no global blosc state is touched and workers never contend inside blosc.
// The frames are byte-identical to numcodecs' Blosc with use_threads=False for the same settings.
struct BloscParams {
    QString cname = QStringLiteral("blosclz"); // blosclz, lz4, lz4hc, snappy, zlib, zstd
    int clevel = 5;
    int shuffle = 1; // -1 auto (bit shuffle for 1-byte items, byte shuffle otherwise), 0, 1 byte, 2 bit
    int blocksize = 0; // 0: automatic
    int typesize = 1;
};

class BloscCodec final : public ChunkCodec {
public:
    // The compressor names every blosc build Chunkscope supports knows, in blosc's own order.
    static const QStringList &compressorNames();

    explicit BloscCodec(const BloscParams &params);
    size_t maxEncodedSize(size_t n) const override;
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;
    const BloscParams &params() const { return m_params; }

    // The uncompressed size a blosc frame header announces, after checking the header against the
    // frame's length. Throws CodecError for a frame that is too short or inconsistent.
    static size_t decodedSize(const void *frame, size_t frameBytes);

private:
    BloscParams m_params;
    QByteArray m_cname; // Latin-1 copy for the C API, made once
};

} // namespace cs
