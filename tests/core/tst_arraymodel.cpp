#include "array/chunkgrid.h"
#include "array/dtype.h"
#include "array/stridedcopy.h"

#include <QTest>

#include <numeric>

using namespace cs;

class TestArrayModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dtypeParse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("typestr");
        QTest::newRow("<i4") << QStringLiteral("<i4") << QStringLiteral("<i4");
        QTest::newRow(">u2") << QStringLiteral(">u2") << QStringLiteral(">u2");
        QTest::newRow("|b1") << QStringLiteral("|b1") << QStringLiteral("|b1");
        QTest::newRow("|u1") << QStringLiteral("|u1") << QStringLiteral("|u1");
        QTest::newRow("<u1 is |u1") << QStringLiteral("<u1") << QStringLiteral("|u1");
        QTest::newRow("int32") << QStringLiteral("int32") << QStringLiteral("<i4");
        QTest::newRow("float64") << QStringLiteral("float64") << QStringLiteral("<f8");
        QTest::newRow(">f4") << QStringLiteral(">f4") << QStringLiteral(">f4");
        QTest::newRow("bool") << QStringLiteral("bool") << QStringLiteral("|b1");
        QTest::newRow("int8") << QStringLiteral("int8") << QStringLiteral("|i1");
        QTest::newRow("uint64") << QStringLiteral("uint64") << QStringLiteral("<u8");
    }
    void dtypeParse()
    {
        QFETCH(QString, text);
        QFETCH(QString, typestr);
        const auto dt = DType::parse(text);
        QVERIFY(dt);
        QCOMPARE(dt->typestr(), typestr);
    }
    void dtypeRejects_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *bad : {"<i3", "<c4", "", "<b2", "Z10"})
            QTest::newRow(bad) << QString::fromLatin1(bad);
    }
    void dtypeRejects()
    {
        QFETCH(QString, text);
        QString error;
        QVERIFY(!DType::parse(text, &error));
        QCOMPARE(error,
                 QStringLiteral("unsupported dtype \"%1\" (expected a NumPy type string such as \"<i4\" or a name such "
                                "as \"int32\")")
                     .arg(text));
    }

    void gridEdgeChunks()
    {
        const ChunkGrid g(Coords::fromVector({10, 7}), Coords::fromVector({4, 3}));
        QCOMPARE(g.gridShape(), Coords::fromVector({3, 3}));
        QCOMPARE(g.chunkCount(), int64_t(9));
        // The last chunk is clipped to the shape; its full region is not.
        const Region last = g.chunkRegion(8);
        QCOMPARE(last.start, Coords::fromVector({8, 6}));
        QCOMPARE(last.stop, Coords::fromVector({10, 7}));
        QCOMPARE(g.fullChunkRegion(g.chunkCoords(8)).stop, Coords::fromVector({12, 9}));
        QCOMPARE(g.linearIndex(Coords::fromVector({2, 1})), int64_t(7));
        QCOMPARE(g.chunkCoords(7), Coords::fromVector({2, 1}));
    }

    void gridForEachChunkVisitsTouchedChunksInCOrder()
    {
        const ChunkGrid g(Coords::fromVector({10, 7}), Coords::fromVector({4, 3}));
        Region r;
        r.start = Coords::fromVector({3, 2});
        r.stop = Coords::fromVector({5, 4});
        QList<qint64> visited;
        g.forEachChunk(r, [&](const Coords &c) { visited.append(g.linearIndex(c)); });
        QCOMPARE(visited, (QList<qint64>{0, 1, 3, 4}));
    }

    void regionIntersection()
    {
        Region a, b;
        a.start = Coords::fromVector({0, 0});
        a.stop = Coords::fromVector({4, 4});
        b.start = Coords::fromVector({2, 3});
        b.stop = Coords::fromVector({6, 9});
        const auto i = a.intersect(b);
        QVERIFY(i);
        QCOMPARE(i->toString(), QStringLiteral("[[2, 4], [3, 4]]"));
        b.start = Coords::fromVector({4, 0});
        QVERIFY(!a.intersect(b));
    }

    void rank32Grid()
    {
        Coords shape = Coords::filled(32, 2);
        Coords chunks = Coords::filled(32, 1);
        shape[31] = 3;
        chunks[31] = 2;
        const ChunkGrid g(shape, chunks);
        QCOMPARE(g.chunkCount(), int64_t(1) << 32);
        QCOMPARE(g.chunkRegion(g.chunkCount() - 1).stop[31], int64_t(3));
    }

    void copyBoxMovesASubBlock()
    {
        // Copy rows 1..2, cols 2..4 of a 4x5 array into a 3x4 buffer at (1, 1).
        std::vector<int32_t> src(20);
        std::iota(src.begin(), src.end(), 0);
        std::vector<int32_t> dst(12, -1);
        copyBox(src.data(), Coords::fromVector({4, 5}), Coords::fromVector({1, 2}), dst.data(),
                Coords::fromVector({3, 4}), Coords::fromVector({1, 1}), Coords::fromVector({2, 3}), 4);
        const std::vector<int32_t> expected = {-1, -1, -1, -1, -1, 7, 8, 9, -1, 12, 13, 14};
        QCOMPARE(dst, expected);
        QCOMPARE(compareBox(src.data(), Coords::fromVector({4, 5}), Coords::fromVector({1, 2}), dst.data(),
                            Coords::fromVector({3, 4}), Coords::fromVector({1, 1}), Coords::fromVector({2, 3}), 4),
                 int64_t(-1));
        dst[10] = 99; // element (1, 1) of the box
        QCOMPARE(compareBox(src.data(), Coords::fromVector({4, 5}), Coords::fromVector({1, 2}), dst.data(),
                            Coords::fromVector({3, 4}), Coords::fromVector({1, 1}), Coords::fromVector({2, 3}), 4),
                 int64_t(4));
    }

    void fillBoxWritesTheItem()
    {
        std::vector<int16_t> dst(6, 0);
        const int16_t item = 0x0102;
        fillBox(dst.data(), Coords::fromVector({2, 3}), Coords::fromVector({0, 1}), Coords::fromVector({2, 2}), &item,
                2);
        const std::vector<int16_t> expected = {0, 0x0102, 0x0102, 0, 0x0102, 0x0102};
        QCOMPARE(dst, expected);
    }
};

QTEST_GUILESS_MAIN(TestArrayModel)
#include "tst_arraymodel.moc"
