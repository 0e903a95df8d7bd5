#include "stores/zarr/zarrkind.h"

#include "stores/zarr/v3/zarrv3keys.h"
#include "stores/zarr/v3/zarrv3store.h"
#include "stores/zarr/zarrcodecs.h"
#include "stores/zarr/zarrfillvalue.h"

#include "stores/zarr/zarroptions.h"
#include "stores/zarr/zarrs3.h"
#include "stores/zarr/zarrstore.h"

namespace cs {

namespace {

const QString kMustBeFillValue = QStringLiteral("must be a number, \"NaN\", \"Infinity\", \"-Infinity\" or null");

// Checks fill_value, given or taken from `like`, against the array's dtype.
void checkFillValue(const QJsonValue &fv, const KindParse &p)
{
    const QString at
        = p.has(QStringLiteral("fill_value")) ? p.at(QStringLiteral("fill_value")) : p.at(QStringLiteral("like"));
    // Complex, string and datetime fill values have forms of their own, which the .zarray reader checks.
    if (p.array.dtypeKnown && !p.array.dtype.isReal()) {
        QByteArray json, item;
        QString error;
        if (!zarrFillValue(fv, p.array.dtype, {}, &json, &item, &error))
            failAt(at, error);
        return;
    }
    const bool special = fv.isString()
        && (fv.toString() == QLatin1String("NaN") || fv.toString() == QLatin1String("Infinity")
            || fv.toString() == QLatin1String("-Infinity"));
    if (!fv.isNull() && !fv.isDouble() && !special && !fv.isBool())
        failAt(at, kMustBeFillValue);
    const DType &dtype = p.array.dtype;
    if (!p.array.dtypeKnown || fv.isNull())
        return;
    if (dtype.kind() == DType::Kind::Float) {
        if (fv.isBool())
            failAt(at, kMustBeFillValue);
    } else if (!(fv.isBool() && dtype.kind() == DType::Kind::Bool)) {
        int64_t min = 0, max = 0, value = 0;
        integerBounds(dtype, &min, &max);
        if (!exactInteger(fv, &value) || value < min || value > max)
            failAt(at,
                   QStringLiteral("must be null or an integer from %1 to %2 (the range of %3)")
                       .arg(min)
                       .arg(max)
                       .arg(dtype.name()));
    }
}

std::optional<CompressorSpec> readCompressor(const QJsonValue &v, const QString &p)
{
    if (v.isNull())
        return std::nullopt;
    const QJsonObject c = requireObject(v, p);
    requireKey(c, p, QStringLiteral("id"));
    const QString id = requireString(c.value(QStringLiteral("id")), jsonPointer(p, QStringLiteral("id")));
    if (id == QLatin1String("blosc")) {
        checkKeys(c, p,
                  {QStringLiteral("id"), QStringLiteral("cname"), QStringLiteral("clevel"), QStringLiteral("shuffle"),
                   QStringLiteral("blocksize")});
        return readBloscKeys(c, p, bloscSpec(QStringLiteral("lz4")), -1, true); // numcodecs.Blosc's defaults
    }
    if (id == QLatin1String("zlib")) {
        checkKeys(c, p, {QStringLiteral("id"), QStringLiteral("level")});
        CompressorSpec cs;
        cs.id = id;
        cs.clevel = 1; // numcodecs.Zlib's default level
        if (c.contains(QStringLiteral("level")))
            cs.clevel
                = int(requireInteger(c.value(QStringLiteral("level")), jsonPointer(p, QStringLiteral("level")), 0, 9));
        return cs;
    }
    if (isNumcodecsCompressor(id)) {
        try {
            return numcodecsCompressor(c);
        } catch (const CodecError &e) {
            failAt(p, e.message());
        }
    }
    failAt(jsonPointer(p, QStringLiteral("id")),
           QStringLiteral("unsupported compressor \"%1\" (expected \"blosc\", \"zlib\", \"bz2\", \"lzma\", \"lz4\", "
                          "\"zstd\" or \"gzip\")")
               .arg(id.left(64)));
}

QJsonArray readFilters(const QJsonValue &v, const QString &p)
{
    try {
        return zarrFilters(v);
    } catch (const CodecError &e) {
        failAt(p, e.message());
    }
}

QJsonValue compressorToJson(const std::optional<CompressorSpec> &c)
{
    if (!c)
        return QJsonValue::Null;
    if (!c->numcodecs.isEmpty())
        return c->numcodecs;
    if (c->id == QLatin1String("zlib"))
        return QJsonObject{{QStringLiteral("id"), QStringLiteral("zlib")}, {QStringLiteral("level"), c->clevel}};
    return bloscToJson(*c, true);
}

class ZarrKind final : public TypedStoreKind<ZarrOptions> {
    // A directory, resolved against the scenario file's folder, or "s3://bucket/prefix", kept as given.
    static KindKey pathOrS3Key()
    {
        KindKey key = pathKey(QStringLiteral("path"), &ZarrOptions::path);
        key.type = QStringLiteral("string: a directory or s3://bucket/prefix");
        key.read = [](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
            if (v.isUndefined())
                return;
            const QString at = p.at(QStringLiteral("path"));
            const QString text = requireString(v, at);
            if (!S3Location::isS3Path(text)) {
                options(o).path = p.localPath(v, at);
                return;
            }
            try {
                S3Location::parse(text);
            } catch (const StoreError &e) {
                failAt(at, e.message());
            }
            options(o).path = text;
        };
        return key;
    }

    static KindKey s3Key()
    {
        KindKey key;
        key.name = QStringLiteral("s3");
        key.type = QStringLiteral("object: endpoint, region, profile, allow_http");
        key.defaultText = QStringLiteral("from AWS_ENDPOINT_URL, AWS_REGION and AWS_PROFILE");
        key.read = [](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
            if (v.isUndefined())
                return;
            if (!S3Location::isS3Path(options(o).path))
                failAt(p.at(QStringLiteral("s3")),
                       QStringLiteral("only an array whose \"path\" is s3://bucket/prefix takes \"s3\""));
            options(o).s3 = readZarrS3Object(v, p.at(QStringLiteral("s3")));
        };
        key.write = [](const StoreOptions &o, QJsonObject &out) {
            if (const QJsonObject s3 = zarrS3Object(options(o).s3); !s3.isEmpty())
                out.insert(QStringLiteral("s3"), s3);
        };
        key.locates = true;
        return key;
    }

public:
    QString id() const override { return QStringLiteral("zarr"); }
    QString summary() const override { return QStringLiteral("zarr: Zarr v2 or v3"); }

    const QList<KindKey> &keys() const override
    {
        static const QList<KindKey> k = withZarrV3Keys({
            pathOrS3Key(),
            s3Key(),
            {QStringLiteral("compressor"),
             QStringLiteral("object or null"),
             QStringLiteral("blosc lz4"),
             {QStringLiteral("compressor"), QStringLiteral("compressor/cname"), QStringLiteral("compressor/clevel"),
              QStringLiteral("compressor/shuffle"), QStringLiteral("compressor/blocksize")},
             [](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
                 if (!v.isUndefined())
                     options(o).compressor = readCompressor(v, p.at(QStringLiteral("compressor")));
             },
             [](const StoreOptions &o, QJsonObject &out) {
                 out.insert(QStringLiteral("compressor"), compressorToJson(options(o).compressor));
             }},
            {QStringLiteral("filters"),
             QStringLiteral("list of numcodecs configs, or null"),
             QStringLiteral("null"),
             {QStringLiteral("filters")},
             [](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
                 if (!v.isUndefined())
                     options(o).filters = readFilters(v, p.at(QStringLiteral("filters")));
             },
             [](const StoreOptions &o, QJsonObject &out) {
                 if (!options(o).filters.isEmpty())
                     out.insert(QStringLiteral("filters"), options(o).filters);
             }},
            {QStringLiteral("fill_value"),
             QStringLiteral("number, string or null"),
             QStringLiteral("0"),
             {QStringLiteral("fill_value")},
             [](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
                 if (!v.isUndefined())
                     options(o).fillValue = v;
                 checkFillValue(options(o).fillValue, p);
             },
             [](const StoreOptions &o, QJsonObject &out) {
                 out.insert(QStringLiteral("fill_value"), options(o).fillValue);
             }},
            {QStringLiteral("order"),
             QStringLiteral("string"),
             QStringLiteral("C"),
             {QStringLiteral("order")},
             [](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
                 if (v.isUndefined())
                     return;
                 options(o).order = requireString(v, p.at(QStringLiteral("order")));
                 if (options(o).order != QLatin1String("C") && options(o).order != QLatin1String("F"))
                     failAt(p.at(QStringLiteral("order")), QStringLiteral("must be \"C\" or \"F\""));
             },
             [](const StoreOptions &o, QJsonObject &out) { out.insert(QStringLiteral("order"), options(o).order); }},
            {QStringLiteral("dimension_separator"),
             QStringLiteral("string"),
             QStringLiteral("."),
             {QStringLiteral("dimension_separator")},
             [](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
                 // Only the array's own key counts, not one of its `like`.
                 options(o).separatorGiven = !v.isUndefined();
                 if (v.isUndefined())
                     return;
                 const QString at = p.at(QStringLiteral("dimension_separator"));
                 options(o).dimensionSeparator = requireString(v, at);
                 if (options(o).dimensionSeparator != QLatin1String(".")
                     && options(o).dimensionSeparator != QLatin1String("/"))
                     failAt(at, QStringLiteral("must be \".\" or \"/\""));
             },
             [](const StoreOptions &o, QJsonObject &out) {
                 out.insert(QStringLiteral("dimension_separator"), options(o).dimensionSeparator);
             }},
        });
        return k;
    }

    StoreOptions defaults() const override
    {
        ZarrOptions o;
        o.compressor = bloscSpec(QStringLiteral("lz4")); // zarr's default compressor
        return o;
    }

    StoreOptions likeOptions(const StoreOptions &base) const override
    {
        ZarrOptions o = options(base);
        o.path.clear();
        o.s3 = S3Config();
        return o;
    }

    bool compressesChunks(const StoreOptions &o) const override { return zarrCompresses(options(o)); }

    MemoryEstimate memoryEstimate(const StoreOptions &o, int64_t nbytes) const override
    {
        // Level 0 stores the bytes as they are.
        const auto &c = options(o).compressor;
        const bool compressed = options(o).zarrFormat == 3 ? zarrCompresses(options(o)) : c && c->clevel > 0;
        return chunkedMemoryEstimate(nbytes, compressed, !options(o).path.isEmpty());
    }

    int64_t scratchBytesPerWorker(const StoreOptions &o, const StoreArray &array, bool writing) const override
    {
        return zarrV3ScratchBytesPerWorker(options(o), array, writing);
    }

    QString locationKey() const override { return QStringLiteral("path"); }
    QString location(const StoreOptions &o) const override { return options(o).path; }
    QString remoteLocation(const StoreOptions &o) const override
    {
        return S3Location::isS3Path(options(o).path) ? zarrS3Location(options(o)) : QString();
    }
    std::optional<QString> overwriteRefusal(const QString &path) const override { return zarrOverwriteRefusal(path); }

    std::unique_ptr<Store> open(const StoreOptions &o, const StoreArray &array) const override
    {
        return createZarrStore(options(o), array);
    }

    std::unique_ptr<Store> planningStore(const StoreOptions &o, const StoreArray &array) const override
    {
        if (array.existing)
            return createZarrStore(options(o), array);
        ZarrOptions inMemory = options(o);
        inMemory.path.clear();
        return createZarrStore(inMemory, array);
    }

    QList<StoredFact> storedFacts(const Store &store, const StoreOptions &, const StoreArray &array) const override
    {
        const QList<StoredFact> f = commonFacts(store, array);
        return {f.at(1), f.at(2), f.at(0)}; // shape, chunks, dtype: the order .zarray gives them
    }

    QString disagreement(const Store &store, const StoreOptions &o, const StoredFact &fact) const override
    {
        return QStringLiteral("%1 %2 differs from %3 in %4")
            .arg(fact.key, fact.given, fact.stored, options(o).path + QLatin1Char('/') + zarrMetadataFile(store));
    }

    QStringList formFields(const QJsonObject &given) const override
    {
        // The codec's rows follow the compressor the array gives; blosc is the default.
        const QString comp
            = given.value(QStringLiteral("compressor")).toObject().value(QStringLiteral("id")).toString();
        const bool none = given.value(QStringLiteral("compressor")).isNull();
        const bool level = zarrCompressorTakesLevel(comp);
        const bool blosc = !none && (comp.isEmpty() || comp == QLatin1String("blosc"));
        // Each format's rows apply to its arrays only; the index's rows only to a sharded array's.
        const bool v3 = given.value(QStringLiteral("zarr_format")) == QJsonValue(3);
        const bool sharded = v3 && isShardedZarrV3(given.value(QStringLiteral("codecs")));
        QStringList fields;
        for (const KindKey &key : keys())
            for (const QString &field : key.formFields) {
                const QString top = field.section(QLatin1Char('/'), 0, 0);
                if ((!field.startsWith(QLatin1String("compressor/")) || blosc
                     || (level && field == QLatin1String("compressor/clevel")))
                    && (!field.startsWith(QLatin1String("codecs/index_")) || sharded)
                    && !(v3 ? isZarrV2Key(top) : isZarrV3Key(top)))
                    fields.append(field);
            }
        return fields;
    }
};

} // namespace

const StoreKind &zarrKind()
{
    static const ZarrKind kind;
    return kind;
}

} // namespace cs
