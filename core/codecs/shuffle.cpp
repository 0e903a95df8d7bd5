#include "shuffle.h"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cs {

namespace {

void shuffleScalar(const uint8_t *src, uint8_t *dst, size_t n, size_t typesize, size_t first)
{
    for (size_t j = 0; j < typesize; ++j)
        for (size_t i = first; i < n; ++i)
            dst[j * n + i] = src[i * typesize + j];
}

void unshuffleScalar(const uint8_t *src, uint8_t *dst, size_t n, size_t typesize, size_t first)
{
    for (size_t j = 0; j < typesize; ++j)
        for (size_t i = first; i < n; ++i)
            dst[i * typesize + j] = src[j * n + i];
}

#if defined(__SSE2__)

// Shuffling 16 elements of T bytes is a transpose of a 16 x T byte matrix. Read the 16T bytes as
// one stream whose byte positions have 4 + log2(T) bits; a transpose rotates those bits by 4 (or
// by log2(T) the other way round), and one perfect riffle of the stream (its two halves interleaved
// byte by byte) rotates them by one bit. A riffle is T unpacklo/unpackhi instructions, so a shuffle
// takes 4 rounds and an unshuffle log2(T) rounds, all in registers.
template <int T> inline void riffle(__m128i *v)
{
    __m128i r[T];
    for (int k = 0; k < T; k += 2) {
        r[k] = _mm_unpacklo_epi8(v[k / 2], v[T / 2 + k / 2]);
        r[k + 1] = _mm_unpackhi_epi8(v[k / 2], v[T / 2 + k / 2]);
    }
    for (int k = 0; k < T; ++k)
        v[k] = r[k];
}

template <int T> constexpr int log2Of()
{
    return T == 2 ? 1 : T == 4 ? 2 : T == 8 ? 3 : 4;
}

template <int T> void shuffleSse2(const uint8_t *src, uint8_t *dst, size_t n)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i v[T];
        for (int k = 0; k < T; ++k)
            v[k] = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + i * T + 16 * size_t(k)));
        for (int round = 0; round < 4; ++round)
            riffle<T>(v);
        for (int k = 0; k < T; ++k)
            _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + size_t(k) * n + i), v[k]);
    }
    shuffleScalar(src, dst, n, T, i);
}

template <int T> void unshuffleSse2(const uint8_t *src, uint8_t *dst, size_t n)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i v[T];
        for (int k = 0; k < T; ++k)
            v[k] = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + size_t(k) * n + i));
        for (int round = 0; round < log2Of<T>(); ++round)
            riffle<T>(v);
        for (int k = 0; k < T; ++k)
            _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + i * T + 16 * size_t(k)), v[k]);
    }
    unshuffleScalar(src, dst, n, T, i);
}

#endif

} // namespace

void shuffleBytes(const void *in, void *out, size_t bytes, size_t typesize)
{
    const auto *src = static_cast<const uint8_t *>(in);
    auto *dst = static_cast<uint8_t *>(out);
    if (typesize <= 1) {
        std::memcpy(dst, src, bytes);
        return;
    }
    const size_t n = bytes / typesize;
    switch (typesize) {
#if defined(__SSE2__)
    case 2:
        shuffleSse2<2>(src, dst, n);
        break;
    case 4:
        shuffleSse2<4>(src, dst, n);
        break;
    case 8:
        shuffleSse2<8>(src, dst, n);
        break;
    case 16:
        shuffleSse2<16>(src, dst, n);
        break;
#endif
    default:
        shuffleScalar(src, dst, n, typesize, 0);
    }
    std::memcpy(dst + n * typesize, src + n * typesize, bytes - n * typesize);
}

void unshuffleBytes(const void *in, void *out, size_t bytes, size_t typesize)
{
    const auto *src = static_cast<const uint8_t *>(in);
    auto *dst = static_cast<uint8_t *>(out);
    if (typesize <= 1) {
        std::memcpy(dst, src, bytes);
        return;
    }
    const size_t n = bytes / typesize;
    switch (typesize) {
#if defined(__SSE2__)
    case 2:
        unshuffleSse2<2>(src, dst, n);
        break;
    case 4:
        unshuffleSse2<4>(src, dst, n);
        break;
    case 8:
        unshuffleSse2<8>(src, dst, n);
        break;
    case 16:
        unshuffleSse2<16>(src, dst, n);
        break;
#endif
    default:
        unshuffleScalar(src, dst, n, typesize, 0);
    }
    std::memcpy(dst + n * typesize, src + n * typesize, bytes - n * typesize);
}

size_t ShuffleCodec::encode(const void *in, size_t n, void *out, size_t cap) const
{
    if (n > cap)
        throw CodecError(QStringLiteral("shuffle: %1 bytes do not fit in %2").arg(n).arg(cap));
    shuffleBytes(in, out, n, m_typesize);
    return n;
}

size_t ShuffleCodec::decode(const void *in, size_t n, void *out, size_t cap) const
{
    if (n > cap)
        throw CodecError(QStringLiteral("the chunk decodes to %1 bytes, expected %2").arg(n).arg(cap));
    unshuffleBytes(in, out, n, m_typesize);
    return n;
}

QString ShuffleCodec::describe() const
{
    return QStringLiteral("shuffle");
}

} // namespace cs
