#include "categorizefilter.h"

#include <algorithm>
#include <cstring>

namespace cs {

CategorizeFilter::CategorizeFilter(const QStringList &labels, DType dtype, DType astype)
    : m_labels(labels)
    , m_dtype(dtype)
    , m_astype(astype)
{
    if (dtype.kind() != DType::Kind::Unicode)
        throw CodecError(
            QStringLiteral("categorize supports only unicode ('U') dtypes, not '%1'").arg(dtype.typestr()));
    if (astype.kind() != DType::Kind::Int && astype.kind() != DType::Kind::UInt)
        throw CodecError(QStringLiteral("categorize stores integers, not '%1'").arg(astype.typestr()));
    const int size = dtype.itemsize();
    const int chars = size / 4;
    m_items = QByteArray(qsizetype(labels.size()) * size, '\0');
    m_fits = QByteArray(labels.size(), '\0');
    for (qsizetype i = 0; i < labels.size(); ++i) {
        QList<uint> text = labels.at(i).toUcs4();
        // NumPy compares strings without their trailing NULs.
        while (!text.isEmpty() && text.last() == 0)
            text.removeLast();
        m_fits[i] = text.size() <= chars;
        for (int c = 0; c < std::min<int>(chars, int(text.size())); ++c) {
            char *unit = m_items.data() + i * size + c * 4;
            const uint32_t code = text.at(c);
            std::memcpy(unit, &code, 4);
            if (dtype.needsSwap())
                std::reverse(unit, unit + 4);
        }
    }
}

size_t CategorizeFilter::maxEncodedSize(size_t n) const
{
    const size_t d = size_t(m_dtype.itemsize());
    return (n + d - 1) / d * size_t(m_astype.itemsize());
}

uint64_t CategorizeFilter::codeAt(const char *p) const
{
    uint8_t bytes[8] = {};
    const int size = m_astype.itemsize();
    std::memcpy(bytes, p, size_t(size));
    if (m_astype.needsSwap())
        std::reverse(bytes, bytes + size);
    // A negative code names no label: sign-extend so it never lands in 1..labels.
    if (m_astype.kind() == DType::Kind::Int && (bytes[size - 1] & 0x80))
        return ~uint64_t(0);
    uint64_t v = 0;
    std::memcpy(&v, bytes, 8);
    return v;
}

void CategorizeFilter::storeCode(char *p, uint64_t code) const
{
    const int size = m_astype.itemsize();
    std::memcpy(p, &code, size_t(size)); // little-endian host: the low bytes
    if (m_astype.needsSwap())
        std::reverse(p, p + size);
}

size_t CategorizeFilter::itemCount(size_t n, const DType &from, const DType &to, size_t cap)
{
    const size_t size = size_t(from.itemsize());
    if (n % size != 0)
        throw CodecError(QStringLiteral("categorize: a chunk of %1 bytes is not a whole number of '%2' items")
                             .arg(qulonglong(n))
                             .arg(from.typestr()));
    const size_t bytes = n / size * size_t(to.itemsize());
    if (bytes > cap)
        throw CodecError(QStringLiteral("categorize: the chunk becomes %1 bytes, more than %2")
                             .arg(qulonglong(bytes))
                             .arg(qulonglong(cap)));
    return n / size;
}

size_t CategorizeFilter::encode(const void *in, size_t n, void *out, size_t cap) const
{
    const size_t size = size_t(m_dtype.itemsize());
    const size_t codeSize = size_t(m_astype.itemsize());
    const size_t count = itemCount(n, m_dtype, m_astype, cap);
    const auto *src = static_cast<const char *>(in);
    auto *dst = static_cast<char *>(out);
    for (size_t i = 0; i < count; ++i) {
        uint64_t code = 0;
        for (qsizetype l = m_labels.size() - 1; l >= 0 && code == 0; --l)
            if (m_fits.at(l) && std::memcmp(src + i * size, m_items.constData() + l * qsizetype(size), size) == 0)
                code = uint64_t(l) + 1;
        storeCode(dst + i * codeSize, code);
    }
    return count * codeSize;
}

size_t CategorizeFilter::decode(const void *in, size_t n, void *out, size_t cap) const
{
    const size_t size = size_t(m_dtype.itemsize());
    const size_t codeSize = size_t(m_astype.itemsize());
    const size_t count = itemCount(n, m_astype, m_dtype, cap);
    const auto *src = static_cast<const char *>(in);
    auto *dst = static_cast<char *>(out);
    for (size_t i = 0; i < count; ++i) {
        const uint64_t code = codeAt(src + i * codeSize);
        if (code >= 1 && code <= uint64_t(m_labels.size()))
            std::memcpy(dst + i * size, m_items.constData() + qsizetype(code - 1) * qsizetype(size), size);
        else
            std::memset(dst + i * size, 0, size);
    }
    return count * size;
}

QString CategorizeFilter::describe() const
{
    return QStringLiteral("categorize(%1 labels, dtype='%2', astype='%3')")
        .arg(m_labels.size())
        .arg(m_dtype.typestr(), m_astype.typestr());
}

} // namespace cs
