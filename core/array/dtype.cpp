#include "dtype.h"

#include <QHash>
#include <QStringList>

namespace cs {

namespace {

const char *const kTimeUnits[] = {"Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as"};
constexpr int kTimeUnitCount = int(sizeof kTimeUnits / sizeof kTimeUnits[0]);
// Large enough for any chunk Chunkscope holds, small enough that 4 * n fits an int.
constexpr int kMaxTextLength = 1 << 28;

int8_t unitIndex(const QString &unit)
{
    for (int i = 0; i < kTimeUnitCount; ++i)
        if (unit == QLatin1String(kTimeUnits[i]))
            return int8_t(i);
    return -1;
}

} // namespace

DType::DType(Kind kind, int itemsize, bool bigEndian, const char *unit)
    : m_kind(kind)
    , m_itemsize(itemsize)
    , m_unit(unit ? unitIndex(QLatin1String(unit)) : int8_t(-1))
{
    m_bigEndian = bigEndian && swapUnit() > 1;
}

const char *const *DType::timeUnits(int *count)
{
    *count = kTimeUnitCount;
    return kTimeUnits;
}

int DType::swapUnit() const
{
    switch (m_kind) {
    case Kind::Complex:
        return m_itemsize / 2;
    case Kind::Unicode:
        return 4;
    case Kind::Bytes:
        return 1;
    case Kind::Bool:
    case Kind::Int:
    case Kind::UInt:
    case Kind::Float:
    case Kind::Datetime:
    case Kind::Timedelta:
        break;
    }
    return m_itemsize;
}

QString DType::unit() const
{
    return m_unit >= 0 ? QLatin1String(kTimeUnits[m_unit]) : QString();
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
        return size == 2 || size == 4 || size == 8;
    case DType::Kind::Complex:
        return size == 8 || size == 16;
    case DType::Kind::Datetime:
    case DType::Kind::Timedelta:
        return size == 8;
    case DType::Kind::Bytes:
    case DType::Kind::Unicode:
        return size >= 1 && size <= kMaxTextLength;
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
    case 'e':
        return DType(K::Float, 2);
    case 'F':
        return DType(K::Complex, 8);
    case 'D':
        return DType(K::Complex, 16);
    }
    return std::nullopt;
}

// Why NumPy types that have no fixed-size, self-describing items are refused; empty for others.
QString refusalReason(const QString &body)
{
    if (body.isEmpty())
        return {};
    const QChar c = body.at(0);
    if (body == QLatin1String("object") || body == QLatin1String("object_") || c == QLatin1Char('O'))
        return QStringLiteral("object arrays hold Python objects (variable-length strings, lists), which have no "
                              "fixed size to copy as bytes");
    if (body == QLatin1String("void") || c == QLatin1Char('V'))
        return QStringLiteral("void and structured dtypes are not supported: their fields are not copied as one "
                              "scalar type");
    if (body == QLatin1String("M") || body == QLatin1String("m") || body == QLatin1String("M8")
        || body == QLatin1String("m8") || body == QLatin1String("datetime64") || body == QLatin1String("timedelta64"))
        return QStringLiteral("datetime64 and timedelta64 need a unit, such as \"<M8[ns]\" or \"<m8[s]\"");
    if (body == QLatin1String("S") || body == QLatin1String("U") || body == QLatin1String("S0")
        || body == QLatin1String("U0") || body == QLatin1String("str") || body == QLatin1String("bytes"))
        return QStringLiteral("strings need a length of at least one, such as \"|S8\" or \"<U8\"");
    return {};
}

// "M8[ns]", "m8[s]", "datetime64[ns]", "timedelta64[D]": a datetime type with its unit.
std::optional<DType> timeType(const QString &body, bool bigEndian)
{
    const int open = int(body.indexOf(QLatin1Char('[')));
    if (open < 0 || !body.endsWith(QLatin1Char(']')))
        return std::nullopt;
    const QString head = body.left(open);
    DType::Kind kind;
    if (head == QLatin1String("M8") || head == QLatin1String("datetime64"))
        kind = DType::Kind::Datetime;
    else if (head == QLatin1String("m8") || head == QLatin1String("timedelta64"))
        kind = DType::Kind::Timedelta;
    else
        return std::nullopt;
    const QByteArray unit = body.mid(open + 1, body.size() - open - 2).toLatin1();
    if (unitIndex(QLatin1String(unit)) < 0)
        return std::nullopt;
    return DType(kind, 8, bigEndian, unit.constData());
}

} // namespace

std::optional<DType> DType::parse(const QString &text, QString *error)
{
    // The names numpy.dtype accepts for the supported types; NumPy takes no byte order before a name.
    static const QHash<QString, DType> names = {
        {QStringLiteral("bool"), DType(Kind::Bool, 1)},
        {QStringLiteral("bool_"), DType(Kind::Bool, 1)},
        {QStringLiteral("bool8"), DType(Kind::Bool, 1)},
        {QStringLiteral("int8"), DType(Kind::Int, 1)},
        {QStringLiteral("int16"), DType(Kind::Int, 2)},
        {QStringLiteral("int32"), DType(Kind::Int, 4)},
        {QStringLiteral("int64"), DType(Kind::Int, 8)},
        {QStringLiteral("uint8"), DType(Kind::UInt, 1)},
        {QStringLiteral("uint16"), DType(Kind::UInt, 2)},
        {QStringLiteral("uint32"), DType(Kind::UInt, 4)},
        {QStringLiteral("uint64"), DType(Kind::UInt, 8)},
        {QStringLiteral("float32"), DType(Kind::Float, 4)},
        {QStringLiteral("float64"), DType(Kind::Float, 8)},
        {QStringLiteral("byte"), DType(Kind::Int, 1)},
        {QStringLiteral("ubyte"), DType(Kind::UInt, 1)},
        {QStringLiteral("short"), DType(Kind::Int, 2)},
        {QStringLiteral("ushort"), DType(Kind::UInt, 2)},
        {QStringLiteral("intc"), DType(Kind::Int, 4)},
        {QStringLiteral("uintc"), DType(Kind::UInt, 4)},
        {QStringLiteral("int"), DType(Kind::Int, 8)},
        {QStringLiteral("int_"), DType(Kind::Int, 8)},
        {QStringLiteral("int0"), DType(Kind::Int, 8)},
        {QStringLiteral("intp"), DType(Kind::Int, 8)},
        {QStringLiteral("long"), DType(Kind::Int, 8)},
        {QStringLiteral("longlong"), DType(Kind::Int, 8)},
        {QStringLiteral("uint"), DType(Kind::UInt, 8)},
        {QStringLiteral("uint0"), DType(Kind::UInt, 8)},
        {QStringLiteral("uintp"), DType(Kind::UInt, 8)},
        {QStringLiteral("ulong"), DType(Kind::UInt, 8)},
        {QStringLiteral("ulonglong"), DType(Kind::UInt, 8)},
        {QStringLiteral("single"), DType(Kind::Float, 4)},
        {QStringLiteral("float"), DType(Kind::Float, 8)},
        {QStringLiteral("float_"), DType(Kind::Float, 8)},
        {QStringLiteral("double"), DType(Kind::Float, 8)},
        {QStringLiteral("float16"), DType(Kind::Float, 2)},
        {QStringLiteral("half"), DType(Kind::Float, 2)},
        {QStringLiteral("complex64"), DType(Kind::Complex, 8)},
        {QStringLiteral("csingle"), DType(Kind::Complex, 8)},
        {QStringLiteral("complex128"), DType(Kind::Complex, 16)},
        {QStringLiteral("cdouble"), DType(Kind::Complex, 16)},
        {QStringLiteral("complex"), DType(Kind::Complex, 16)},
        {QStringLiteral("complex_"), DType(Kind::Complex, 16)},
        {QStringLiteral("cfloat"), DType(Kind::Complex, 16)},
    };
    const auto named = names.constFind(text);
    if (named != names.constEnd())
        return *named;

    auto fail = [&]() -> std::optional<DType> {
        const QString body = !text.isEmpty() && QStringLiteral("<>=|").contains(text.at(0)) ? text.mid(1) : text;
        const QString reason = refusalReason(body);
        if (error)
            *error = !reason.isEmpty()
                ? QStringLiteral("unsupported dtype \"%1\": %2").arg(text, reason)
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
    if (const std::optional<DType> time = timeType(body, bigEndian))
        return time;
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
    case 'c':
        kind = Kind::Complex;
        break;
    case 'S':
    case 'a':
        kind = Kind::Bytes;
        break;
    case 'U':
        kind = Kind::Unicode;
        break;
    default:
        return fail();
    }
    const QString digits = body.mid(1);
    for (const QChar c : digits)
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return fail();
    bool ok = false;
    const int count = digits.toInt(&ok);
    // A "U" count is of characters, four bytes each.
    const int size = kind == Kind::Unicode && count <= kMaxTextLength ? count * 4 : count;
    if (!ok || !validSize(kind, kind == Kind::Unicode ? count : size))
        return fail();
    return DType(kind, size, bigEndian);
}

QString DType::typestr() const
{
    const QChar order = m_bigEndian ? QLatin1Char('>') : swapUnit() == 1 ? QLatin1Char('|') : QLatin1Char('<');
    switch (m_kind) {
    case Kind::Unicode:
        return order + QStringLiteral("U") + QString::number(m_itemsize / 4);
    case Kind::Datetime:
        return order + QStringLiteral("M8[%1]").arg(unit());
    case Kind::Timedelta:
        return order + QStringLiteral("m8[%1]").arg(unit());
    case Kind::Bool:
    case Kind::Int:
    case Kind::UInt:
    case Kind::Float:
    case Kind::Complex:
    case Kind::Bytes:
        break;
    }
    static const char kindChars[] = "biufcS";
    return order + QLatin1Char(kindChars[int(m_kind)]) + QString::number(m_itemsize);
}

QString DType::name() const
{
    const QString bits = QString::number(m_itemsize * 8);
    switch (m_kind) {
    case Kind::Bool:
        return QStringLiteral("bool");
    case Kind::Int:
        return QStringLiteral("int") + bits;
    case Kind::UInt:
        return QStringLiteral("uint") + bits;
    case Kind::Float:
        return QStringLiteral("float") + bits;
    case Kind::Complex:
        return QStringLiteral("complex") + bits;
    case Kind::Bytes:
        return QStringLiteral("bytes") + bits;
    case Kind::Unicode:
        return QStringLiteral("str") + bits;
    case Kind::Datetime:
        return QStringLiteral("datetime64[%1]").arg(unit());
    case Kind::Timedelta:
        return QStringLiteral("timedelta64[%1]").arg(unit());
    }
    return {};
}

bool DType::operator==(const DType &other) const
{
    return m_kind == other.m_kind && m_itemsize == other.m_itemsize && m_bigEndian == other.m_bigEndian
        && m_unit == other.m_unit;
}

} // namespace cs
