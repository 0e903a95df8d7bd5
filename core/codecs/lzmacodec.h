#pragma once

#include "chunkcodec.h"

#include <cstdint>

namespace cs {

// xz streams (Debian's liblzma), as numcodecs' LZMA writes them with Python's lzma module and its
// defaults: format FORMAT_XZ, the xz check (CRC64 unless told), a preset (6 unless told) and no custom
// filter chain. Decoding accepts concatenated streams, as lzma.decompress does, and limits the
// decoder's memory so that a corrupt header cannot make it allocate gigabytes.
class LzmaCodec final : public ChunkCodec {
public:
    // numcodecs' check ids: -1 (the format's default, CRC64), 0 (none), 1 (CRC32), 4 (CRC64), 10 (SHA-256).
    // preset: 0-9, optionally ORed with 0x80000000 (PRESET_EXTREME).
    explicit LzmaCodec(uint32_t preset = 6, int check = -1);
    size_t maxEncodedSize(size_t n) const override;
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;

    // What the decoder may allocate: enough for every preset (preset 9 needs 65 MiB), not for a
    // dictionary a corrupt header invents.
    static constexpr uint64_t kMemoryLimit = uint64_t(256) << 20;

private:
    uint32_t m_preset;
    int m_check;
};

} // namespace cs
