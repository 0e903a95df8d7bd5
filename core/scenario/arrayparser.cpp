#include "arrayparser.h"

#include "array/coords.h"
#include "io/jsoncheck.h"

#include <QDir>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <cfloat>
#include <cmath>

namespace cs {

const QStringList &commonArrayKeys()
{
    static const QStringList k
        = {QStringLiteral("store"),  QStringLiteral("like"), QStringLiteral("dtype"),    QStringLiteral("shape"),
           QStringLiteral("chunks"), QStringLiteral("fill"), QStringLiteral("overwrite")};
    return k;
}

namespace {

struct StoreKeys {
    QStringList allowed;
    QHash<QString, QString> misplaced; // a key of another store kind -> why it is refused here
};

// Built once per store kind rather than once per array.
const StoreKeys &storeKeys(const QString &store)
{
    static const QHash<QString, StoreKeys> byStore = [] {
        QHash<QString, StoreKeys> all;
        for (const StoreKind *kind : storeKinds()) {
            StoreKeys &keys = all[kind->id()];
            keys.allowed = commonArrayKeys();
            for (const KindKey &key : kind->keys())
                keys.allowed.append(key.name);
            for (const StoreKind *other : storeKinds())
                if (other != kind)
                    for (const KindKey &key : other->keys())
                        if (!keys.allowed.contains(key.name))
                            keys.misplaced.insert(key.name,
                                                  QStringLiteral("\"%1\" is a key of %2 arrays, not of %3 arrays")
                                                      .arg(key.name, other->id(), kind->id()));
        }
        return all;
    }();
    return *byStore.constFind(store);
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
    KindParse kindParse(const QJsonObject &o, const QString &ptr, const ArraySpec &spec) const;
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
    if (!findStoreKind(store))
        failAt(at(QStringLiteral("store")),
               QStringLiteral("unknown store \"%1\" (expected %2)").arg(store.left(64), storeKindList()));
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
    const bool existing = o.value(QStringLiteral("fill")) == QJsonValue(QStringLiteral("existing"));
    // A `like` array of the same kind lends its codec settings, never its location.
    spec.options
        = base && base->store == spec.store ? spec.kind()->likeOptions(base->options) : spec.kind()->defaults();

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

    const StoreKind &kind = *spec.kind();
    const KindParse kp = kindParse(o, ptr, spec);
    for (const KindKey &key : kind.keys())
        if (key.read)
            key.read(o.value(key.name), kp, spec.options);

    if (existing) {
        if (kind.locationKey().isEmpty())
            failAt(at(QStringLiteral("fill")),
                   QStringLiteral("\"existing\" needs data on disk, which a %1 array does not have").arg(kind.id()));
        if (kind.location(spec.options).isEmpty())
            failAt(at(QStringLiteral("fill")),
                   QStringLiteral("\"existing\" needs data on disk: give \"%1\"").arg(kind.locationKey()));
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
    const StoreKind &kind = *spec.kind();
    ChunkSource source = chunksGiven ? ChunkSource::Given : ChunkSource::Unknown;
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
        source = ChunkSource::Borrowed;
    } else if (!spec.shape.empty() && kind.defaultsToOneChunk()) {
        spec.chunks = clippedToOne(spec.shape); // one chunk, as dask's from_array of a small array
        source = ChunkSource::Default;
    }
    kind.settleChunks(kindParse(o, ptr, spec), source, spec.chunks, spec.options);
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
        if (spec.dtype.isText())
            failAt(p, QStringLiteral("is not available for string dtypes (use \"zeros\", \"arange\" or \"random\")"));
        if (spec.dtype.kind() == DType::Kind::Float || spec.dtype.kind() == DType::Kind::Complex) {
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

KindParse ArrayParser::kindParse(const QJsonObject &o, const QString &ptr, const ArraySpec &spec) const
{
    KindParse p;
    p.given = o;
    p.pointer = ptr;
    p.array = spec.storeArray();
    p.localPath = [this](const QJsonValue &v, const QString &at) { return localPath(v, at); };
    return p;
}

void ArrayParser::checkChunkLimits(const QJsonObject &o, const QString &ptr, const ArraySpec &spec)
{
    if (spec.chunks.empty() || !spec.dtypeKnown)
        return;
    const StoreKind &kind = *spec.kind();
    QString p = o.contains(QStringLiteral("chunks")) ? jsonPointer(ptr, QStringLiteral("chunks")) : ptr;
    if (!o.contains(QStringLiteral("chunks")))
        for (const KindKey &key : kind.keys())
            if (key.setsChunks && o.contains(key.name)) {
                p = jsonPointer(ptr, key.name);
                break;
            }
    const bool compressed = kind.compressesChunks(spec.options);
    const int64_t bytes = byteCount(spec.chunks, spec.dtype.itemsize());
    const QString size = bytes < 0 ? QStringLiteral("more than 2^63") : QString::number(bytes);
    if (compressed && (bytes < 0 || bytes > kMaxCompressedChunkBytes))
        failAt(p,
               QStringLiteral("one chunk is %1 bytes; a compressed store allows at most %2 (blosc's limit)")
                   .arg(size)
                   .arg(kMaxCompressedChunkBytes));
    if (kind.maxChunkBytes() >= 0 && (bytes < 0 || bytes > kind.maxChunkBytes()))
        failAt(p,
               QStringLiteral("one chunk is %1 bytes; %2 allows at most %3")
                   .arg(size, kind.maxChunkBytesWho())
                   .arg(kind.maxChunkBytes()));
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
