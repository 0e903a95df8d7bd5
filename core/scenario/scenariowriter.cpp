#include "scenariowriter.h"

#include "arrayparser.h"
#include "io/atomicfile.h"
#include "jsontext.h"
#include "scenarioparser.h"

#include <QFileInfo>
#include <QJsonArray>

#include <cmath>

namespace cs {

namespace {

constexpr qsizetype kLineWidth = 120;

// The keys every array has, then the keys that say where each kind's arrays are stored, then the rest
// of each kind's keys, each kind's in its table's order.
const QStringList &arrayKeyOrder()
{
    static const QStringList k = [] {
        QStringList keys = commonArrayKeys();
        for (const StoreKind *kind : storeKinds())
            for (const KindKey &key : kind->keys())
                if (key.locates)
                    keys.append(key.name);
        for (const StoreKind *kind : storeKinds())
            for (const KindKey &key : kind->keys())
                if (!keys.contains(key.name))
                    keys.append(key.name);
        return keys;
    }();
    return k;
}

// Inside compressor, cparams and fill: numcodecs' repr order.
const QStringList &nestedKeyOrder()
{
    static const QStringList k
        = {QStringLiteral("id"),      QStringLiteral("cname"),     QStringLiteral("clevel"),   QStringLiteral("level"),
           QStringLiteral("shuffle"), QStringLiteral("blocksize"), QStringLiteral("constant"), QStringLiteral("random"),
           QStringLiteral("seed"),    QStringLiteral("copy")};
    return k;
}

// `"key": {...}` (or `{...}` for a list item) at `indent` spaces: on one line when it fits,
// otherwise one key per line.
void appendObjectItem(QByteArray &out, int indent, const QString *key, const QJsonObject &o, const QStringList &order)
{
    const QByteArray pad(indent, ' ');
    QByteArray head = pad;
    if (key) {
        appendJsonString(head, *key);
        head.append(": ", 2);
    }
    const QStringList keys = orderedKeys(o, order);
    QByteArray oneLine = head + '{';
    for (qsizetype i = 0; i < keys.size(); ++i) {
        if (i)
            oneLine.append(", ", 2);
        appendJsonString(oneLine, keys.at(i));
        oneLine.append(": ", 2);
        appendJsonInline(oneLine, o.value(keys.at(i)), nestedKeyOrder());
    }
    oneLine.append('}');
    if (oneLine.size() <= kLineWidth || keys.isEmpty()) {
        out += oneLine;
        return;
    }
    out += head + "{\n";
    for (qsizetype i = 0; i < keys.size(); ++i) {
        out += pad + "  ";
        appendJsonString(out, keys.at(i));
        out.append(": ", 2);
        appendJsonInline(out, o.value(keys.at(i)), nestedKeyOrder());
        out += i + 1 < keys.size() ? ",\n" : "\n";
    }
    out += pad + '}';
}

QJsonValue fillToJson(const FillSpec &fill)
{
    switch (fill.kind) {
    case FillSpec::Kind::Empty:
        return QStringLiteral("empty");
    case FillSpec::Kind::Zeros:
        return QStringLiteral("zeros");
    case FillSpec::Kind::Arange:
        return QStringLiteral("arange");
    case FillSpec::Kind::Existing:
        return QStringLiteral("existing");
    case FillSpec::Kind::Constant: {
        QJsonValue v = fill.constant;
        if (std::isnan(fill.constant))
            v = QStringLiteral("NaN");
        else if (std::isinf(fill.constant))
            v = fill.constant > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
        return QJsonObject{{QStringLiteral("constant"), v}};
    }
    case FillSpec::Kind::Random:
        return QJsonObject{{QStringLiteral("random"), QJsonObject{{QStringLiteral("seed"), qint64(fill.seed)}}}};
    case FillSpec::Kind::Copy:
        return QJsonObject{{QStringLiteral("copy"), fill.copyOf}};
    }
    return QJsonValue();
}

QJsonArray intList(const std::vector<int64_t> &values)
{
    QJsonArray a;
    for (const int64_t v : values)
        a.append(qint64(v));
    return a;
}

} // namespace

QJsonObject arraySpecToJson(const ArraySpec &a)
{
    QJsonObject o;
    o.insert(QStringLiteral("store"), a.store);
    if (a.dtypeKnown)
        o.insert(QStringLiteral("dtype"), a.dtype.typestr());
    if (!a.shape.empty())
        o.insert(QStringLiteral("shape"), intList(a.shape));
    if (!a.chunks.empty())
        o.insert(QStringLiteral("chunks"), intList(a.chunks));
    o.insert(QStringLiteral("fill"), fillToJson(a.fill));
    if (a.overwrite)
        o.insert(QStringLiteral("overwrite"), true);
    if (const StoreKind *kind = a.kind(); kind && a.options.has_value())
        for (const KindKey &key : kind->keys())
            if (key.write)
                key.write(a.options, o);
    return o;
}

QJsonObject runSpecToJson(const RunSpec &r)
{
    QJsonObject o{{QStringLiteral("name"), r.name},
                  {QStringLiteral("source"), r.source},
                  {QStringLiteral("target"), r.target},
                  {QStringLiteral("workers"), r.workers},
                  {QStringLiteral("lock"), lockModeName(r.lock)},
                  {QStringLiteral("profile"), r.profile},
                  {QStringLiteral("sample_ms"), r.sampleMs},
                  {QStringLiteral("verify"), r.verify},
                  {QStringLiteral("hdf5_path"), hdf5PathName(r.hdf5Path)},
                  {QStringLiteral("repeat"), r.repeat}};
    if (!r.chunks.empty())
        o.insert(QStringLiteral("chunks"), intList(r.chunks));
    if (r.warmup)
        o.insert(QStringLiteral("warmup"), r.warmup);
    if (r.prefault)
        o.insert(QStringLiteral("prefault"), true);
    if (r.forkDuringCopy)
        o.insert(QStringLiteral("fork_during_copy"), true);
    if (r.leaveOneCore)
        o.insert(QStringLiteral("leave_one_core"), true);
    if (r.distribution != Distribution::Block)
        o.insert(QStringLiteral("distribution"), distributionName(r.distribution));
    if (r.passthrough != PassthroughMode::Never)
        o.insert(QStringLiteral("passthrough"), passthroughModeName(r.passthrough));
    return o;
}

QByteArray scenarioToJson(const Scenario &s)
{
    QByteArray out = "{\n  \"chunkscope\": 1";
    if (!s.name.isEmpty()) {
        out += ",\n  \"name\": ";
        appendJsonString(out, s.name);
    }
    if (!s.description.isEmpty()) {
        out += ",\n  \"description\": ";
        appendJsonString(out, s.description);
    }
    if (s.orderGiven || s.order != RunOrder::Interleaved) {
        out += ",\n  \"order\": ";
        appendJsonString(out, runOrderName(s.order));
    }
    out += ",\n  \"arrays\": {";
    for (qsizetype i = 0; i < s.arrays.size(); ++i) {
        const ArraySpec &a = s.arrays.at(i);
        out += i ? ",\n" : "\n";
        appendObjectItem(out, 4, &a.id, a.given.isEmpty() ? arraySpecToJson(a) : a.given, arrayKeyOrder());
    }
    out += s.arrays.isEmpty() ? "}" : "\n  }";

    QJsonArray runs = s.givenRuns;
    if (runs.isEmpty())
        for (const RunSpec &r : s.runs)
            runs.append(runSpecToJson(r));
    out += ",\n  \"runs\": [";
    for (qsizetype i = 0; i < runs.size(); ++i) {
        out += i ? ",\n" : "\n";
        const QJsonValue run = runs.at(i);
        if (run.isObject()) {
            appendObjectItem(out, 4, nullptr, run.toObject(), scenarioRunKeys());
        } else {
            out += "    ";
            appendJsonInline(out, run);
        }
    }
    out += runs.isEmpty() ? "]" : "\n  ]";
    out += "\n}\n";
    return out;
}

bool saveScenarioFile(const Scenario &scenario, const QString &path, QString *error)
{
    return replaceFile(path, scenarioToJson(scenario), error);
}

std::optional<Scenario> rebuildScenario(const Scenario &edited, QString *error)
{
    const QString label = edited.filePath.isEmpty() ? QStringLiteral("scenario") : edited.filePath;
    const QString dir = edited.filePath.isEmpty() ? QString() : QFileInfo(edited.filePath).absolutePath();
    std::optional<Scenario> s = parseScenario(scenarioToJson(edited), label, error, dir);
    if (s)
        s->filePath = edited.filePath;
    return s;
}

} // namespace cs
