#pragma once

// What codec tests share: random input, and encoding or decoding a QByteArray through a ChunkCodec.

#include "codecs/chunkcodec.h"

#include <QByteArray>
#include <QString>

#include <random>

namespace cs::testing {

inline QByteArray randomBytes(int bytes, unsigned seed)
{
    QByteArray data(bytes, Qt::Uninitialized);
    std::mt19937 rng(seed);
    for (int i = 0; i < bytes; ++i)
        data[i] = char(rng());
    return data;
}

inline QByteArray encodeWith(const ChunkCodec &codec, const QByteArray &in)
{
    QByteArray out(int(codec.maxEncodedSize(size_t(in.size()))), Qt::Uninitialized);
    out.resize(int(codec.encode(in.constData(), size_t(in.size()), out.data(), size_t(out.size()))));
    return out;
}

// Decodes into a buffer of cap bytes and returns what the codec wrote there.
inline QByteArray decodeWith(const ChunkCodec &codec, const QByteArray &in, int cap)
{
    QByteArray out(cap, '\0');
    out.resize(int(codec.decode(in.constData(), size_t(in.size()), out.data(), size_t(cap))));
    return out;
}

// The CodecError a decode into cap bytes throws, or "no error".
inline QString decodeError(const ChunkCodec &codec, const QByteArray &encoded, int cap)
{
    try {
        decodeWith(codec, encoded, cap);
    } catch (const CodecError &e) {
        return e.message();
    }
    return QStringLiteral("no error");
}

} // namespace cs::testing
