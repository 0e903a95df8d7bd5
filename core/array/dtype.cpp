#include "dtype.h"

#include <QHash>

namespace cs {

DType::DType(Kind kind, int itemsize, bool bigEndian)
    : m_kind(kind)
    , m_itemsize(itemsize)
    , m_bigEndian(itemsize > 1 && bigEndian)
{
}

static bool validSize(DType::Kind kind, int size)
{
    switch (kind) {
    case DType::Kind::Bool:
        return size == 1;
    case DType::Kind::Int:
    case DType::Kind::UInt:
        return size == 1 || size == 2 || size == 4 || size == 8;
    case DType::Kind::Float:
        return size == 4 || size == 8;
    }
    return false;
}

std::optional<DType> DType::parse(const QString &text, QString *error)
{
    static const QHash<QString, DType> names = {
        {QStringLiteral("bool"), DType(Kind::Bool, 1)},     {QStringLiteral("int8"), DType(Kind::Int, 1)},
        {QStringLiteral("int16"), DType(Kind::Int, 2)},     {QStringLiteral("int32"), DType(Kind::Int, 4)},
        {QStringLiteral("int64"), DType(Kind::Int, 8)},     {QStringLiteral("uint8"), DType(Kind::UInt, 1)},
        {QStringLiteral("uint16"), DType(Kind::UInt, 2)},   {QStringLiteral("uint32"), DType(Kind::UInt, 4)},
        {QStringLiteral("uint64"), DType(Kind::UInt, 8)},   {QStringLiteral("float32"), DType(Kind::Float, 4)},
        {QStringLiteral("float64"), DType(Kind::Float, 8)},
    };
    const auto named = names.constFind(text);
    if (named != names.constEnd())
        return *named;

    auto fail = [&]() -> std::optional<DType> {
        if (error)
            *error = QStringLiteral("unsupported dtype \"%1\" (expected a NumPy type string such as \"<i4\" or a name "
                                    "such as \"int32\")")
                         .arg(text);
        return std::nullopt;
    };
    if (text.size() < 3)
        return fail();
    const QChar order = text.at(0);
    if (order != QLatin1Char('<') && order != QLatin1Char('>') && order != QLatin1Char('|')
        && order != QLatin1Char('='))
        return fail();
    Kind kind;
    switch (text.at(1).toLatin1()) {
    case 'b':
        kind = Kind::Bool;
        break;
    case 'i':
        kind = Kind::Int;
        break;
    case 'u':
        kind = Kind::UInt;
        break;
    case 'f':
        kind = Kind::Float;
        break;
    default:
        return fail();
    }
    bool ok = false;
    const int size = text.mid(2).toInt(&ok);
    if (!ok || !validSize(kind, size) || text.mid(2) != QString::number(size))
        return fail();
    // '|' means "not applicable" and is only valid for one-byte types, as in NumPy.
    if (order == QLatin1Char('|') && size != 1)
        return fail();
    return DType(kind, size, order == QLatin1Char('>'));
}

QString DType::typestr() const
{
    const char kindChar = m_kind == Kind::Bool ? 'b' : m_kind == Kind::Int ? 'i' : m_kind == Kind::UInt ? 'u' : 'f';
    const QChar order = m_itemsize == 1 ? QLatin1Char('|') : m_bigEndian ? QLatin1Char('>') : QLatin1Char('<');
    return order + QLatin1Char(kindChar) + QString::number(m_itemsize);
}

QString DType::name() const
{
    switch (m_kind) {
    case Kind::Bool:
        return QStringLiteral("bool");
    case Kind::Int:
        return QStringLiteral("int") + QString::number(m_itemsize * 8);
    case Kind::UInt:
        return QStringLiteral("uint") + QString::number(m_itemsize * 8);
    case Kind::Float:
        return QStringLiteral("float") + QString::number(m_itemsize * 8);
    }
    return {};
}

bool DType::operator==(const DType &other) const
{
    return m_kind == other.m_kind && m_itemsize == other.m_itemsize && m_bigEndian == other.m_bigEndian;
}

} // namespace cs
