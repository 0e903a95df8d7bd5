// libFuzzer target: the blosc chunk decoder as the Zarr and carray stores call it. The header check
// (BloscCodec::decodedSize) must reject every frame blosc could not decode safely into a buffer of
// the size a store expects, and decode() must never write past that buffer.
#include "codecs/blosccodec.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace {

// A store's chunk is at most this big here, so that a frame announcing gigabytes is refused by the
// size check rather than allocated.
constexpr size_t kMaxChunkBytes = size_t(1) << 24;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // The first byte says how the store's buffer relates to what the header announces: the usual
    // exact size, or one byte less or more (a chunk of another shape).
    if (size < 1)
        return 0;
    const int slack = int(data[0] % 3) - 1;
    const uint8_t *frame = data + 1;
    const size_t frameBytes = size - 1;
    size_t announced = 0;
    try {
        announced = cs::BloscCodec::decodedSize(frame, frameBytes);
    } catch (const cs::CodecError &) {
        return 0;
    }
    if (announced > kMaxChunkBytes)
        return 0;
    const size_t cap = slack < 0 && announced == 0 ? 0 : size_t(int64_t(announced) + slack);
    // Exactly cap bytes on the heap, so AddressSanitizer sees any write past the store's buffer.
    std::unique_ptr<char[]> out(new char[cap ? cap : 1]);
    const cs::BloscCodec codec{cs::BloscParams{}};
    try {
        const size_t n = codec.decode(frame, frameBytes, out.get(), cap);
        if (n != announced || n > cap)
            __builtin_trap();
    } catch (const cs::CodecError &) {
    }
    return 0;
}
