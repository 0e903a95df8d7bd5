// libFuzzer target: the bcolz rootdir metadata parser (meta/storage and meta/sizes). The input is
// meta/storage's text, a NUL byte, then meta/sizes' text. Whatever it accepts must be written back by
// storageJson and sizesJson as texts that parse to the same metadata, since a store that creates a copy
// of a bcolz array writes what it parsed; whatever it refuses must be refused with a message that names
// the file at fault.
#include "stores/carray/bcolzrootdir.h"
#include "stores/store.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace {

const QString kStorage = QStringLiteral("root/meta/storage");
const QString kSizes = QStringLiteral("root/meta/sizes");

bool sameMeta(const cs::BcolzMeta &a, const cs::BcolzMeta &b)
{
    return a.dtype == b.dtype && a.shape == b.shape && a.chunklen == b.chunklen && a.cparams.cname == b.cparams.cname
        && a.cparams.clevel == b.cparams.clevel && a.cparams.shuffle == b.cparams.shuffle
        && a.cparams.typesize == b.cparams.typesize && a.quantize == b.quantize && a.expectedlen == b.expectedlen
        && a.nbytes == b.nbytes && a.cbytes == b.cbytes;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = reinterpret_cast<const char *>(data);
    const void *nul = std::memchr(text, '\0', size);
    const size_t storageBytes = nul ? size_t(static_cast<const char *>(nul) - text) : size;
    const QByteArray storage(text, qsizetype(storageBytes));
    const QByteArray sizes
        = nul ? QByteArray(text + storageBytes + 1, qsizetype(size - storageBytes - 1)) : QByteArray();
    cs::BcolzMeta meta;
    try {
        meta = cs::BcolzRootdir::parseMeta(storage, sizes, kStorage, kSizes);
    } catch (const cs::StoreError &e) {
        if (!e.message().startsWith(kStorage + QLatin1String(": "))
            && !e.message().startsWith(kSizes + QLatin1String(": ")))
            __builtin_trap();
        return 0;
    }
    const cs::BcolzMeta again = cs::BcolzRootdir::parseMeta(
        cs::BcolzRootdir::storageJson(meta), cs::BcolzRootdir::sizesJson(meta.shape, meta.nbytes, meta.cbytes),
        kStorage, kSizes);
    if (!sameMeta(meta, again))
        __builtin_trap();
    return 0;
}
