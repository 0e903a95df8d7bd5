#pragma once

#include "array/dtype.h"
#include "chunkcodec.h"

#include <QByteArray>
#include <QStringList>

namespace cs {

// numcodecs.Categorize(labels, dtype, astype): each fixed-width unicode item stored as an integer, i + 1
// for the i-th label it equals and 0 for any other text (numcodecs' encode assigns label after label, so
// when labels repeat the last one wins); decoding gives the label back, and "" for 0 or a number that
// names no label. dtype is a "U" type (numcodecs' object arrays are not fixed-size items), astype an
// integer type; either byte order.
class CategorizeFilter final : public ChunkCodec {
public:
    CategorizeFilter(const QStringList &labels, DType dtype, DType astype);
    CodecKind kind() const override { return CodecKind::ArrayToArray; }
    size_t maxEncodedSize(size_t n) const override;
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;

private:
    // The items in n bytes of `from`, checking that as many `to` items fit in cap bytes.
    static size_t itemCount(size_t n, const DType &from, const DType &to, size_t cap);
    uint64_t codeAt(const char *p) const;
    void storeCode(char *p, uint64_t code) const;

    QStringList m_labels;
    DType m_dtype;
    DType m_astype;
    // Each label as one item of dtype (cut to its characters and padded with NULs, as NumPy assigns it);
    // fits[i] says whether label i fits whole, for only then can an item equal it.
    QByteArray m_items;
    QByteArray m_fits;
};

} // namespace cs
