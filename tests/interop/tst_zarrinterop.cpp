#include "array/float16.h"
#include "array/stridedcopy.h"
#include "runner/arraystore.h"
#include "scenario/scenario.h"
#include "stores/zarr/zarrcodecs.h"
#include "stores/zarr/zarroptions.h"
#include "stores/zarr/zarrstore.h"
#include "task/taskcontext.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "interopsupport.h"
#include "zarrv2spec.h"

#include <algorithm>
#include <cstring>

using namespace cs;

namespace {

QByteArray subRegion(const QByteArray &whole, const Coords &shape, const Region &r, int itemsize)
{
    QByteArray out(qsizetype(r.count() * itemsize), '\0');
    copyBox(whole.constData(), shape, r.start, out.data(), r.shape(), Coords::filled(r.rank(), 0), r.shape(),
            size_t(itemsize));
    return out;
}

QByteArray readRegion(Store &store, const Region &r, TaskContext &ctx)
{
    QByteArray out(qsizetype(r.count() * store.dtype().itemsize()), '\x5a');
    store.read(r, out.data(), ctx);
    return out;
}

// Values a user would store, in the dtype's byte order: counting integers and times, thirds for
// floats (and a complex's real part, its imaginary part counting down), every third item true for
// bool, numbered text for strings (a character beyond the BMP in unicode).
QByteArray sampleData(const DType &dtype, int64_t count)
{
    const int size = dtype.itemsize();
    QByteArray data(qsizetype(count * size), '\0');
    for (int64_t i = 0; i < count; ++i) {
        char *item = data.data() + i * size;
        switch (dtype.kind()) {
        case DType::Kind::Bool:
            *item = i % 3 == 0;
            break;
        case DType::Kind::Float:
            writeFloat(double(i) / 3.0 - 10.0, size, item);
            break;
        case DType::Kind::Complex:
            writeFloat(double(i) / 3.0 - 10.0, size / 2, item);
            writeFloat(-double(i), size / 2, item + size / 2);
            break;
        case DType::Kind::Bytes: {
            const QByteArray text = "v" + QByteArray::number(qlonglong(i));
            std::memcpy(item, text.constData(), size_t(std::min<qsizetype>(text.size(), size)));
            break;
        }
        case DType::Kind::Unicode: {
            const QList<uint> text = QString(QString::number(i) + QStringLiteral("\u00e9\U0001F600")).toUcs4();
            for (int c = 0; c < std::min<int>(int(text.size()), size / 4); ++c) {
                const uint32_t code = text.at(c);
                std::memcpy(item + c * 4, &code, 4);
            }
            break;
        }
        case DType::Kind::Int:
        case DType::Kind::UInt:
        case DType::Kind::Datetime:
        case DType::Kind::Timedelta: {
            const int64_t v = dtype.kind() == DType::Kind::UInt ? i * 7 : i * 7 - 300;
            std::memcpy(item, &v, size_t(size));
            break;
        }
        }
        if (dtype.needsSwap())
            for (int unit = dtype.swapUnit(), at = 0; at < size; at += unit)
                std::reverse(item + at, item + at + unit);
    }
    return data;
}

// A numcodecs config: {{"id", QLatin1String("delta")}, {"dtype", QLatin1String("<i4")}}, keys in any order.
QJsonObject config(std::initializer_list<std::pair<const char *, QJsonValue>> keys)
{
    QJsonObject o;
    for (const auto &k : keys)
        o.insert(QLatin1String(k.first), k.second);
    return o;
}

CompressorSpec numcodecs(std::initializer_list<std::pair<const char *, QJsonValue>> keys)
{
    return numcodecsCompressor(config(keys));
}

struct Written {
    const char *name;
    const char *dtype;
    std::vector<int64_t> shape;
    std::vector<int64_t> chunks;
    std::optional<CompressorSpec> compressor;
    QJsonValue fill;
    const char *order;
    const char *separator; // nullptr: not given
    std::vector<int64_t> block; // the writes' block shape
    std::vector<int64_t> writtenStop; // empty: the whole array; else only [0, writtenStop)
    QJsonArray filters = {};
    bool lossy = false; // the filters round values: Chunkscope reads back other values than it wrote
};

} // namespace

// Arrays cross between Chunkscope and zarr-python in both directions, through directory stores.
class TestZarrInterop : public QObject {
    Q_OBJECT

private:
    QString m_python;

private Q_SLOTS:
    void initTestCase()
    {
        m_python = testing::testPython();
        if (m_python.isEmpty())
            QSKIP("CHUNKSCOPE_PYTHON is not set (ctest sets it to a Python with zarr, numcodecs and numpy)");
        QString output;
        if (!testing::runPython({QStringLiteral("-c"), QStringLiteral("import zarr, numcodecs, numpy")}, &output))
            QSKIP(qPrintable(QStringLiteral("%1 cannot import zarr, numcodecs and numpy, so the Zarr interop tests "
                                            "cannot run: %2")
                                 .arg(m_python, output.trimmed())));
    }

    void readsWhatZarrWrites()
    {
        QTemporaryDir tmp;
        QString output;
        QVERIFY2(testing::runPython({testing::interopScript(QStringLiteral("zarr_write_reference.py")), tmp.path()},
                                    &output),
                 qPrintable(output));
        const QJsonArray manifest
            = QJsonDocument::fromJson(testing::fileBytes(tmp.filePath(QStringLiteral("manifest.json")))).array();
        QCOMPARE(manifest.size(), 30);
        TaskContext ctx;
        for (const QJsonValue &value : manifest) {
            const QJsonObject entry = value.toObject();
            const QString name = entry.value(QLatin1String("name")).toString();
            ArraySpec spec;
            spec.id = name;
            spec.store = QStringLiteral("zarr");
            spec.optionsAs<ZarrOptions>().path = entry.value(QLatin1String("path")).toString();
            spec.fill.kind = FillSpec::Kind::Existing;
            spec.dtype = *DType::parse(entry.value(QLatin1String("dtype")).toString());
            spec.shape = testing::jsonToVector(entry.value(QLatin1String("shape")));
            spec.chunks = testing::jsonToVector(entry.value(QLatin1String("chunks")));
            for (const char *key : {"dtype", "shape", "chunks"})
                spec.given.insert(QLatin1String(key), entry.value(QLatin1String(key)));
            const auto store = createStore(spec);
            QCOMPARE(store->dtype().typestr(), entry.value(QLatin1String("dtype")).toString());

            const QByteArray expected = testing::fileBytes(tmp.filePath(name + QStringLiteral(".bin")));
            QCOMPARE(qint64(expected.size()), store->nbytes());
            QVERIFY2(readRegion(*store, Region::whole(store->shape()), ctx) == expected, qPrintable(name));
            // Chunk by chunk, and a region that cuts every edge.
            const ChunkGrid &grid = store->grid();
            for (int64_t i = 0; i < grid.chunkCount(); ++i) {
                const Region r = grid.chunkRegion(i);
                QVERIFY2(readRegion(*store, r, ctx)
                             == subRegion(expected, store->shape(), r, store->dtype().itemsize()),
                         qPrintable(name + QStringLiteral(" chunk ") + r.toString()));
            }
            Region inner = Region::whole(store->shape());
            for (int d = 0; d < inner.rank(); ++d) {
                inner.start[d] = std::min<int64_t>(1, inner.stop[d] - 1);
                inner.stop[d] = std::max(inner.start[d] + 1, inner.stop[d] - 1);
            }
            QVERIFY2(readRegion(*store, inner, ctx)
                         == subRegion(expected, store->shape(), inner, store->dtype().itemsize()),
                     qPrintable(name));

            // zarr counts nested chunk directories, not chunks, so only flat arrays compare.
            if (!entry.value(QLatin1String("nested")).toBool()) {
                const StoreInfo info = store->info();
                QCOMPARE(info.chunksInitialized, entry.value(QLatin1String("nchunks_initialized")).toInteger());
                QCOMPARE(info.nbytesStored, entry.value(QLatin1String("nbytes_stored")).toInteger());
            }
        }
    }

    void zarrReadsWhatChunkscopeWrites()
    {
        const std::vector<Written> arrays = {
            {"i4_blosclz", "<i4", {1000}, {128}, blosc("blosclz", 5, 1), 0, "C", nullptr, {100}, {}},
            {"i4_notebook", "<i4", {300000}, {65536}, blosc("blosclz", 5, 1), 0, "C", nullptr, {65536}, {}},
            {"u2_be_lz4_bitshuffle_nested",
             ">u2",
             {9, 10, 11},
             {4, 4, 4},
             blosc("lz4", 5, 2),
             0,
             "C",
             "/",
             {9, 10, 11},
             {}},
            {"f8_nan_zstd_missing",
             "<f8",
             {37, 23},
             {8, 5},
             blosc("zstd", 3, -1),
             QStringLiteral("NaN"),
             "C",
             nullptr,
             {8, 5},
             {20, 12}},
            {"i8_zlib",
             "<i8",
             {20, 25},
             {7, 6},
             CompressorSpec{QStringLiteral("zlib"), {}, 4},
             0,
             "C",
             nullptr,
             {5, 5},
             {}},
            {"u1_raw_missing", "|u1", {300}, {64}, std::nullopt, 7, "C", nullptr, {50}, {200}},
            {"bool_lz4hc", "|b1", {100}, {32}, blosc("lz4hc", 9, -1), QJsonValue(false), "C", nullptr, {32}, {}},
            {"f4_order_f", "<f4", {12, 13}, {5, 4}, blosc("zlib", 1, 1), 0, "F", nullptr, {3, 3}, {}},
            {"i2_4d_dot", "<i2", {3, 4, 5, 6}, {2, 3, 2, 4}, blosc("snappy", 5, 0), 0, "C", ".", {3, 2, 5, 3}, {}},
            {"f8_be_fill", ">f8", {50}, {16}, blosc("lz4", 1, 1), -1.5, "C", nullptr, {7}, {40}},
            {"i4_bz2",
             "<i4",
             {700},
             {128},
             numcodecs({{"id", QLatin1String("bz2")}, {"level", 9}}),
             0,
             "C",
             nullptr,
             {100},
             {}},
            {"f8_lzma_missing",
             "<f8",
             {400},
             {64},
             numcodecs({{"id", QLatin1String("lzma")}, {"preset", 2}}),
             QStringLiteral("NaN"),
             "C",
             nullptr,
             {50},
             {250}},
            {"u2_zstd_2d",
             "<u2",
             {30, 17},
             {8, 8},
             numcodecs({{"id", QLatin1String("zstd")}, {"level", 7}}),
             0,
             "C",
             "/",
             {5, 5},
             {}},
            {"i8_lz4",
             "<i8",
             {600},
             {100},
             numcodecs({{"id", QLatin1String("lz4")}, {"acceleration", 3}}),
             0,
             "C",
             nullptr,
             {64},
             {}},
            {"u1_gzip_order_f",
             "|u1",
             {21, 19},
             {6, 5},
             numcodecs({{"id", QLatin1String("gzip")}, {"level", 6}}),
             3,
             "F",
             nullptr,
             {4, 4},
             {}},
            {"i4_delta_zlib",
             "<i4",
             {500},
             {64},
             CompressorSpec{QStringLiteral("zlib"), {}, 1},
             0,
             "C",
             nullptr,
             {30},
             {},
             QJsonArray{config({{"id", QLatin1String("delta")}, {"dtype", QLatin1String("<i4")}})}},
            {"f8_fixedscaleoffset",
             "<f8",
             {300},
             {70},
             std::nullopt,
             0,
             "C",
             nullptr,
             {70},
             {},
             QJsonArray{config({{"id", QLatin1String("fixedscaleoffset")},
                                {"offset", -10},
                                {"scale", 10},
                                {"dtype", QLatin1String("<f8")},
                                {"astype", QLatin1String("u2")}})},
             true},
            {"f4_quantize_bz2",
             "<f4",
             {250},
             {60},
             numcodecs({{"id", QLatin1String("bz2")}}),
             0,
             "C",
             nullptr,
             {60},
             {},
             QJsonArray{config({{"id", QLatin1String("quantize")}, {"digits", 2}, {"dtype", QLatin1String("<f4")}})},
             true},
            {"f8_astype_f4",
             "<f8",
             {200},
             {50},
             std::nullopt,
             0,
             "C",
             nullptr,
             {50},
             {},
             QJsonArray{config({{"id", QLatin1String("astype")},
                                {"encode_dtype", QLatin1String("<f4")},
                                {"decode_dtype", QLatin1String("<f8")}})},
             true},
            {"bool_packbits",
             "|b1",
             {203},
             {64},
             numcodecs({{"id", QLatin1String("zstd")}}),
             0,
             "C",
             nullptr,
             {64},
             {},
             QJsonArray{config({{"id", QLatin1String("packbits")}})}},
            {"i4_shuffle_delta_lz4",
             "<i4",
             {30, 20},
             {9, 7},
             numcodecs({{"id", QLatin1String("lz4")}}),
             0,
             "C",
             nullptr,
             {9, 7},
             {},
             QJsonArray{config({{"id", QLatin1String("delta")}, {"dtype", QLatin1String("<i4")}}),
                        config({{"id", QLatin1String("shuffle")}, {"elementsize", 4}})}},
            {"f2_lz4", "<f2", {300}, {64}, blosc("lz4", 5, 1), QStringLiteral("NaN"), "C", nullptr, {64}, {200}},
            {"f2_be", ">f2", {90}, {32}, CompressorSpec{QStringLiteral("zlib"), {}, 1}, -0.5, "C", nullptr, {20}, {50}},
            {"c8",
             "<c8",
             {80},
             {32},
             numcodecs({{"id", QLatin1String("zstd")}}),
             QJsonArray{1.5, -2},
             "C",
             nullptr,
             {32},
             {50}},
            {"c16_be",
             ">c16",
             {60},
             {16},
             std::nullopt,
             QJsonArray{0, QStringLiteral("Infinity")},
             "C",
             nullptr,
             {16},
             {50}},
            {"S5",
             "|S5",
             {70},
             {16},
             numcodecs({{"id", QLatin1String("bz2")}}),
             QStringLiteral("YWIAYw=="),
             "C",
             nullptr,
             {16},
             {40}},
            {"U3", "<U3", {60}, {16}, blosc("zstd", 3, 1), QStringLiteral("z\u00fc"), "C", nullptr, {16}, {40}},
            {"U2_be", ">U2", {40}, {12}, std::nullopt, QStringLiteral("q"), "C", nullptr, {12}, {30}},
            {"M8_ns",
             "<M8[ns]",
             {50},
             {16},
             numcodecs({{"id", QLatin1String("gzip")}}),
             QJsonValue(qint64(INT64_MIN)),
             "C",
             nullptr,
             {16},
             {40}},
            {"U3_categorize",
             "<U3",
             {40},
             {16},
             std::nullopt,
             QJsonValue(QStringLiteral("1\u00e9\U0001F600")),
             "C",
             nullptr,
             {16},
             {},
             QJsonArray{config({{"id", QLatin1String("categorize")},
                                {"labels",
                                 QJsonArray{QStringLiteral("0\u00e9\U0001F600"), QStringLiteral("1\u00e9\U0001F600"),
                                            QStringLiteral("12\u00e9")}},
                                {"dtype", QLatin1String("<U3")}})},
             true},
            {"m8_s_2d",
             "<m8[s]",
             {5, 8},
             {2, 3},
             numcodecs({{"id", QLatin1String("lzma")}}),
             0,
             "C",
             nullptr,
             {2, 3},
             {}},
        };
        QTemporaryDir tmp;
        QJsonArray manifest;
        TaskContext ctx;
        for (const Written &w : arrays) {
            ArraySpec spec;
            spec.id = QString::fromLatin1(w.name);
            spec.store = QStringLiteral("zarr");
            spec.optionsAs<ZarrOptions>().path = tmp.filePath(spec.id + QStringLiteral(".zarr"));
            spec.dtype = *DType::parse(QString::fromLatin1(w.dtype));
            spec.shape = w.shape;
            spec.chunks = w.chunks;
            spec.optionsAs<ZarrOptions>().compressor = w.compressor;
            spec.optionsAs<ZarrOptions>().fillValue = w.fill;
            spec.optionsAs<ZarrOptions>().order = QString::fromLatin1(w.order);
            spec.optionsAs<ZarrOptions>().filters = w.filters;
            if (w.separator) {
                spec.optionsAs<ZarrOptions>().dimensionSeparator = QString::fromLatin1(w.separator);
                spec.optionsAs<ZarrOptions>().separatorGiven = true;
            }
            const auto store = createStore(spec);
            const int itemsize = store->dtype().itemsize();
            const QByteArray source = sampleData(store->dtype(), store->shape().product());
            Region written = Region::whole(store->shape());
            if (!w.writtenStop.empty())
                written.stop = Coords::fromVector(w.writtenStop);
            const ChunkGrid blocks(store->shape(), Coords::fromVector(w.block));
            for (int64_t b = 0; b < blocks.chunkCount(); ++b) {
                const auto r = blocks.chunkRegion(b).intersect(written);
                if (r)
                    store->write(*r, subRegion(source, store->shape(), *r, itemsize).constData(), ctx);
            }
            const QByteArray whole = readRegion(*store, Region::whole(store->shape()), ctx);
            if (!w.lossy)
                QVERIFY2(subRegion(whole, store->shape(), written, itemsize)
                             == subRegion(source, store->shape(), written, itemsize),
                         w.name);
            QFile bin(tmp.filePath(spec.id + QStringLiteral(".bin")));
            QVERIFY(bin.open(QIODevice::WriteOnly));
            bin.write(whole);
            QJsonObject entry{{QStringLiteral("name"), spec.id},
                              {QStringLiteral("path"), spec.optionsAs<ZarrOptions>().path}};
            if (w.lossy) {
                // Written whole, so the source is the data every chunk encodes.
                QVERIFY(w.writtenStop.empty());
                QFile src(tmp.filePath(spec.id + QStringLiteral(".src")));
                QVERIFY(src.open(QIODevice::WriteOnly));
                src.write(source);
                entry.insert(QStringLiteral("source"), src.fileName());
            }
            manifest.append(entry);
        }
        QFile m(tmp.filePath(QStringLiteral("manifest.json")));
        QVERIFY(m.open(QIODevice::WriteOnly));
        m.write(QJsonDocument(manifest).toJson());
        m.close();

        QString output;
        const bool ok = testing::runPython(
            {testing::interopScript(QStringLiteral("zarr_check_chunkscope.py")), tmp.path()}, &output);
        qInfo().noquote() << output.trimmed();
        QVERIFY2(ok, qPrintable(output));
        QVERIFY(output.contains(QStringLiteral("checked %1 arrays").arg(arrays.size())));
    }
};

QTEST_GUILESS_MAIN(TestZarrInterop)
#include "tst_zarrinterop.moc"
