#include "array/float16.h"
#include "array/stridedcopy.h"
#include "runner/arraystore.h"
#include "scenario/scenario.h"
#include "stores/hdf5/hdf5options.h"
#include "stores/hdf5/hdf5store.h"
#include "task/taskcontext.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include "interopsupport.h"

#include <algorithm>
#include <cstring>

using namespace cs;

namespace {

// Items of the types HDF5 holds as h5py builds them: float16 and complex counting in eighths (a
// complex's imaginary part counting down), bytes numbered "s0", "s1", ..., in the dtype's byte order.
void byteTypeItem(const DType &dtype, int64_t i, char *item)
{
    const int size = dtype.itemsize();
    if (dtype.kind() == DType::Kind::Bytes) {
        const QByteArray text = "s" + QByteArray::number(qlonglong(i));
        std::memcpy(item, text.constData(), size_t(std::min<qsizetype>(text.size(), size)));
        return;
    }
    const double parts[2] = {double(i) / 8, -double(i) / 8};
    const int unit = dtype.swapUnit();
    for (int p = 0; p * unit < size; ++p) {
        char *at = item + p * unit;
        writeFloat(parts[p], unit, at);
        if (dtype.needsSwap())
            std::reverse(at, at + unit);
    }
}

QJsonArray toJson(const Coords &c)
{
    QJsonArray a;
    for (int i = 0; i < c.rank; ++i)
        a.append(qint64(c[i]));
    return a;
}

QByteArray readAll(Store &store, TaskContext &ctx)
{
    QByteArray data(qsizetype(store.nbytes()), '\x5a');
    const ChunkGrid &grid = store.grid();
    const size_t itemsize = size_t(store.dtype().itemsize());
    for (int64_t i = 0; i < grid.chunkCount(); ++i) {
        const Region r = grid.chunkRegion(i);
        QByteArray buffer(qsizetype(r.count() * int64_t(itemsize)), '\x5a');
        store.read(r, buffer.data(), ctx);
        copyBox(buffer.constData(), r.shape(), Coords::filled(r.rank(), 0), data.data(), store.shape(), r.start,
                r.shape(), itemsize);
    }
    return data;
}

void writeAll(Store &store, const QByteArray &data, TaskContext &ctx)
{
    const ChunkGrid &grid = store.grid();
    const size_t itemsize = size_t(store.dtype().itemsize());
    for (int64_t i = 0; i < grid.chunkCount(); ++i) {
        const Region r = grid.chunkRegion(i);
        QByteArray buffer(qsizetype(r.count() * int64_t(itemsize)), Qt::Uninitialized);
        copyBox(data.constData(), store.shape(), r.start, buffer.data(), r.shape(), Coords::filled(r.rank(), 0),
                r.shape(), itemsize);
        store.write(r, buffer.constData(), ctx);
    }
}

} // namespace

// Files cross between Chunkscope and h5py in both directions: h5py must read what Chunkscope writes
// by either path, and Chunkscope must read what h5py writes, LZF chunks h5py stored raw included.
class TestHdf5Interop : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_python;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_python = testing::testPython();
        if (m_python.isEmpty())
            QSKIP("CHUNKSCOPE_PYTHON is not set (ctest sets it to a Python with h5py and numpy)");
        QString output;
        if (!testing::runPython({QStringLiteral("-c"), QStringLiteral("import h5py, numpy")}, &output))
            QSKIP(qPrintable(QStringLiteral("%1 cannot import h5py and numpy, so the HDF5 interop tests cannot run: %2")
                                 .arg(m_python, output)));
    }

    void readsWhatH5pyWrites()
    {
        const QString dir = m_dir.filePath(QStringLiteral("from-h5py"));
        QVERIFY(QDir().mkpath(dir));
        QString output;
        QVERIFY2(testing::runPython({testing::interopScript(QStringLiteral("h5_write_reference.py")), dir}, &output),
                 qPrintable(output));
        const QJsonObject manifest
            = QJsonDocument::fromJson(testing::fileBytes(dir + QStringLiteral("/manifest.json"))).object();
        const QString file = manifest.value(QLatin1String("file")).toString();
        const QJsonArray datasets = manifest.value(QLatin1String("datasets")).toArray();
        QCOMPARE(datasets.size(), 11);

        int maskedChunks = 0;
        for (const QJsonValue &value : datasets) {
            const QJsonObject d = value.toObject();
            const QString name = d.value(QLatin1String("dataset")).toString();
            ArraySpec spec;
            spec.id = QStringLiteral("h");
            spec.store = QStringLiteral("hdf5");
            spec.optionsAs<Hdf5Options>().file = file;
            spec.optionsAs<Hdf5Options>().dataset = name;
            spec.fill.kind = FillSpec::Kind::Existing;
            // Given keys must agree with the file.
            spec.dtype = *DType::parse(d.value(QLatin1String("dtype")).toString());
            spec.shape = testing::jsonToVector(d.value(QLatin1String("shape")));
            spec.chunks = testing::jsonToVector(d.value(QLatin1String("chunks")));
            for (const char *key : {"dtype", "shape", "chunks"})
                spec.given.insert(QLatin1String(key), d.value(QLatin1String(key)));

            const std::unique_ptr<Store> store = createStore(spec);
            const QByteArray reference = testing::fileBytes(d.value(QLatin1String("ref")).toString());
            QCOMPARE(store->dtype(), spec.dtype);
            QCOMPARE(store->info().codec, d.value(QLatin1String("codec")).toString());
            QCOMPARE(store->info().location, file + QLatin1Char(':') + QLatin1Char('/') + name);
            TaskContext ctx;
            for (const Hdf5Path p : {Hdf5Path::Library, Hdf5Path::Direct}) {
                const QString taken = store->prepareCopy(store->grid(), p);
                const bool chunked = !d.value(QLatin1String("chunk_masks")).toArray().isEmpty();
                QCOMPARE(taken,
                         p == Hdf5Path::Direct && chunked ? QStringLiteral("direct") : QStringLiteral("library"));
                QVERIFY2(readAll(*store, ctx) == reference, qPrintable(name + QLatin1Char(' ') + taken));
            }
            // The filter masks Chunkscope sees are the ones h5py reported.
            const QJsonArray masks = d.value(QLatin1String("chunk_masks")).toArray();
            for (const QJsonValue &m : masks) {
                const QJsonObject chunk = m.toObject();
                Coords c = Coords::fromVector(testing::jsonToVector(chunk.value(QLatin1String("offset"))));
                for (int i = 0; i < c.rank; ++i)
                    c[i] /= store->chunks()[i];
                const auto raw = dynamic_cast<Hdf5Store &>(*store).rawChunk(c);
                QVERIFY(raw);
                QCOMPARE(qint64(raw->filterMask), chunk.value(QLatin1String("mask")).toInteger());
                maskedChunks += raw->filterMask != 0;
            }
        }
        QCOMPARE(maskedChunks, 3);
    }

    void h5pyReadsWhatChunkscopeWrites()
    {
        const QString dir = m_dir.filePath(QStringLiteral("from-chunkscope"));
        QVERIFY(QDir().mkpath(dir));
        const QString file = dir + QStringLiteral("/chunkscope.h5");
        struct Case {
            const char *dataset;
            const char *dtype;
            std::vector<int64_t> shape;
            std::vector<int64_t> chunks;
            const char *compression;
            bool shuffle;
            Hdf5Path path;
            bool random;
        };
        const std::vector<Case> cases = {
            {"library_lzf", "<i4", {1000}, {128}, "lzf", true, Hdf5Path::Library, false},
            {"direct_lzf", "<i4", {1000}, {128}, "lzf", true, Hdf5Path::Direct, false},
            {"library_random", "<u4", {6, 256}, {1, 256}, "lzf", true, Hdf5Path::Library, true},
            {"direct_random", "<u4", {6, 256}, {1, 256}, "lzf", true, Hdf5Path::Direct, true},
            {"direct_gzip_be", ">i2", {9, 10, 11}, {4, 4, 4}, "gzip", true, Hdf5Path::Direct, false},
            {"library_gzip_be", ">i2", {9, 10, 11}, {4, 4, 4}, "gzip", true, Hdf5Path::Library, false},
            {"direct_flags", "|b1", {100}, {32}, "lzf", false, Hdf5Path::Direct, false},
            {"group/direct_plain", "<f8", {40, 3}, {16, 2}, "", false, Hdf5Path::Direct, false},
            {"direct_f2_gzip", "<f2", {100}, {32}, "gzip", true, Hdf5Path::Direct, false},
            {"library_c8_lzf", "<c8", {60}, {16}, "lzf", false, Hdf5Path::Library, false},
            {"direct_c16_be", ">c16", {30}, {8}, "", false, Hdf5Path::Direct, false},
            {"library_S5_gzip", "|S5", {50}, {16}, "gzip", false, Hdf5Path::Library, false},
        };

        QJsonArray entries;
        {
            std::vector<std::unique_ptr<Store>> stores; // one open file for all, closed before h5py opens it
            for (const Case &c : cases) {
                ArraySpec spec;
                spec.id = QLatin1String(c.dataset);
                spec.store = QStringLiteral("hdf5");
                spec.optionsAs<Hdf5Options>().file = file;
                spec.optionsAs<Hdf5Options>().dataset = QLatin1String(c.dataset);
                spec.dtype = *DType::parse(QLatin1String(c.dtype));
                spec.shape = c.shape;
                spec.chunks = c.chunks;
                spec.optionsAs<Hdf5Options>().compression = QLatin1String(c.compression);
                spec.optionsAs<Hdf5Options>().shuffle = c.shuffle;
                stores.push_back(createStore(spec));
                Store &store = *stores.back();

                const int64_t count = store.shape().product();
                QByteArray data(qsizetype(store.nbytes()), '\0');
                QRandomGenerator rng(7);
                for (int64_t i = 0; i < count; ++i) {
                    char *item = data.data() + i * store.dtype().itemsize();
                    if (store.dtype().kind() == DType::Kind::Bool) {
                        *item = char(i % 3 == 0);
                    } else if (!store.dtype().isReal() || store.dtype() == DType(DType::Kind::Float, 2)) {
                        byteTypeItem(store.dtype(), i, item);
                    } else if (c.random) {
                        // Rows 0, 2, 4 random (stored raw, LZF bit set), the others small numbers.
                        const quint32 v = (i / 256) % 2 == 0 ? rng.generate() : quint32(i % 5);
                        std::memcpy(item, &v, 4);
                    } else if (store.dtype().kind() == DType::Kind::Float) {
                        const double v = double(i) / 8;
                        std::memcpy(item, &v, 8);
                    } else {
                        const int16_t v = int16_t(i % 300 - 150);
                        const int32_t w = int32_t(i * 3);
                        if (store.dtype().itemsize() == 2) {
                            item[0] = char(uint16_t(v) >> 8); // >i2
                            item[1] = char(v & 0xff);
                        } else {
                            std::memcpy(item, &w, 4);
                        }
                    }
                }
                TaskContext ctx;
                QCOMPARE(store.prepareCopy(store.grid(), c.path),
                         c.path == Hdf5Path::Direct ? QStringLiteral("direct") : QStringLiteral("library"));
                store.beginWriting();
                writeAll(store, data, ctx);
                store.endWriting();
                QCOMPARE(readAll(store, ctx), data);

                const QString ref = dir + QLatin1Char('/')
                    + QString::fromLatin1(c.dataset).replace(QLatin1Char('/'), QLatin1Char('_'))
                    + QStringLiteral(".bin");
                QFile out(ref);
                QVERIFY(out.open(QIODevice::WriteOnly));
                out.write(data);
                out.close();

                QJsonObject entry;
                entry.insert(QStringLiteral("dataset"), QLatin1String(c.dataset));
                entry.insert(QStringLiteral("ref"), ref);
                entry.insert(QStringLiteral("dtype"), QLatin1String(c.dtype));
                entry.insert(QStringLiteral("shape"), toJson(store.shape()));
                entry.insert(QStringLiteral("chunks"), toJson(store.chunks()));
                entry.insert(QStringLiteral("compression"),
                             *c.compression ? QJsonValue(QLatin1String(c.compression)) : QJsonValue());
                entry.insert(QStringLiteral("compression_opts"), 4);
                entry.insert(QStringLiteral("shuffle"), c.shuffle);
                if (c.random)
                    entry.insert(QStringLiteral("masked_chunks"),
                                 QJsonArray{QJsonArray{0, 0}, QJsonArray{2, 0}, QJsonArray{4, 0}});
                entries.append(entry);
            }
            stores.clear();
        }

        QJsonObject manifest;
        manifest.insert(QStringLiteral("file"), file);
        manifest.insert(QStringLiteral("datasets"), entries);
        const QString manifestPath = dir + QStringLiteral("/manifest.json");
        QFile m(manifestPath);
        QVERIFY(m.open(QIODevice::WriteOnly));
        m.write(QJsonDocument(manifest).toJson());
        m.close();

        QString output;
        QVERIFY2(testing::runPython({testing::interopScript(QStringLiteral("h5_check_chunkscope.py")), manifestPath},
                                    &output),
                 qPrintable(output));
        QCOMPARE(output, QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestHdf5Interop)
#include "tst_hdf5interop.moc"
