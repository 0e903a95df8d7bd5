#pragma once

// What the passthrough interoperability tests share: sharded Zarr v3 codecs and the inner chunks of a
// stored shard, an array's int32 values and their digest, the same values as Python or zarrita read them,
// and the checks of a run that passed its chunks.

#include "interopsupport.h"
#include "results/runresult.h"
#include "runner/passthroughcheck.h"
#include "scenarioruns.h"
#include "stores/store.h"
#include "task/taskcontext.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QtEndian>
#include <QtTest>

#include <cstdint>
#include <vector>

namespace cs::testing {

// A sharded Zarr v3 array's codecs: shards of inner chunks `inner` encoded by `codecs`, the index at the
// end with a crc32c unless `indexCodecs` says otherwise, and at `location` when one is given.
inline const QByteArray kShardIndexCodecs
    = R"([{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}])";

inline QByteArray sharded(const QByteArray &inner, const QByteArray &codecs,
                          const QByteArray &indexCodecs = kShardIndexCodecs, const QByteArray &location = QByteArray())
{
    const QByteArray at = location.isEmpty() ? QByteArray() : R"(, "index_location": ")" + location + R"(")";
    return R"([{"name": "sharding_indexed", "configuration": {"chunk_shape": )" + inner + R"(, "codecs": )" + codecs
        + R"(, "index_codecs": )" + indexCodecs + at + R"(}}])";
}

// The stored inner chunks of a shard whose index is at its end (an offset and a size, little-endian, per
// inner chunk, then a crc32c): each one's bytes, a null QByteArray for one left out.
inline QList<QByteArray> innerChunks(const QByteArray &shard, int count)
{
    QList<QByteArray> inner;
    const qsizetype index = shard.size() - qsizetype(count) * 16 - 4;
    for (int i = 0; i < count; ++i) {
        const auto offset = qFromLittleEndian<quint64>(shard.constData() + index + 16 * i);
        const auto size = qFromLittleEndian<quint64>(shard.constData() + index + 16 * i + 8);
        inner.append(offset == ~quint64(0) && size == ~quint64(0) ? QByteArray()
                                                                  : shard.mid(qsizetype(offset), qsizetype(size)));
    }
    return inner;
}

inline std::vector<int32_t> valuesOf(Store &store)
{
    std::vector<int32_t> v(size_t(store.shape().product()));
    TaskContext ctx;
    store.read(Region::whole(store.shape()), v.data(), ctx);
    return v;
}

inline QString sha256(const std::vector<int32_t> &v)
{
    return QString::fromLatin1(QCryptographicHash::hash(QByteArrayView(reinterpret_cast<const char *>(v.data()),
                                                                       qsizetype(v.size() * sizeof(int32_t))),
                                                        QCryptographicHash::Sha256)
                                   .toHex());
}

// The SHA-256 of the int32 values in C order that Python reads with `expression` (of `path`, sys.argv[1]),
// to compare with sha256() of the expected values; what went wrong when Python failed.
inline QString readByPython(const QString &expression, const QString &path)
{
    const QString code = QStringLiteral("import hashlib, sys, numpy, zarr, h5py\n"
                                        "x = %1\n"
                                        "assert x.dtype == numpy.dtype('<i4'), x.dtype\n"
                                        "print(hashlib.sha256(numpy.ascontiguousarray(x).tobytes()).hexdigest())\n")
                             .arg(expression);
    QString output;
    if (!runPython({QStringLiteral("-c"), code, path}, &output))
        return QStringLiteral("python failed: ") + output;
    return output;
}

inline const QString kZarrRead = QStringLiteral("zarr.open(sys.argv[1], mode='r')[:]");
inline const QString kH5pyRead = QStringLiteral("h5py.File(sys.argv[1], 'r')['/data'][:]");

// Compares every element zarrita reads of the Zarr array in `dir` with `expected`, and its shape.
inline void compareZarritaRead(const QString &dir, const QJsonArray &shape, const std::vector<int32_t> &expected)
{
    QByteArray output;
    QVERIFY2(runZarrita({zarritaDir() + QStringLiteral("/read.mjs"), dir}, &output), output.constData());
    const QJsonObject read = QJsonDocument::fromJson(output).object();
    QCOMPARE(read.value(QStringLiteral("shape")).toArray(), shape);
    const QJsonArray values = read.value(QStringLiteral("values")).toArray();
    QCOMPARE(values.size(), qsizetype(expected.size()));
    for (qsizetype i = 0; i < values.size(); ++i)
        QCOMPARE(values.at(i).toInteger(), int64_t(expected[size_t(i)]));
}

// The run succeeded, its target verified, and every task moved its chunks as stored.
inline void checkPassedAndVerified(const RunResult &r)
{
    QVERIFY2(r.status == RunResult::Status::Ok, qPrintable(r.name + QStringLiteral(": ") + r.error));
    QCOMPARE(r.verified, std::optional<bool>(true));
    QVERIFY(!r.events.empty());
    for (const TaskEvent &e : r.events) {
        QVERIFY(e.passthrough);
        QCOMPARE(e.phaseNs[size_t(Phase::Decode)], int64_t(0));
        QCOMPARE(e.phaseNs[size_t(Phase::Encode)], int64_t(0));
    }
}

// The arrays of the scenario `json` (relative paths taken from `dir`) after its first run, whose result,
// in *result, checkPassedAndVerified() checks; null when the text is not a scenario.
inline std::unique_ptr<ArraySet> runPassing(const QByteArray &json, const QString &dir, RunResult *result)
{
    const std::optional<Scenario> s = parseTestScenario(json, dir);
    if (!s)
        return nullptr;
    auto arrays = std::make_unique<ArraySet>(*s);
    *result = executeRun(s->runs.first(), *arrays).first();
    checkPassedAndVerified(*result);
    return arrays;
}

// What `check` says of the scenario's first run before anything is built.
inline QString refusalBeforeRun(const QByteArray &json)
{
    const std::optional<Scenario> s = parseTestScenario(json, QString());
    return s ? passthroughRefusalBeforeRun(*s, s->runs.first()) : QStringLiteral("parse error");
}

} // namespace cs::testing
