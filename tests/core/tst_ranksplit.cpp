// Sharing one copy among the ranks of a job: which tasks each rank runs, that a CopyRun given a share
// copies, records and verifies exactly those, how rank 0 merges the ranks' results on its clock, and
// which arrays the other ranks open rather than create.

#include "cluster/clusterplan.h"
#include "cluster/rankmerge.h"
#include "engine/copyrun.h"
#include "scenariotext.h"
#include "stores/generatorstore.h"
#include "stores/memory/memorypartition.h"
#include "stores/memory/memorystore.h"
#include "stores/storekind.h"
#include "task/taskcontext.h"

#include <QTest>

#include <cstring>
#include <vector>

using namespace cs;

Q_DECLARE_METATYPE(cs::Distribution)

namespace {

TaskEvent taskEvent(int64_t task, int worker, int64_t startNs, int64_t endNs)
{
    TaskEvent e;
    e.task = task;
    e.worker = worker;
    e.startNs = startNs;
    e.endNs = endNs;
    e.bytes = 40;
    return e;
}

RunResult rankResult(double wallSeconds, std::vector<TaskEvent> events, std::optional<bool> verified)
{
    RunResult r;
    r.name = QStringLiteral("copy");
    r.tasks = 4;
    r.workers = 1;
    r.wallSeconds = wallSeconds;
    r.bytes = int64_t(events.size()) * 40;
    r.events = std::move(events);
    r.verified = verified;
    return r;
}

// A rank's report of one repeat, run from originNs on its own clock, with two of the grid's tasks.
RankReport rankReport(int rank, const QString &host, int64_t originNs, const RunResult &result)
{
    RankReport r;
    r.rank = rank;
    r.host = host;
    r.tasks = 2;
    r.originNs.insert(0, originNs);
    r.results.append(result);
    return r;
}

} // namespace

class TestRankSplit : public QObject {
    Q_OBJECT

private slots:
    void shareOfOneRank_data()
    {
        QTest::addColumn<qint64>("total");
        QTest::addColumn<int>("rank");
        QTest::addColumn<int>("ranks");
        QTest::addColumn<Distribution>("distribution");
        QTest::addColumn<qint64>("first");
        QTest::addColumn<qint64>("stride");
        QTest::addColumn<qint64>("count");
        QTest::newRow("block, first rank") << 10LL << 0 << 3 << Distribution::Block << 0LL << 1LL << 4LL;
        QTest::newRow("block, middle rank") << 10LL << 1 << 3 << Distribution::Block << 4LL << 1LL << 3LL;
        QTest::newRow("block, last rank") << 10LL << 2 << 3 << Distribution::Block << 7LL << 1LL << 3LL;
        QTest::newRow("block, more ranks than tasks") << 2LL << 2 << 3 << Distribution::Block << 2LL << 1LL << 0LL;
        QTest::newRow("cyclic, first rank") << 10LL << 0 << 3 << Distribution::Cyclic << 0LL << 3LL << 4LL;
        QTest::newRow("cyclic, last rank") << 10LL << 2 << 3 << Distribution::Cyclic << 2LL << 3LL << 3LL;
        QTest::newRow("cyclic, more ranks than tasks") << 2LL << 2 << 3 << Distribution::Cyclic << 0LL << 1LL << 0LL;
        QTest::newRow("one rank") << 10LL << 0 << 1 << Distribution::Cyclic << 0LL << 1LL << 10LL;
    }

    void shareOfOneRank()
    {
        QFETCH(qint64, total);
        QFETCH(int, rank);
        QFETCH(int, ranks);
        QFETCH(Distribution, distribution);
        QFETCH(qint64, first);
        QFETCH(qint64, stride);
        QFETCH(qint64, count);
        const TaskShare s = TaskShare::of(total, rank, ranks, distribution);
        QCOMPARE(s.count, count);
        if (count > 0) {
            QCOMPARE(s.first, first);
            QCOMPARE(s.stride, stride);
        }
    }

    void sharesCoverTheGridOnce()
    {
        for (const Distribution d : {Distribution::Block, Distribution::Cyclic}) {
            for (int64_t total = 0; total <= 40; ++total) {
                for (int ranks = 1; ranks <= 5; ++ranks) {
                    std::vector<int> runs(size_t(total), 0);
                    for (int rank = 0; rank < ranks; ++rank) {
                        const TaskShare s = TaskShare::of(total, rank, ranks, d);
                        for (int64_t i = 0; i < s.count; ++i) {
                            QVERIFY(s.task(i) >= 0 && s.task(i) < total);
                            ++runs[size_t(s.task(i))];
                        }
                    }
                    for (int n : runs)
                        QCOMPARE(n, 1);
                }
            }
        }
    }

    // Rank 1 of 3, cyclic: it writes chunks 1, 4, 7 and no other, records those tasks and verifies them.
    void copyRunsOnlyItsShare()
    {
        const Coords shape = Coords::fromVector({100});
        const Coords chunks = Coords::fromVector({10});
        const DType dt(DType::Kind::Int, 4);
        MemoryStore src(QStringLiteral("src"), dt, shape, chunks);
        FillSpec fill;
        fill.kind = FillSpec::Kind::Arange;
        TaskContext ctx;
        GeneratorStore(fill, dt, shape, chunks).read(Region::whole(shape), src.data(), ctx);
        MemoryStore dst(QStringLiteral("dst"), dt, shape, chunks);
        std::memset(dst.data(), 0xEE, size_t(dst.nbytes()));

        CopyOptions options;
        options.workers = 2;
        options.rank = 1;
        options.ranks = 3;
        options.distribution = Distribution::Cyclic;
        CopyRun run(src, dst, options);
        run.start();
        QVERIFY(run.wait(60000));
        QVERIFY(!run.failed());
        QCOMPARE(run.verified(), std::optional<bool>(true));
        QCOMPARE(run.bytesCopied(), int64_t(3 * 10 * 4));

        std::vector<int64_t> tasks;
        for (const TaskEvent &e : run.events())
            tasks.push_back(e.task);
        QCOMPARE(tasks, (std::vector<int64_t>{1, 4, 7}));
        RunSnapshot snap;
        run.snapshot(snap);
        QCOMPARE(snap.tasksTotal, int64_t(3));
        QCOMPARE(snap.done.size(), size_t(3));
        QCOMPARE(snap.done.back().task, int64_t(7));

        const auto *in = reinterpret_cast<const int32_t *>(src.data());
        const auto *out = reinterpret_cast<const int32_t *>(dst.data());
        for (int i = 0; i < 100; ++i) {
            const bool mine = (i / 10) % 3 == 1;
            int32_t untouched;
            std::memset(&untouched, 0xEE, sizeof untouched);
            QCOMPARE(out[i], mine ? in[i] : untouched);
        }
    }

    // A memory array held as a partition: rows 0-3 of 6 (parts of 2 rows, the first two held) take
    // 2 x 8 elements; a region over both held parts reads and writes through, one that touches the
    // third part is refused, naming it.
    void memoryPartitionHoldsOnlyItsParts()
    {
        const Coords shape = Coords::fromVector({6, 4});
        const DType dt(DType::Kind::Int, 4);
        MemoryPartition part(QStringLiteral("m"), dt, shape, Coords::fromVector({3, 4}),
                             ChunkGrid(shape, Coords::fromVector({2, 4})), {0, 1});
        QCOMPARE(part.heldBytes(), int64_t(2 * 8 * 4));
        TaskContext ctx;
        std::vector<int32_t> rows(16);
        for (int i = 0; i < 16; ++i)
            rows[size_t(i)] = i;
        part.write(Region{Coords::fromVector({0, 0}), Coords::fromVector({4, 4})}, rows.data(), ctx);
        std::vector<int32_t> box(4, -1);
        part.read(Region{Coords::fromVector({1, 1}), Coords::fromVector({3, 3})}, box.data(), ctx);
        QCOMPARE(box, (std::vector<int32_t>{5, 6, 9, 10}));
        // A held part hands out its memory; a region over two parts is not one buffer.
        const Region second{Coords::fromVector({2, 0}), Coords::fromVector({4, 4})};
        QVERIFY(part.contiguous(second) != nullptr);
        QCOMPARE(*reinterpret_cast<const int32_t *>(part.contiguous(second)), 8);
        QVERIFY(part.contiguous(Region{Coords::fromVector({1, 0}), Coords::fromVector({3, 4})}) == nullptr);
        try {
            part.read(Region{Coords::fromVector({3, 0}), Coords::fromVector({5, 4})}, rows.data(), ctx);
            QFAIL("read a part another rank holds");
        } catch (const StoreError &e) {
            QCOMPARE(e.message(), QStringLiteral("array m: chunk [2, 0] of [2, 4] is held by another MPI rank"));
        }
    }

    // Rank 1's clock is 40 µs ahead of rank 0's and its copy started 10 µs after rank 0's.
    void mergePutsEveryRankOnRankZerosClock()
    {
        const RankReport r0
            = rankReport(0, QStringLiteral("a"), 10'000,
                         rankResult(300e-9, {taskEvent(0, 0, 0, 100), taskEvent(1, 0, 100, 300)}, true));
        RankReport r1 = rankReport(1, QStringLiteral("b"), 60'000,
                                   rankResult(500e-9, {taskEvent(3, 0, 0, 200), taskEvent(2, 0, 200, 500)}, false));
        r1.results[0].verifyMessage = QStringLiteral("target dst differs from source src at index [30]");
        ClockOffset ahead;
        ahead.offsetNs = 40'000;
        const QList<MergedRun> merged = mergeRankReports({r0, r1}, {ClockOffset(), ahead});

        QCOMPARE(merged.size(), qsizetype(1));
        const MergedRun &m = merged.front();
        std::vector<int64_t> tasks, starts;
        for (const TaskEvent &e : m.result.events) {
            tasks.push_back(e.task);
            starts.push_back(e.startNs);
        }
        QCOMPARE(tasks, (std::vector<int64_t>{0, 1, 2, 3}));
        QCOMPARE(starts, (std::vector<int64_t>{0, 100, 10'200, 10'000}));
        QCOMPARE(m.rankOf.events, (std::vector<int>{0, 0, 1, 1}));
        QCOMPARE(m.rankOf.hosts, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(m.result.wallSeconds, 10'500e-9);
        QCOMPARE(m.result.bytes, int64_t(160));
        QCOMPARE(m.result.verified, std::optional<bool>(false));
        QCOMPARE(m.result.verifyMessage, QStringLiteral("rank 1: target dst differs from source src at index [30]"));
        QCOMPARE(m.ranks.size(), qsizetype(2));
        QCOMPARE(m.ranks[1].startSeconds, 10'000e-9);
        QCOMPARE(m.slowestRank, 1);
        QCOMPARE(m.imbalance, 500.0 / 400.0);
        QCOMPARE(m.rankVerdict(), QStringLiteral("bound by rank 1 (b), 1.25× the mean wall time of 2 ranks"));
    }

    // Ranks write disjoint chunks of the target: a copy chunk that covers only part of a target chunk
    // (but for the last one at the array's edge) would have two ranks write that chunk.
    void copyChunksMustCoverWholeTargetChunks_data()
    {
        QTest::addColumn<QList<int64_t>>("copyChunks");
        QTest::addColumn<bool>("refused");
        QTest::newRow("the target's chunks") << QList<int64_t>{24, 12} << false;
        QTest::newRow("whole multiples") << QList<int64_t>{48, 36} << false;
        QTest::newRow("to the edge") << QList<int64_t>{240, 12} << false;
        QTest::newRow("past the edge") << QList<int64_t>{250, 12} << false;
        QTest::newRow("one and a half chunks") << QList<int64_t>{36, 12} << true;
        QTest::newRow("half a chunk") << QList<int64_t>{24, 6} << true;
    }
    void copyChunksMustCoverWholeTargetChunks()
    {
        QFETCH(QList<int64_t>, copyChunks);
        QFETCH(bool, refused);
        const MemoryStore target(QStringLiteral("dst"), DType(DType::Kind::Int, 4), Coords::fromVector({240, 36}),
                                 Coords::fromVector({24, 12}));
        RunSpec spec;
        spec.name = QStringLiteral("copy");
        const Coords chunks = Coords::fromVector(std::vector<int64_t>(copyChunks.cbegin(), copyChunks.cend()));
        QCOMPARE(chunkSharingRefusal(spec, target, chunks),
                 refused ? QStringLiteral("run \"copy\" cannot share its target among MPI ranks: its copy chunks %1 "
                                          "do not cover whole chunks [24, 12] of target dst, so two ranks would "
                                          "write one chunk")
                               .arg(chunks.toString())
                         : QString());
    }

    // Rank 0 creates, fills and writes the metadata of every array stored at a path; the other ranks
    // open those as they are, never creating or overwriting one. Arrays held in memory each rank
    // builds for itself.
    void otherRanksOpenStoredArraysAsTheyAre()
    {
        const std::optional<Scenario> s
            = parseOk(doc(A1 + ", " + Z1 + R"(, "path": "z.zarr", "overwrite": true}, )" + C1
                          + R"(, "rootdir": "c", "fill": "empty"}, )" + H1 + R"(, "fill": "arange"})"));
        QVERIFY(s);
        const Scenario follower = scenarioForFollower(*s);
        QCOMPARE(follower.arrays.size(), s->arrays.size());
        for (qsizetype i = 0; i < s->arrays.size(); ++i) {
            const ArraySpec &own = s->arrays.at(i);
            const ArraySpec &theirs = follower.arrays.at(i);
            const bool stored = !own.kind()->location(own.options).isEmpty();
            QCOMPARE(stored, own.id == QLatin1String("z1") || own.id == QLatin1String("c1"));
            QCOMPARE(theirs.fill.kind, stored ? FillSpec::Kind::Existing : own.fill.kind);
            QCOMPARE(theirs.overwrite, false);
        }
        QCOMPARE(s->array(QStringLiteral("z1"))->overwrite, true);
    }
};

QTEST_GUILESS_MAIN(TestRankSplit)
#include "tst_ranksplit.moc"
