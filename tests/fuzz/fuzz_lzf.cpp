// libFuzzer target: the LZF decoder (cs::LzfCodec, as the HDF5 store runs h5py's filter 32000 on the
// direct chunk path) and the HDF5 filter pipeline decode around it (shuffle, deflate, LZF, in the
// order a dataset's pipeline gives, with the chunk's filter mask). Neither may write past the
// chunk's buffer or trust a size the stored bytes announce.
#include "codecs/chunkcodec.h"
#include "codecs/lzfcodec.h"
#include "stores/hdf5/hdf5filterpipeline.h"
#include "task/taskcontext.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace {

constexpr size_t kHeaderBytes = 8;
constexpr size_t kMaxChunkBytes = size_t(1) << 20;

uint32_t readLe32(const uint8_t *p)
{
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

} // namespace

// Input: an 8-byte header, then the stored chunk.
//   byte 0: bit 0 clear = LzfCodec alone, set = a filter pipeline
//   byte 1: the pipeline, two bits per filter from the low bits (0 none, 1 shuffle, 2 deflate, 3 lzf),
//           up to four filters, in the order HDF5 applies them on writing
//   byte 2: the shuffle element size; byte 3: the chunk's filter mask
//   bytes 4-7: the chunk's size in bytes (little-endian), at most 1 MiB
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < kHeaderBytes)
        return 0;
    const size_t chunkBytes = readLe32(data + 4) % (kMaxChunkBytes + 1);
    const char *stored = reinterpret_cast<const char *>(data + kHeaderBytes);
    const size_t storedBytes = size - kHeaderBytes;
    std::unique_ptr<char[]> out(new char[chunkBytes ? chunkBytes : 1]);

    if (!(data[0] & 1)) {
        try {
            const size_t n = cs::LzfCodec().decode(stored, storedBytes, out.get(), chunkBytes);
            if (n > chunkBytes)
                __builtin_trap();
        } catch (const cs::CodecError &) {
        }
        return 0;
    }

    cs::Hdf5FilterPipeline pipeline;
    for (int i = 0; i < 4; ++i) {
        cs::Hdf5FilterPipeline::Filter f;
        switch ((data[1] >> (2 * i)) & 3) {
        case 0:
            continue;
        case 1:
            f.kind = cs::Hdf5FilterPipeline::Kind::Shuffle;
            f.id = 2;
            f.param = data[2];
            break;
        case 2:
            f.kind = cs::Hdf5FilterPipeline::Kind::Deflate;
            f.id = 1;
            f.param = data[2] % 10;
            break;
        case 3:
            f.kind = cs::Hdf5FilterPipeline::Kind::Lzf;
            f.id = 32000;
            break;
        }
        pipeline.add(f);
    }
    cs::TaskContext ctx;
    try {
        pipeline.decode(stored, storedBytes, data[3], out.get(), chunkBytes, ctx);
    } catch (const cs::CodecError &) {
    }
    return 0;
}
