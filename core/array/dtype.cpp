#include "dtype.h"

#include <QHash>
#include <QStringList>

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

namespace {

// NumPy's one-character type codes, as numpy.dtype reads them on a 64-bit Linux host
// ('l' and 'p' are 8 bytes there).
std::optional<DType> typeCode(char c)
{
    using K = DType::Kind;
    switch (c) {
    case '?':
        return DType(K::Bool, 1);
    case 'b':
        return DType(K::Int, 1);
    case 'B':
        return DType(K::UInt, 1);
    case 'h':
        return DType(K::Int, 2);
    case 'H':
        return DType(K::UInt, 2);
    case 'i':
        return DType(K::Int, 4);
    case 'I':
        return DType(K::UInt, 4);
    case 'l':
    case 'q':
    case 'p':
        return DType(K::Int, 8);
    case 'L':
    case 'Q':
    case 'P':
        return DType(K::UInt, 8);
    case 'f':
        return DType(K::Float, 4);
    case 'd':
        return DType(K::Float, 8);
    }
    return std::nullopt;
}

bool isFloat16(const QString &text)
{
    static const QStringList spellings = {QStringLiteral("float16"), QStringLiteral("half")};
    if (spellings.contains(text))
        return true;
    const QString body = !text.isEmpty() && QStringLiteral("<>=|").contains(text.at(0)) ? text.mid(1) : text;
    return body == QLatin1String("e") || body == QLatin1String("f2");
}

} // namespace

std::optional<DType> DType::parse(const QString &text, QString *error)
{
    // The names numpy.dtype accepts for the supported types; NumPy takes no byte order before a name.
    static const QHash<QString, DType> names = {
        {QStringLiteral("bool"), DType(Kind::Bool, 1)},     {QStringLiteral("bool_"), DType(Kind::Bool, 1)},
        {QStringLiteral("bool8"), DType(Kind::Bool, 1)},    {QStringLiteral("int8"), DType(Kind::Int, 1)},
        {QStringLiteral("int16"), DType(Kind::Int, 2)},     {QStringLiteral("int32"), DType(Kind::Int, 4)},
        {QStringLiteral("int64"), DType(Kind::Int, 8)},     {QStringLiteral("uint8"), DType(Kind::UInt, 1)},
        {QStringLiteral("uint16"), DType(Kind::UInt, 2)},   {QStringLiteral("uint32"), DType(Kind::UInt, 4)},
        {QStringLiteral("uint64"), DType(Kind::UInt, 8)},   {QStringLiteral("float32"), DType(Kind::Float, 4)},
        {QStringLiteral("float64"), DType(Kind::Float, 8)}, {QStringLiteral("byte"), DType(Kind::Int, 1)},
        {QStringLiteral("ubyte"), DType(Kind::UInt, 1)},    {QStringLiteral("short"), DType(Kind::Int, 2)},
        {QStringLiteral("ushort"), DType(Kind::UInt, 2)},   {QStringLiteral("intc"), DType(Kind::Int, 4)},
        {QStringLiteral("uintc"), DType(Kind::UInt, 4)},    {QStringLiteral("int"), DType(Kind::Int, 8)},
        {QStringLiteral("int_"), DType(Kind::Int, 8)},      {QStringLiteral("int0"), DType(Kind::Int, 8)},
        {QStringLiteral("intp"), DType(Kind::Int, 8)},      {QStringLiteral("long"), DType(Kind::Int, 8)},
        {QStringLiteral("longlong"), DType(Kind::Int, 8)},  {QStringLiteral("uint"), DType(Kind::UInt, 8)},
        {QStringLiteral("uint0"), DType(Kind::UInt, 8)},    {QStringLiteral("uintp"), DType(Kind::UInt, 8)},
        {QStringLiteral("ulong"), DType(Kind::UInt, 8)},    {QStringLiteral("ulonglong"), DType(Kind::UInt, 8)},
        {QStringLiteral("single"), DType(Kind::Float, 4)},  {QStringLiteral("float"), DType(Kind::Float, 8)},
        {QStringLiteral("float_"), DType(Kind::Float, 8)},  {QStringLiteral("double"), DType(Kind::Float, 8)},
    };
    const auto named = names.constFind(text);
    if (named != names.constEnd())
        return *named;

    auto fail = [&]() -> std::optional<DType> {
        if (error)
            *error = isFloat16(text)
                ? QStringLiteral("unsupported dtype \"%1\": float16 is not supported (use float32 or float64)")
                      .arg(text)
                : QStringLiteral("unsupported dtype \"%1\" (expected a NumPy type string such as \"<i4\" or a name "
                                 "such as \"int32\")")
                      .arg(text);
        return std::nullopt;
    };
    // [byte order] kind size, or [byte order] type code. As in numpy.dtype, no byte order, '=' and
    // '|' all mean the host's (little-endian) order, and one-byte types ignore the order given.
    QString body = text;
    bool bigEndian = false;
    if (!body.isEmpty() && QStringLiteral("<>=|").contains(body.at(0))) {
        bigEndian = body.at(0) == QLatin1Char('>');
        body.remove(0, 1);
    }
    if (body.size() == 1) {
        const std::optional<DType> coded = typeCode(body.at(0).toLatin1());
        if (!coded)
            return fail();
        return DType(coded->kind(), coded->itemsize(), bigEndian);
    }
    if (body.size() < 2)
        return fail();
    Kind kind;
    switch (body.at(0).toLatin1()) {
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
    const QString digits = body.mid(1);
    for (const QChar c : digits)
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return fail();
    bool ok = false;
    const int size = digits.toInt(&ok);
    if (!ok || !validSize(kind, size))
        return fail();
    return DType(kind, size, bigEndian);
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
