// libFuzzer target: numcodecs' decoders (bz2, lzma, lz4, zstd, gzip and the filters), each built from a config the
// input chooses, as a Zarr v2 .zarray would name it. None may write past the chunk's buffer, allocate
// for a size the stored bytes announce, or loop forever on a truncated stream.
#include "codecs/numcodecsfactory.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace {

constexpr size_t kHeaderBytes = 4;
constexpr size_t kMaxChunkBytes = size_t(1) << 20;

const char *const kConfigs[] = {
    "{\"id\": \"bz2\"}",
    "{\"id\": \"lzma\"}",
    "{\"id\": \"lz4\"}",
    "{\"id\": \"delta\", \"dtype\": \"<i4\", \"astype\": \"<i2\"}",
    "{\"id\": \"fixedscaleoffset\", \"offset\": 1000, \"scale\": 10, \"dtype\": \"<f8\", \"astype\": \"<u2\"}",
    "{\"id\": \"quantize\", \"digits\": 2, \"dtype\": \"<f8\", \"astype\": \"<f4\"}",
    "{\"id\": \"packbits\"}",
    "{\"id\": \"astype\", \"encode_dtype\": \"<i2\", \"decode_dtype\": \">f8\"}",
    "{\"id\": \"shuffle\", \"elementsize\": 8}",
    "{\"id\": \"categorize\", \"labels\": [\"a\", \"bc\"], \"dtype\": \">U2\", \"astype\": \"<i2\"}",
    "{\"id\": \"zstd\"}",
    "{\"id\": \"gzip\"}",
};

} // namespace

// Input: byte 0 picks the codec (modulo the configs above); bytes 1-3 the chunk's size in bytes
// (little-endian, at most 1 MiB); the rest is the stored chunk.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < kHeaderBytes)
        return 0;
    const char *config = kConfigs[data[0] % (sizeof(kConfigs) / sizeof(kConfigs[0]))];
    const size_t chunkBytes = (size_t(data[1]) | size_t(data[2]) << 8 | size_t(data[3]) << 16) % (kMaxChunkBytes + 1);
    const auto codec = cs::makeNumcodecsCodec(QJsonDocument::fromJson(QByteArray(config)).object());
    std::unique_ptr<char[]> out(new char[chunkBytes ? chunkBytes : 1]);
    try {
        const size_t n = codec->decode(data + kHeaderBytes, size - kHeaderBytes, out.get(), chunkBytes);
        if (n > chunkBytes)
            __builtin_trap();
    } catch (const cs::CodecError &) {
    }
    return 0;
}
