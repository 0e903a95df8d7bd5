#include "shuffle.h"

#include <cstring>

namespace cs {

void shuffleBytes(const void *in, void *out, size_t bytes, size_t typesize)
{
    const auto *src = static_cast<const unsigned char *>(in);
    auto *dst = static_cast<unsigned char *>(out);
    if (typesize <= 1) {
        std::memcpy(dst, src, bytes);
        return;
    }
    const size_t n = bytes / typesize;
    for (size_t j = 0; j < typesize; ++j)
        for (size_t i = 0; i < n; ++i)
            dst[j * n + i] = src[i * typesize + j];
    std::memcpy(dst + n * typesize, src + n * typesize, bytes - n * typesize);
}

void unshuffleBytes(const void *in, void *out, size_t bytes, size_t typesize)
{
    const auto *src = static_cast<const unsigned char *>(in);
    auto *dst = static_cast<unsigned char *>(out);
    if (typesize <= 1) {
        std::memcpy(dst, src, bytes);
        return;
    }
    const size_t n = bytes / typesize;
    for (size_t j = 0; j < typesize; ++j)
        for (size_t i = 0; i < n; ++i)
            dst[i * typesize + j] = src[j * n + i];
    std::memcpy(dst + n * typesize, src + n * typesize, bytes - n * typesize);
}

} // namespace cs
