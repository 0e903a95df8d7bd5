#include "arrayparser.h"

#include "stores/carray/carraystore.h"

#include "array/coords.h"
#include "jsoncheck.h"

#include <QDir>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <cfloat>
#include <cmath>

namespace cs {

namespace {

const QStringList &storeKinds()
{
    static const QStringList k
        = {QStringLiteral("memory"), QStringLiteral("zarr"), QStringLiteral("hdf5"), QStringLiteral("carray")};
    return k;
}

const QStringList &commonArrayKeys()
{
    static const QStringList k
        = {QStringLiteral("store"),  QStringLiteral("like"), QStringLiteral("dtype"),    QStringLiteral("shape"),
           QStringLiteral("chunks"), QStringLiteral("fill"), QStringLiteral("overwrite")};
    return k;
}

const QHash<QString, QStringList> &storeSpecificKeys()
{
    static const QHash<QString, QStringList> k = {
        {QStringLiteral("memory"), {}},
        {QStringLiteral("zarr"),
         {QStringLiteral("path"), QStringLiteral("compressor"), QStringLiteral("fill_value"), QStringLiteral("order"),
          QStringLiteral("dimension_separator")}},
        {QStringLiteral("hdf5"),
         {QStringLiteral("file"), QStringLiteral("dataset"), QStringLiteral("compression"),
          QStringLiteral("compression_opts"), QStringLiteral("shuffle")}},
        {QStringLiteral("carray"), {QStringLiteral("chunklen"), QStringLiteral("cparams"), QStringLiteral("rootdir")}},
    };
    return k;
}

struct StoreKeys {
    QStringList allowed;
    QHash<QString, QString> misplaced; // a key of another store kind -> why it is refused here
};

// Built once per store kind rather than once per array.
const StoreKeys &storeKeys(const QString &store)
{
    static const QHash<QString, StoreKeys> byStore = [] {
        QHash<QString, StoreKeys> all;
        for (const QString &store : storeKinds()) {
            StoreKeys &keys = all[store];
            keys.allowed = commonArrayKeys() + storeSpecificKeys().value(store);
            for (const QString &kind : storeKinds())
                if (kind != store)
                    for (const QString &key : storeSpecificKeys().value(kind))
                        if (!keys.allowed.contains(key))
                            keys.misplaced.insert(
                                key,
                                QStringLiteral("\"%1\" is a key of %2 arrays, not of %3 arrays").arg(key, kind, store));
        }
        return all;
    }();
    return *byStore.constFind(store);
}

const QStringList &bloscCnames()
{
    static const QStringList k = {QStringLiteral("blosclz"), QStringLiteral("lz4"),  QStringLiteral("lz4hc"),
                                  QStringLiteral("snappy"),  QStringLiteral("zlib"), QStringLiteral("zstd")};
    return k;
}

QString quotedList(const QStringList &items)
{
    QStringList quoted;
    for (const QString &s : items)
        quoted.append(QLatin1Char('"') + s + QLatin1Char('"'));
    if (quoted.size() < 2)
        return quoted.join(QString());
    return quoted.mid(0, quoted.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ") + quoted.last();
}

QString shapeText(const std::vector<int64_t> &v)
{
    QStringList parts;
    for (const int64_t x : v)
        parts.append(QString::number(x));
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

std::vector<int64_t> clippedToOne(const std::vector<int64_t> &shape)
{
    std::vector<int64_t> c = shape;
    for (int64_t &x : c)
        x = std::max<int64_t>(x, 1);
    return c;
}

// The product of the entries times itemsize, or -1 when it overflows.
int64_t byteCount(const std::vector<int64_t> &dims, int itemsize)
{
    int64_t n = itemsize;
    for (const int64_t d : dims)
        if (__builtin_mul_overflow(n, d, &n))
            return -1;
    return n;
}

CompressorSpec bloscSpec(const QString &cname)
{
    CompressorSpec c;
    c.id = QStringLiteral("blosc");
    c.cname = cname;
    c.clevel = 5;
    c.shuffle = 1;
    c.blocksize = 0;
    return c;
}

// Integer bounds of a dtype that a double holds exactly.
void integerBounds(const DType &dt, int64_t *min, int64_t *max)
{
    const int bits = std::min(dt.itemsize() * 8, 53);
    if (dt.kind() == DType::Kind::Bool) {
        *min = 0;
        *max = 1;
    } else if (dt.kind() == DType::Kind::UInt) {
        *min = 0;
        *max = bits >= 53 ? kMaxExactJsonInteger : (int64_t(1) << bits) - 1;
    } else {
        *max = bits >= 53 ? kMaxExactJsonInteger : (int64_t(1) << (bits - 1)) - 1;
        *min = bits >= 53 ? -kMaxExactJsonInteger : -(int64_t(1) << (bits - 1));
    }
}

class ArrayParser {
public:
    ArrayParser(const QJsonObject &arrays, const QString &baseDir)
        : m_arrays(arrays)
        , m_baseDir(baseDir)
    {
    }

    QList<ArraySpec> parse(const QStringList &order)
    {
        for (const QString &id : order)
            if (!isValidArrayId(id))
                failAt(jsonPointer(QStringLiteral("/arrays"), id),
                       QStringLiteral("invalid array id \"%1\": an id starts with a letter or \"_\" and holds only "
                                      "letters, digits, \"_\", \".\" and \"-\"")
                           .arg(id.left(64)));
        QList<ArraySpec> arrays;
        arrays.reserve(order.size());
        for (const QString &id : order) {
            resolve(id);
            arrays.append(*m_done.constFind(id));
        }
        checkCopyFills(arrays);
        return arrays;
    }

private:
    void resolve(const QString &id);
    ArraySpec parseHead(const QString &id, QJsonObject *object);
    void parseBody(const QJsonObject &o, const ArraySpec *base, ArraySpec &spec);
    void parseShapeAndChunks(const QJsonObject &o, const QString &ptr, const ArraySpec *base, bool existing,
                             ArraySpec &spec);
    FillSpec parseFill(const QJsonValue &v, const QString &ptr, const ArraySpec &spec);
    void parseZarr(const QJsonObject &o, const QString &ptr, const ArraySpec *base, ArraySpec &spec);
    void parseHdf5(const QJsonObject &o, const QString &ptr, const ArraySpec *base, ArraySpec &spec);
    void parseCarray(const QJsonObject &o, const QString &ptr, const ArraySpec *base, ArraySpec &spec);
    void checkChunkLimits(const QJsonObject &o, const QString &ptr, const ArraySpec &spec);
    void checkCopyFills(const QList<ArraySpec> &arrays);
    QString localPath(const QJsonValue &v, const QString &ptr) const;

    QJsonObject m_arrays;
    QString m_baseDir;
    QHash<QString, ArraySpec> m_done;
};

// A `like` chain is walked with a list rather than by recursion, so that its length is bounded by
// the file alone and not by the stack. Each array's own keys are checked on the way down, its body
// parsed on the way back up, in the order a recursive descent would report errors.
void ArrayParser::resolve(const QString &id)
{
    if (m_done.contains(id))
        return;
    QList<std::pair<ArraySpec, QJsonObject>> chain;
    QHash<QString, qsizetype> onChain;
    QString next = id;
    for (;;) {
        onChain.insert(next, chain.size());
        QJsonObject o;
        ArraySpec head = parseHead(next, &o);
        chain.append({std::move(head), o});
        const QString like = chain.constLast().first.like;
        if (!o.contains(QStringLiteral("like")) || m_done.contains(like))
            break;
        const auto loopStart = onChain.constFind(like);
        if (loopStart != onChain.constEnd()) {
            QStringList loop;
            for (qsizetype i = *loopStart; i < chain.size(); ++i)
                loop.append(chain.at(i).first.id);
            loop.append(like);
            failAt(jsonPointer(jsonPointer(QStringLiteral("/arrays"), like), QStringLiteral("like")),
                   QStringLiteral("cycle through ") + loop.join(QStringLiteral(" -> ")));
        }
        next = like;
    }
    for (qsizetype i = chain.size() - 1; i >= 0; --i) {
        auto &[spec, o] = chain[i];
        const ArraySpec *base = o.contains(QStringLiteral("like")) ? &*m_done.constFind(spec.like) : nullptr;
        parseBody(o, base, spec);
        const QString resolved = spec.id;
        m_done.emplace(resolved, std::move(spec));
    }
}

QString ArrayParser::localPath(const QJsonValue &v, const QString &ptr) const
{
    const QString p = requireString(v, ptr);
    if (m_baseDir.isEmpty() || !QDir::isRelativePath(p))
        return p;
    return QDir::cleanPath(m_baseDir + QLatin1Char('/') + p);
}

ArraySpec ArrayParser::parseHead(const QString &id, QJsonObject *object)
{
    const QString ptr = jsonPointer(QStringLiteral("/arrays"), id);
    const auto at = [&](const QString &key) { return jsonPointer(ptr, key); };
    const QJsonObject o = requireObject(m_arrays.value(id), ptr);
    *object = o;

    // The store kind decides which keys are allowed, so it comes first.
    requireKey(o, ptr, QStringLiteral("store"));
    const QString store = requireString(o.value(QStringLiteral("store")), at(QStringLiteral("store")));
    if (!storeKinds().contains(store))
        failAt(at(QStringLiteral("store")),
               QStringLiteral("unknown store \"%1\" (expected %2)").arg(store.left(64), quotedList(storeKinds())));
    const StoreKeys &keys = storeKeys(store);
    checkKeys(o, ptr, keys.allowed, keys.misplaced);

    ArraySpec spec;
    spec.id = id;
    spec.store = store;
    spec.given = o;

    if (o.contains(QStringLiteral("like"))) {
        spec.like = requireString(o.value(QStringLiteral("like")), at(QStringLiteral("like")));
        if (!m_arrays.contains(spec.like))
            failAt(at(QStringLiteral("like")), QStringLiteral("unknown array \"%1\"").arg(spec.like.left(64)));
    }
    return spec;
}

void ArrayParser::parseBody(const QJsonObject &o, const ArraySpec *base, ArraySpec &spec)
{
    const QString ptr = jsonPointer(QStringLiteral("/arrays"), spec.id);
    const auto at = [&](const QString &key) { return jsonPointer(ptr, key); };
    const QString &store = spec.store;
    const bool existing = o.value(QStringLiteral("fill")) == QJsonValue(QStringLiteral("existing"));

    if (o.contains(QStringLiteral("dtype"))) {
        QString message;
        const auto dt
            = DType::parse(requireString(o.value(QStringLiteral("dtype")), at(QStringLiteral("dtype"))), &message);
        if (!dt)
            failAt(at(QStringLiteral("dtype")), message);
        spec.dtype = *dt;
    } else if (base && base->dtypeKnown) {
        spec.dtype = base->dtype;
    } else if (existing) {
        spec.dtypeKnown = false;
    } else {
        failAt(ptr,
               base ? QStringLiteral("missing required key \"dtype\" (%1 takes its dtype from its file)").arg(base->id)
                    : QStringLiteral("missing required key \"dtype\""));
    }

    parseShapeAndChunks(o, ptr, base, existing, spec);
    spec.fill = parseFill(o.value(QStringLiteral("fill")), at(QStringLiteral("fill")), spec);
    if (o.contains(QStringLiteral("overwrite")))
        spec.overwrite = requireBool(o.value(QStringLiteral("overwrite")), at(QStringLiteral("overwrite")));

    if (store == QLatin1String("zarr"))
        parseZarr(o, ptr, base, spec);
    else if (store == QLatin1String("hdf5"))
        parseHdf5(o, ptr, base, spec);
    else if (store == QLatin1String("carray"))
        parseCarray(o, ptr, base, spec);

    if (existing) {
        const QString location = store == QLatin1String("zarr") ? spec.path
            : store == QLatin1String("hdf5")                    ? spec.file
                                                                : spec.rootdir;
        const QString key = store == QLatin1String("zarr") ? QStringLiteral("path")
            : store == QLatin1String("hdf5")               ? QStringLiteral("file")
                                                           : QStringLiteral("rootdir");
        if (store == QLatin1String("memory"))
            failAt(at(QStringLiteral("fill")),
                   QStringLiteral("\"existing\" needs data on disk, which a memory array "
                                  "does not have"));
        if (location.isEmpty())
            failAt(at(QStringLiteral("fill")), QStringLiteral("\"existing\" needs data on disk: give \"%1\"").arg(key));
    }
    checkChunkLimits(o, ptr, spec);
}

void ArrayParser::parseShapeAndChunks(const QJsonObject &o, const QString &ptr, const ArraySpec *base, bool existing,
                                      ArraySpec &spec)
{
    const auto at = [&](const QString &key) { return jsonPointer(ptr, key); };
    const bool shapeGiven = o.contains(QStringLiteral("shape"));
    if (shapeGiven) {
        const QString p = at(QStringLiteral("shape"));
        const QJsonArray a = requireArray(o.value(QStringLiteral("shape")), p);
        if (a.isEmpty() || a.size() > kMaxRank)
            failAt(p, QStringLiteral("must list 1 to %1 dimensions").arg(kMaxRank));
        for (qsizetype i = 0; i < a.size(); ++i)
            spec.shape.push_back(requireInteger(a.at(i), jsonPointer(p, i), 0, kMaxExactJsonInteger,
                                                QStringLiteral("must be a non-negative integer")));
    } else if (base && !base->shape.empty()) {
        spec.shape = base->shape;
    } else if (!existing) {
        failAt(ptr,
               base ? QStringLiteral("missing required key \"shape\" (%1 takes its shape from its file)").arg(base->id)
                    : QStringLiteral("missing required key \"shape\""));
    }
    if (!spec.shape.empty() && spec.dtypeKnown) {
        int64_t elements = 1;
        for (const int64_t d : spec.shape)
            if (__builtin_mul_overflow(elements, d, &elements))
                failAt(shapeGiven ? at(QStringLiteral("shape")) : ptr,
                       QStringLiteral("the number of elements overflows a 64-bit integer"));
        if (byteCount(spec.shape, spec.dtype.itemsize()) < 0)
            failAt(shapeGiven ? at(QStringLiteral("shape")) : ptr,
                   QStringLiteral("the size in bytes overflows a 64-bit integer"));
    }

    const bool chunksGiven = o.contains(QStringLiteral("chunks"));
    const bool carray = spec.store == QLatin1String("carray");
    if (chunksGiven) {
        const QString p = at(QStringLiteral("chunks"));
        const QJsonArray a = requireArray(o.value(QStringLiteral("chunks")), p);
        if (a.isEmpty() || a.size() > kMaxRank)
            failAt(p, QStringLiteral("must list 1 to %1 dimensions").arg(kMaxRank));
        for (qsizetype i = 0; i < a.size(); ++i)
            spec.chunks.push_back(requireInteger(a.at(i), jsonPointer(p, i), 1, kMaxExactJsonInteger,
                                                 QStringLiteral("must be a positive integer")));
        if (!spec.shape.empty() && spec.chunks.size() != spec.shape.size())
            failAt(p,
                   QStringLiteral("rank %1 differs from the shape's rank %2")
                       .arg(spec.chunks.size())
                       .arg(spec.shape.size()));
    } else if (base && !base->chunks.empty() && !spec.shape.empty()) {
        if (base->chunks.size() != spec.shape.size())
            failAt(at(QStringLiteral("shape")),
                   QStringLiteral("rank %1 differs from the rank %2 of the chunks taken from %3; give \"chunks\" too")
                       .arg(spec.shape.size())
                       .arg(base->chunks.size())
                       .arg(base->id));
        spec.chunks = base->chunks;
        // h5py refuses chunks larger than a fixed dimension; a borrowed chunking is clipped instead.
        if (spec.store == QLatin1String("hdf5"))
            for (size_t i = 0; i < spec.chunks.size(); ++i)
                spec.chunks[i] = std::min(spec.chunks[i], std::max<int64_t>(spec.shape[i], 1));
    } else if (!spec.shape.empty() && !carray) {
        spec.chunks = clippedToOne(spec.shape); // one chunk, as dask's from_array of a small array
    }

    if (spec.store == QLatin1String("hdf5") && chunksGiven && !spec.shape.empty())
        for (size_t i = 0; i < spec.chunks.size(); ++i)
            if (spec.shape[i] > 0 && spec.chunks[i] > spec.shape[i])
                failAt(jsonPointer(at(QStringLiteral("chunks")), qsizetype(i)),
                       QStringLiteral("%1 is larger than the dimension's %2, which HDF5 refuses for a fixed-size "
                                      "dataset")
                           .arg(spec.chunks[i])
                           .arg(spec.shape[i]));

    if (!carray)
        return;
    // bcolz chunks along the first axis only: chunks are [chunklen, shape[1], ...].
    int64_t chunklen = 0;
    if (o.contains(QStringLiteral("chunklen")))
        chunklen = requireInteger(o.value(QStringLiteral("chunklen")), at(QStringLiteral("chunklen")), 1,
                                  kMaxExactJsonInteger, QStringLiteral("must be a positive integer"));
    if (chunksGiven && chunklen && spec.chunks[0] != chunklen)
        failAt(at(QStringLiteral("chunklen")),
               QStringLiteral("%1 differs from the first entry of chunks, %2").arg(chunklen).arg(spec.chunks[0]));
    if (spec.shape.empty()) {
        spec.chunklen = chunklen ? chunklen : chunksGiven ? spec.chunks[0] : 0;
        return;
    }
    std::vector<int64_t> rows = clippedToOne(spec.shape);
    if (chunksGiven) {
        rows[0] = spec.chunks[0];
        if (spec.chunks != rows) {
            rows[0] = 0;
            failAt(at(QStringLiteral("chunks")),
                   QStringLiteral("a carray is chunked along its first axis only: chunks must be ")
                       + shapeText(rows).replace(QStringLiteral("[0"), QStringLiteral("[N")));
        }
    } else if (chunklen) {
        rows[0] = chunklen;
    } else if (!spec.chunks.empty()) {
        rows[0] = spec.chunks[0]; // taken from `like`
    } else {
        rows[0] = spec.dtypeKnown ? carrayDefaultChunklen(spec.dtype, spec.shape) : 0;
    }
    spec.chunks = rows[0] > 0 ? rows : std::vector<int64_t>();
    spec.chunklen = rows[0];
}

FillSpec ArrayParser::parseFill(const QJsonValue &v, const QString &ptr, const ArraySpec &spec)
{
    FillSpec fill;
    if (v.isUndefined())
        return fill; // "empty"
    const QString forms = QStringLiteral("must be \"empty\", \"zeros\", \"arange\", \"existing\", {\"constant\": V}, "
                                         "{\"random\": {\"seed\": N}} or {\"copy\": \"ID\"}");
    if (v.isString()) {
        static const QHash<QString, FillSpec::Kind> names = {
            {QStringLiteral("empty"), FillSpec::Kind::Empty},
            {QStringLiteral("zeros"), FillSpec::Kind::Zeros},
            {QStringLiteral("arange"), FillSpec::Kind::Arange},
            {QStringLiteral("existing"), FillSpec::Kind::Existing},
        };
        const auto it = names.constFind(v.toString());
        if (it == names.constEnd())
            failAt(ptr, forms);
        fill.kind = *it;
        return fill;
    }
    if (!v.isObject())
        failAt(ptr, forms);
    const QJsonObject o = v.toObject();
    checkKeys(o, ptr, {QStringLiteral("constant"), QStringLiteral("random"), QStringLiteral("copy")});
    if (o.size() != 1)
        failAt(ptr, QStringLiteral("must have exactly one of the keys \"constant\", \"random\" and \"copy\""));
    const QString key = o.constBegin().key();
    const QString p = jsonPointer(ptr, key);
    const QJsonValue value = o.constBegin().value();
    if (key == QLatin1String("constant")) {
        fill.kind = FillSpec::Kind::Constant;
        if (spec.dtype.kind() == DType::Kind::Float) {
            if (value.isString() && value.toString() == QLatin1String("NaN"))
                fill.constant = std::nan("");
            else if (value.isString() && value.toString() == QLatin1String("Infinity"))
                fill.constant = HUGE_VAL;
            else if (value.isString() && value.toString() == QLatin1String("-Infinity"))
                fill.constant = -HUGE_VAL;
            else if (!value.isDouble())
                failAt(p, QStringLiteral("must be a number, \"NaN\", \"Infinity\" or \"-Infinity\""));
            else
                fill.constant = value.toDouble();
            if (spec.dtype.itemsize() == 4 && std::isfinite(fill.constant) && std::fabs(fill.constant) > FLT_MAX)
                failAt(p, QStringLiteral("is out of the range of float32"));
        } else if (spec.dtype.kind() == DType::Kind::Bool && value.isBool()) {
            fill.constant = value.toBool() ? 1 : 0;
        } else {
            int64_t min = 0, max = 0;
            integerBounds(spec.dtype, &min, &max);
            fill.constant = double(requireInteger(value, p, min, max,
                                                  integerRangeMessage(min, max)
                                                      + QStringLiteral(" (the range of %1)").arg(spec.dtype.name())));
        }
    } else if (key == QLatin1String("random")) {
        fill.kind = FillSpec::Kind::Random;
        const QJsonObject r = requireObject(value, p);
        checkKeys(r, p, {QStringLiteral("seed")});
        if (r.contains(QStringLiteral("seed")))
            fill.seed
                = uint64_t(requireInteger(r.value(QStringLiteral("seed")), jsonPointer(p, QStringLiteral("seed")), 0,
                                          kMaxExactJsonInteger, QStringLiteral("must be a non-negative integer")));
    } else {
        fill.kind = FillSpec::Kind::Copy;
        fill.copyOf = requireString(value, p);
        if (!m_arrays.contains(fill.copyOf))
            failAt(p, QStringLiteral("unknown array \"%1\"").arg(fill.copyOf.left(64)));
        if (fill.copyOf == spec.id)
            failAt(p, QStringLiteral("an array cannot be filled with a copy of itself"));
    }
    return fill;
}

void ArrayParser::parseZarr(const QJsonObject &o, const QString &ptr, const ArraySpec *base, ArraySpec &spec)
{
    const auto at = [&](const QString &key) { return jsonPointer(ptr, key); };
    if (base && base->store == spec.store) {
        spec.compressor = base->compressor;
        spec.fillValue = base->fillValue;
        spec.order = base->order;
        spec.dimensionSeparator = base->dimensionSeparator;
    } else {
        spec.compressor = bloscSpec(QStringLiteral("lz4")); // zarr's default compressor
    }
    if (o.contains(QStringLiteral("path")))
        spec.path = localPath(o.value(QStringLiteral("path")), at(QStringLiteral("path")));

    if (o.contains(QStringLiteral("compressor"))) {
        const QString p = at(QStringLiteral("compressor"));
        const QJsonValue v = o.value(QStringLiteral("compressor"));
        if (v.isNull()) {
            spec.compressor.reset();
        } else {
            const QJsonObject c = requireObject(v, p);
            requireKey(c, p, QStringLiteral("id"));
            const QString id = requireString(c.value(QStringLiteral("id")), jsonPointer(p, QStringLiteral("id")));
            const auto cat = [&](const QString &key) { return jsonPointer(p, key); };
            if (id == QLatin1String("blosc")) {
                checkKeys(c, p,
                          {QStringLiteral("id"), QStringLiteral("cname"), QStringLiteral("clevel"),
                           QStringLiteral("shuffle"), QStringLiteral("blocksize")});
                CompressorSpec cs = bloscSpec(QStringLiteral("lz4")); // numcodecs.Blosc's defaults
                if (c.contains(QStringLiteral("cname"))) {
                    cs.cname = requireString(c.value(QStringLiteral("cname")), cat(QStringLiteral("cname")));
                    if (!bloscCnames().contains(cs.cname))
                        failAt(cat(QStringLiteral("cname")),
                               QStringLiteral("must be one of ") + quotedList(bloscCnames()));
                }
                if (c.contains(QStringLiteral("clevel")))
                    cs.clevel
                        = int(requireInteger(c.value(QStringLiteral("clevel")), cat(QStringLiteral("clevel")), 0, 9));
                if (c.contains(QStringLiteral("shuffle")))
                    cs.shuffle = int(
                        requireInteger(c.value(QStringLiteral("shuffle")), cat(QStringLiteral("shuffle")), -1, 2));
                if (c.contains(QStringLiteral("blocksize")))
                    cs.blocksize
                        = int(requireInteger(c.value(QStringLiteral("blocksize")), cat(QStringLiteral("blocksize")), 0,
                                             2147483647, QStringLiteral("must be a non-negative integer")));
                spec.compressor = cs;
            } else if (id == QLatin1String("zlib")) {
                checkKeys(c, p, {QStringLiteral("id"), QStringLiteral("level")});
                CompressorSpec cs;
                cs.id = id;
                cs.clevel = 1; // numcodecs.Zlib's default level
                if (c.contains(QStringLiteral("level")))
                    cs.clevel
                        = int(requireInteger(c.value(QStringLiteral("level")), cat(QStringLiteral("level")), 0, 9));
                spec.compressor = cs;
            } else {
                failAt(
                    cat(QStringLiteral("id")),
                    QStringLiteral("unsupported compressor \"%1\" (expected \"blosc\" or \"zlib\")").arg(id.left(64)));
            }
        }
    }

    if (o.contains(QStringLiteral("fill_value")))
        spec.fillValue = o.value(QStringLiteral("fill_value"));
    const QString fvPtr
        = o.contains(QStringLiteral("fill_value")) ? at(QStringLiteral("fill_value")) : at(QStringLiteral("like"));
    const QJsonValue fv = spec.fillValue;
    const bool special = fv.isString()
        && (fv.toString() == QLatin1String("NaN") || fv.toString() == QLatin1String("Infinity")
            || fv.toString() == QLatin1String("-Infinity"));
    if (!fv.isNull() && !fv.isDouble() && !special && !fv.isBool())
        failAt(fvPtr, QStringLiteral("must be a number, \"NaN\", \"Infinity\", \"-Infinity\" or null"));
    if (spec.dtypeKnown && !fv.isNull()) {
        if (spec.dtype.kind() == DType::Kind::Float) {
            if (fv.isBool())
                failAt(fvPtr, QStringLiteral("must be a number, \"NaN\", \"Infinity\", \"-Infinity\" or null"));
        } else if (!(fv.isBool() && spec.dtype.kind() == DType::Kind::Bool)) {
            int64_t min = 0, max = 0, value = 0;
            integerBounds(spec.dtype, &min, &max);
            if (!exactInteger(fv, &value) || value < min || value > max)
                failAt(fvPtr,
                       QStringLiteral("must be null or an integer from %1 to %2 (the range of %3)")
                           .arg(min)
                           .arg(max)
                           .arg(spec.dtype.name()));
        }
    }

    if (o.contains(QStringLiteral("order"))) {
        spec.order = requireString(o.value(QStringLiteral("order")), at(QStringLiteral("order")));
        if (spec.order != QLatin1String("C") && spec.order != QLatin1String("F"))
            failAt(at(QStringLiteral("order")), QStringLiteral("must be \"C\" or \"F\""));
    }
    if (o.contains(QStringLiteral("dimension_separator"))) {
        const QString p = at(QStringLiteral("dimension_separator"));
        spec.dimensionSeparator = requireString(o.value(QStringLiteral("dimension_separator")), p);
        if (spec.dimensionSeparator != QLatin1String(".") && spec.dimensionSeparator != QLatin1String("/"))
            failAt(p, QStringLiteral("must be \".\" or \"/\""));
    }
}

void ArrayParser::parseHdf5(const QJsonObject &o, const QString &ptr, const ArraySpec *base, ArraySpec &spec)
{
    const auto at = [&](const QString &key) { return jsonPointer(ptr, key); };
    if (base && base->store == spec.store) {
        spec.compression = base->compression;
        spec.compressionOpts = base->compressionOpts;
        spec.shuffle = base->shuffle;
    }
    if (o.contains(QStringLiteral("file")))
        spec.file = localPath(o.value(QStringLiteral("file")), at(QStringLiteral("file")));
    requireKey(o, ptr, QStringLiteral("dataset"));
    spec.dataset = requireString(o.value(QStringLiteral("dataset")), at(QStringLiteral("dataset")));
    if (o.contains(QStringLiteral("compression"))) {
        const QJsonValue v = o.value(QStringLiteral("compression"));
        const QString text = v.isString() ? v.toString() : QString();
        if (!v.isNull() && text != QLatin1String("lzf") && text != QLatin1String("gzip"))
            failAt(at(QStringLiteral("compression")), QStringLiteral("must be null, \"lzf\" or \"gzip\""));
        spec.compression = text;
    }
    if (o.contains(QStringLiteral("compression_opts"))) {
        const QString p = at(QStringLiteral("compression_opts"));
        spec.compressionOpts = int(requireInteger(o.value(QStringLiteral("compression_opts")), p, 0, 9));
        if (spec.compression != QLatin1String("gzip"))
            failAt(p, QStringLiteral("applies to \"gzip\" compression only"));
    }
    if (o.contains(QStringLiteral("shuffle")))
        spec.shuffle = requireBool(o.value(QStringLiteral("shuffle")), at(QStringLiteral("shuffle")));
}

void ArrayParser::parseCarray(const QJsonObject &o, const QString &ptr, const ArraySpec *base, ArraySpec &spec)
{
    const auto at = [&](const QString &key) { return jsonPointer(ptr, key); };
    // bcolz's defaults as the notebook's bcolz printed them: cparams(clevel=5, shuffle=1, cname='blosclz').
    spec.cparams = base && base->store == spec.store ? base->cparams : bloscSpec(QStringLiteral("blosclz"));
    if (o.contains(QStringLiteral("cparams"))) {
        const QString p = at(QStringLiteral("cparams"));
        const QJsonObject c = requireObject(o.value(QStringLiteral("cparams")), p);
        checkKeys(c, p, {QStringLiteral("cname"), QStringLiteral("clevel"), QStringLiteral("shuffle")});
        spec.cparams = bloscSpec(QStringLiteral("blosclz"));
        if (c.contains(QStringLiteral("cname"))) {
            const QString cp = jsonPointer(p, QStringLiteral("cname"));
            spec.cparams.cname = requireString(c.value(QStringLiteral("cname")), cp);
            if (!bloscCnames().contains(spec.cparams.cname))
                failAt(cp, QStringLiteral("must be one of ") + quotedList(bloscCnames()));
        }
        if (c.contains(QStringLiteral("clevel")))
            spec.cparams.clevel = int(
                requireInteger(c.value(QStringLiteral("clevel")), jsonPointer(p, QStringLiteral("clevel")), 0, 9));
        if (c.contains(QStringLiteral("shuffle")))
            spec.cparams.shuffle = int(
                requireInteger(c.value(QStringLiteral("shuffle")), jsonPointer(p, QStringLiteral("shuffle")), 0, 2));
    }
    if (o.contains(QStringLiteral("rootdir")))
        spec.rootdir = localPath(o.value(QStringLiteral("rootdir")), at(QStringLiteral("rootdir")));
}

void ArrayParser::checkChunkLimits(const QJsonObject &o, const QString &ptr, const ArraySpec &spec)
{
    if (spec.chunks.empty() || !spec.dtypeKnown)
        return;
    const QString p = o.contains(QStringLiteral("chunks")) ? jsonPointer(ptr, QStringLiteral("chunks"))
        : o.contains(QStringLiteral("chunklen"))           ? jsonPointer(ptr, QStringLiteral("chunklen"))
                                                           : ptr;
    const bool compressed = (spec.store == QLatin1String("zarr") && spec.compressor)
        || (spec.store == QLatin1String("hdf5") && !spec.compression.isEmpty())
        || spec.store == QLatin1String("carray");
    const int64_t bytes = byteCount(spec.chunks, spec.dtype.itemsize());
    const QString size = bytes < 0 ? QStringLiteral("more than 2^63") : QString::number(bytes);
    if (compressed && (bytes < 0 || bytes > kMaxCompressedChunkBytes))
        failAt(p,
               QStringLiteral("one chunk is %1 bytes; a compressed store allows at most %2 (blosc's limit)")
                   .arg(size)
                   .arg(kMaxCompressedChunkBytes));
    if (spec.store == QLatin1String("hdf5") && (bytes < 0 || bytes > kMaxHdf5ChunkBytes))
        failAt(p, QStringLiteral("one chunk is %1 bytes; HDF5 allows at most %2").arg(size).arg(kMaxHdf5ChunkBytes));
}

void ArrayParser::checkCopyFills(const QList<ArraySpec> &arrays)
{
    // Arrays whose copy chain is known to end in an array that needs no other, so that each chain
    // is walked once however many arrays share it.
    QSet<QString> grounded;
    for (const ArraySpec &a : arrays) {
        if (a.fill.kind != FillSpec::Kind::Copy)
            continue;
        const QString p = jsonPointer(jsonPointer(jsonPointer(QStringLiteral("/arrays"), a.id), QStringLiteral("fill")),
                                      QStringLiteral("copy"));
        const ArraySpec &from = *m_done.constFind(a.fill.copyOf);
        if (!a.shape.empty() && !from.shape.empty() && a.shape != from.shape)
            failAt(p,
                   QStringLiteral("shape %1 differs from %2's %3")
                       .arg(shapeText(a.shape), from.id, shapeText(from.shape)));
        if (a.dtypeKnown && from.dtypeKnown && a.dtype != from.dtype)
            failAt(
                p,
                QStringLiteral("dtype %1 differs from %2's %3").arg(a.dtype.typestr(), from.id, from.dtype.typestr()));
        // An array filled from one that is itself filled from the first would never be ready.
        QStringList chain{a.id};
        QHash<QString, qsizetype> onChain{{a.id, 0}};
        const ArraySpec *cur = &from;
        while (!grounded.contains(cur->id)) {
            const auto seen = onChain.constFind(cur->id);
            if (seen != onChain.constEnd())
                failAt(p,
                       QStringLiteral("cycle through ")
                           + (chain.mid(*seen) + QStringList{cur->id}).join(QStringLiteral(" -> ")));
            onChain.insert(cur->id, chain.size());
            chain.append(cur->id);
            if (cur->fill.kind != FillSpec::Kind::Copy)
                break;
            cur = &*m_done.constFind(cur->fill.copyOf);
        }
        for (const QString &id : std::as_const(chain))
            grounded.insert(id);
    }
}

} // namespace

int64_t carrayDefaultChunklen(const DType &dtype, const std::vector<int64_t> &shape)
{
    if (shape.empty())
        return 1;
    int64_t rowBytes = dtype.itemsize();
    for (size_t i = 1; i < shape.size(); ++i)
        if (__builtin_mul_overflow(rowBytes, shape[i], &rowBytes))
            return 1;
    return bcolzDefaultChunklen(shape[0], rowBytes);
}

QList<ArraySpec> parseScenarioArrays(const QJsonObject &arrays, const QStringList &order, const QString &baseDir)
{
    return ArrayParser(arrays, baseDir).parse(order);
}

bool isValidArrayId(const QString &id)
{
    static const QRegularExpression idPattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.-]*$"));
    return idPattern.match(id).hasMatch();
}

} // namespace cs
