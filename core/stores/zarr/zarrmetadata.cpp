#include "zarrmetadata.h"

#include "codecs/codecfactory.h"
#include "stores/store.h"
#include "stores/zarr/zarrcodecs.h"
#include "stores/zarr/zarrfillvalue.h"
#include "stores/zarr/zarrjson.h"
#include "stores/zarr/zarrpythonjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace cs {

namespace {

using zarrjson::checkShape;
using zarrjson::readCoords;
using zarrjson::toInt64;
constexpr auto jsonText = &zarrjson::text;
const QString kOtherCompressors = QStringLiteral("bz2, lzma, lz4, zstd, gzip");

void appendList(QByteArray &out, const char *key, const Coords &c)
{
    out += "    \"";
    out += key;
    out += "\": [";
    for (int i = 0; i < c.rank; ++i) {
        out += i ? ",\n        " : "\n        ";
        out += QByteArray::number(qlonglong(c[i]));
    }
    out += c.rank ? "\n    ],\n" : "],\n";
}

} // namespace

QByteArray pythonFloatRepr(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("nan");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("inf") : QByteArrayLiteral("-inf");
    char buf[64];
    // to_chars writes no terminator, and atoi below must not read past the exponent's digits.
    const auto res = std::to_chars(buf, buf + sizeof buf - 1, value, std::chars_format::scientific);
    *res.ptr = '\0';
    const char *p = buf;
    QByteArray out;
    if (*p == '-') {
        out += '-';
        ++p;
    }
    QByteArray digits;
    for (; p < res.ptr && *p != 'e'; ++p)
        if (*p != '.')
            digits += *p;
    const int exp = p < res.ptr ? std::atoi(p + 1) : 0;
    const int n = int(digits.size());
    // Python's repr switches to exponent notation below 1e-4 and from 1e16 on.
    if (exp >= -4 && exp < 16) {
        if (exp >= 0) {
            out += digits.left(exp + 1);
            if (n < exp + 1)
                out += QByteArray(exp + 1 - n, '0');
            out += '.';
            out += n > exp + 1 ? digits.mid(exp + 1) : QByteArrayLiteral("0");
        } else {
            out += "0.";
            out += QByteArray(-exp - 1, '0');
            out += digits;
        }
        return out;
    }
    out += digits.left(1);
    if (n > 1) {
        out += '.';
        out += digits.mid(1);
    }
    out += exp < 0 ? "e-" : "e+";
    const int mag = std::abs(exp);
    if (mag < 10)
        out += '0';
    out += QByteArray::number(mag);
    return out;
}

QByteArray ZarrMetadata::toJson() const
{
    QByteArray out = QByteArrayLiteral("{\n");
    appendList(out, "chunks", chunks);
    if (!compressor) {
        out += "    \"compressor\": null,\n";
    } else if (!compressor->numcodecs.isEmpty()) {
        out += "    \"compressor\": " + pythonJson(compressor->numcodecs, 1) + ",\n";
    } else if (compressor->id == QLatin1String("blosc")) {
        out += "    \"compressor\": {\n        \"blocksize\": " + QByteArray::number(compressor->blocksize)
            + ",\n        \"clevel\": " + QByteArray::number(compressor->clevel) + ",\n        \"cname\": \""
            + compressor->cname.toLatin1() + "\",\n        \"id\": \"blosc\",\n        \"shuffle\": "
            + QByteArray::number(compressor->shuffle) + "\n    },\n";
    } else {
        out += "    \"compressor\": {\n        \"id\": \"" + compressor->id.toLatin1()
            + "\",\n        \"level\": " + QByteArray::number(compressor->clevel) + "\n    },\n";
    }
    if (writeSeparator)
        out += QByteArrayLiteral("    \"dimension_separator\": \"") + separator + "\",\n";
    out += "    \"dtype\": \"" + dtype.typestr().toLatin1() + "\",\n";
    out += "    \"fill_value\": " + fillJson + ",\n";
    out += "    \"filters\": " + (filters.isEmpty() ? QByteArrayLiteral("null") : pythonJson(filters, 1)) + ",\n";
    out += fortranOrder ? "    \"order\": \"F\",\n" : "    \"order\": \"C\",\n";
    appendList(out, "shape", shape);
    out += "    \"zarr_format\": 2\n}";
    return out;
}

ZarrMetadata ZarrMetadata::parse(const QByteArray &json, const QString &arrayId)
{
    auto fail
        = [&](const QString &why) { return StoreError(QStringLiteral("array %1, .zarray: %2").arg(arrayId, why)); };
    QString documentError;
    const std::optional<QJsonObject> document = zarrjson::parseObject(json, &documentError);
    if (!document)
        throw fail(documentError);
    const QJsonObject &o = *document;
    ZarrMetadata m;

    int64_t format = 0;
    if (!toInt64(o.value(QLatin1String("zarr_format")), &format) || format != 2)
        throw fail(QStringLiteral("zarr_format %1 is not 2").arg(jsonText(o.value(QLatin1String("zarr_format")))));

    if (!readCoords(o.value(QLatin1String("shape")), &m.shape))
        throw fail(QStringLiteral("shape must be a list of at most %1 integers").arg(kMaxRank));
    if (!readCoords(o.value(QLatin1String("chunks")), &m.chunks))
        throw fail(QStringLiteral("chunks must be a list of at most %1 integers").arg(kMaxRank));

    const QJsonValue dtypeValue = o.value(QLatin1String("dtype"));
    if (!dtypeValue.isString())
        throw fail(QStringLiteral("dtype %1 is not supported (structured dtypes are not)").arg(jsonText(dtypeValue)));
    QString dtypeError;
    const auto dtype = DType::parse(dtypeValue.toString(), &dtypeError);
    if (!dtype)
        throw fail(dtypeError);
    m.dtype = *dtype;

    QString shapeError;
    if (!checkShape(m.shape, m.chunks, m.dtype.itemsize(), &shapeError))
        throw fail(shapeError);

    const QJsonValue comp = o.value(QLatin1String("compressor"));
    if (comp.isObject()) {
        const QJsonObject c = comp.toObject();
        CompressorSpec spec;
        spec.id = c.value(QLatin1String("id")).toString();
        auto intKey = [&](const char *key, int fallback) {
            const QJsonValue v = c.value(QLatin1String(key));
            int64_t i = fallback;
            if (!v.isUndefined()
                && (!toInt64(v, &i) || i < std::numeric_limits<int>::min() || i > std::numeric_limits<int>::max()))
                throw fail(QStringLiteral("compressor %1 %2 is not an integer").arg(QLatin1String(key), jsonText(v)));
            return int(i);
        };
        // Absent keys take numcodecs' defaults, as Blosc(**config) and Zlib(**config) would.
        if (spec.id == QLatin1String("blosc")) {
            const QJsonValue cname = c.value(QLatin1String("cname"));
            if (!cname.isUndefined() && !cname.isString())
                throw fail(QStringLiteral("compressor cname %1 is not a string").arg(jsonText(cname)));
            spec.cname = cname.isString() ? cname.toString() : QStringLiteral("lz4");
            spec.clevel = intKey("clevel", 5);
            spec.shuffle = intKey("shuffle", 1);
            spec.blocksize = intKey("blocksize", 0);
        } else if (spec.id == QLatin1String("zlib")) {
            spec.clevel = intKey("level", 1);
        } else if (!isNumcodecsCompressor(spec.id)) {
            throw fail(QStringLiteral("compressor %1 is not supported (blosc, zlib, %2 and null are)")
                           .arg(jsonText(c.value(QLatin1String("id"))), kOtherCompressors));
        }
        try {
            if (isNumcodecsCompressor(spec.id))
                spec = numcodecsCompressor(c);
            zarrCompressorCodec(spec, m.dtype.itemsize());
        } catch (const CodecError &e) {
            throw fail(e.message());
        }
        m.compressor = spec;
    } else if (!comp.isNull()) {
        throw fail(QStringLiteral("compressor must be an object or null"));
    }

    try {
        m.filters = zarrFilters(o.value(QLatin1String("filters")));
    } catch (const CodecError &e) {
        throw fail(e.message());
    }

    const QJsonValue order = o.value(QLatin1String("order"));
    if (order.toString() == QLatin1String("F"))
        m.fortranOrder = true;
    else if (order.toString() != QLatin1String("C"))
        throw fail(QStringLiteral("order %1 is not \"C\" or \"F\"").arg(jsonText(order)));

    const QJsonValue sep = o.value(QLatin1String("dimension_separator"));
    if (sep.isString() && (sep.toString() == QLatin1String(".") || sep.toString() == QLatin1String("/"))) {
        m.separator = sep.toString().at(0).toLatin1();
        m.writeSeparator = true;
    } else if (!sep.isUndefined() && !sep.isNull()) {
        throw fail(QStringLiteral("dimension_separator %1 is not \".\" or \"/\"").arg(jsonText(sep)));
    }

    const QJsonValue fill = o.value(QLatin1String("fill_value"));
    if (fill.isUndefined())
        throw fail(QStringLiteral("fill_value is missing"));
    static const QRegularExpression rawFill(QStringLiteral("\"fill_value\"\\s*:\\s*([0-9]+)\\s*[,}]"));
    const QRegularExpressionMatch raw = rawFill.match(QString::fromLatin1(json));
    QString fillError;
    if (!zarrFillValue(fill, m.dtype, raw.hasMatch() ? raw.captured(1).toLatin1() : QByteArray(), &m.fillJson,
                       &m.fillItem, &fillError))
        throw fail(fillError);
    return m;
}

ZarrMetadata ZarrMetadata::fromOptions(const ZarrOptions &options, const StoreArray &array)
{
    auto fail = [&](const QString &why) { return StoreError(QStringLiteral("array %1: %2").arg(array.id, why)); };
    ZarrMetadata m;
    m.dtype = array.dtype;
    if (array.shape.size() > size_t(kMaxRank) || array.chunks.size() > size_t(kMaxRank))
        throw fail(QStringLiteral("arrays of rank 1 to %1 are supported").arg(kMaxRank));
    m.shape = Coords::fromVector(array.shape);
    m.chunks = Coords::fromVector(array.chunks);
    QString error;
    if (!checkShape(m.shape, m.chunks, m.dtype.itemsize(), &error))
        throw fail(error);

    if (options.compressor && !options.compressor->id.isEmpty()) {
        const QString &id = options.compressor->id;
        if (id != QLatin1String("blosc") && id != QLatin1String("zlib") && options.compressor->numcodecs.isEmpty())
            throw fail(QStringLiteral("compressor \"%1\" is not a Zarr compressor (blosc, zlib, %2 or null)")
                           .arg(id, kOtherCompressors));
        try {
            zarrCompressorCodec(options.compressor, m.dtype.itemsize());
        } catch (const CodecError &e) {
            throw fail(e.message());
        }
        m.compressor = options.compressor;
    }

    try {
        m.filters = zarrFilters(options.filters);
    } catch (const CodecError &e) {
        throw fail(e.message());
    }

    if (options.order == QLatin1String("F"))
        m.fortranOrder = true;
    else if (options.order != QLatin1String("C"))
        throw fail(QStringLiteral("order \"%1\" is not \"C\" or \"F\"").arg(options.order));

    if (options.dimensionSeparator == QLatin1String("/"))
        m.separator = '/';
    else if (options.dimensionSeparator != QLatin1String("."))
        throw fail(QStringLiteral("dimension_separator \"%1\" is not \".\" or \"/\"").arg(options.dimensionSeparator));
    m.writeSeparator = m.separator == '/' || options.separatorGiven;

    if (!zarrFillValue(options.fillValue, m.dtype, {}, &m.fillJson, &m.fillItem, &error))
        throw fail(error);
    return m;
}

} // namespace cs
