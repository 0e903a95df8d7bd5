#include "engine/copyrun.h"
#include "faultystore.h"
#include "runner/runstage.h"
#include "stores/generatorstore.h"
#include "stores/memory/memorystore.h"
#include "task/taskcontext.h"

#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSemaphore>
#include <QTest>

#include <cstring>
#include <map>

using namespace cs;

namespace {

std::unique_ptr<MemoryStore> makeArange(const Coords &shape, const Coords &chunks,
                                        DType dt = DType(DType::Kind::Int, 4))
{
    auto store = std::make_unique<MemoryStore>(QStringLiteral("src"), dt, shape, chunks);
    FillSpec fill;
    fill.kind = FillSpec::Kind::Random;
    fill.seed = 42;
    GeneratorStore gen(fill, dt, shape, chunks);
    TaskContext ctx;
    gen.read(Region::whole(shape), store->data(), ctx);
    return store;
}

Coords randomCoords(QRandomGenerator &rng, int rank, int lo, int hi)
{
    Coords c;
    c.rank = rank;
    for (int i = 0; i < rank; ++i)
        c[i] = rng.bounded(lo, hi + 1);
    return c;
}

// Forwards to a store, but each read first takes a permit. Verification is the only reader of a
// target that hands out no memory of its own, so a test lets it compare one chunk per permit and can
// look at a run in the middle of its verification.
class GatedStore final : public Store {
public:
    explicit GatedStore(Store &inner)
        : Store(inner.id(), inner.dtype(), inner.shape(), inner.chunks())
        , m_inner(inner)
    {
    }
    QString kind() const override { return m_inner.kind(); }
    void read(const Region &region, void *out, TaskContext &ctx) override
    {
        permits.acquire();
        m_inner.read(region, out, ctx);
    }
    void write(const Region &region, const void *in, TaskContext &ctx) override { m_inner.write(region, in, ctx); }
    StoreInfo info() const override { return m_inner.info(); }

    QSemaphore permits;

private:
    Store &m_inner;
};

std::unique_ptr<CopyRun> runCopy(Store &src, Store &dst, CopyOptions options)
{
    auto run = std::make_unique<CopyRun>(src, dst, options);
    run->start();
    run->wait();
    return run;
}

} // namespace

class TestEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void copiesEveryElement_data()
    {
        QTest::addColumn<int>("workers");
        QTest::addColumn<int>("lock");
        QTest::addColumn<quint32>("seed");
        for (int workers : {1, 2, 3})
            for (LockMode lock : {LockMode::Target, LockMode::None, LockMode::Io})
                for (quint32 seed : {1u, 2u, 3u})
                    QTest::addRow("w%d %s seed%u", workers, qPrintable(lockModeName(lock)), seed)
                        << workers << int(lock) << seed;
    }
    void copiesEveryElement()
    {
        QFETCH(int, workers);
        QFETCH(int, lock);
        QFETCH(quint32, seed);
        // Random N-D shapes where the copy chunks, the source chunks and the target chunks all differ.
        QRandomGenerator rng(seed);
        const int rank = rng.bounded(1, 5);
        const Coords shape = randomCoords(rng, rank, 1, rank == 1 ? 5000 : 13);
        const auto src = makeArange(shape, randomCoords(rng, rank, 1, 7));
        MemoryStore dst(QStringLiteral("dst"), src->dtype(), shape, randomCoords(rng, rank, 1, 7));
        CopyOptions options;
        options.chunks = randomCoords(rng, rank, 1, rank == 1 ? 700 : 6);
        options.workers = workers;
        options.lock = LockMode(lock);
        const auto run = runCopy(*src, dst, options);
        QVERIFY2(!run->failed(), qPrintable(run->error()));
        QCOMPARE(std::memcmp(src->data(), dst.data(), size_t(src->nbytes())), 0);
        QCOMPARE(run->verified(), std::optional<bool>(true));
        QCOMPARE(run->bytesCopied(), src->nbytes());
    }

    void profilerInvariants()
    {
        const Coords shape = Coords::fromVector({64, 1000});
        const auto src = makeArange(shape, Coords::fromVector({4, 1000}));
        MemoryStore dst(QStringLiteral("dst"), src->dtype(), shape, shape);
        CopyOptions options;
        options.workers = 3;
        options.sampleMs = 1;
        options.lock = LockMode::Target;
        const auto run = runCopy(*src, dst, options);
        const auto events = run->events();
        const ChunkGrid grid(shape, Coords::fromVector({4, 1000}));
        // One event per task, in task order.
        QCOMPARE(int64_t(events.size()), grid.chunkCount());
        std::map<int, std::vector<TaskEvent>> byWorker;
        for (size_t i = 0; i < events.size(); ++i) {
            const TaskEvent &e = events[i];
            QCOMPARE(e.task, int64_t(i));
            QVERIFY(e.worker >= 0 && e.worker < 3);
            QVERIFY(e.endNs >= e.startNs);
            QCOMPARE(e.bytes, grid.chunkRegion(e.task).count() * 4);
            // Phases sum to at most the task's duration.
            int64_t phases = 0;
            for (int64_t p : e.phaseNs) {
                QVERIFY(p >= 0);
                phases += p;
            }
            QVERIFY2(phases <= e.durationNs(), qPrintable(QStringLiteral("task %1").arg(e.task)));
            QVERIFY(e.phaseNs[size_t(Phase::Write)] > 0);
            byWorker[e.worker].push_back(e);
        }
        // A worker never runs two tasks at once.
        for (auto &[worker, list] : byWorker) {
            std::sort(list.begin(), list.end(),
                      [](const TaskEvent &a, const TaskEvent &b) { return a.startNs < b.startNs; });
            for (size_t i = 1; i < list.size(); ++i)
                QVERIFY(list[i].startNs >= list[i - 1].endNs);
        }
        // Samples: one at the start and one at the end, in time order.
        const auto samples = run->samples();
        QVERIFY(samples.size() >= 2);
        // The first is taken at start, before the workers may begin: no interval for a rate yet, and
        // nothing in flight.
        QCOMPARE(samples.front().cpuPercent, 0.0);
        QCOMPARE(samples.front().inflightBytes, int64_t(0));
        for (const TaskEvent &e : events)
            QVERIFY(samples.front().tNs <= e.startNs);
        QVERIFY(samples.front().tNs < 1000000);
        for (size_t i = 1; i < samples.size(); ++i)
            QVERIFY(samples[i].tNs >= samples[i - 1].tNs);
        QVERIFY(samples.back().tNs >= int64_t(run->wallSeconds() * 1e9) - 1000000);
        for (const auto &s : samples)
            QVERIFY(s.rssBytes > 0);
    }

    void lockModesSerialiseWrites_data()
    {
        QTest::addColumn<int>("lock");
        QTest::newRow("target") << int(LockMode::Target);
        QTest::newRow("io") << int(LockMode::Io);
    }
    void lockModesSerialiseWrites()
    {
        // A target that counts how many writers are inside write() at once.
        class ProbeStore final : public Store {
        public:
            explicit ProbeStore(MemoryStore &inner)
                : Store(inner.id(), inner.dtype(), inner.shape(), inner.chunks())
                , m_inner(inner)
            {
            }
            QString kind() const override { return QStringLiteral("memory"); }
            void read(const Region &r, void *out, TaskContext &ctx) override { m_inner.read(r, out, ctx); }
            void write(const Region &r, const void *in, TaskContext &ctx) override
            {
                // In lock mode "io" the store itself holds the lock around its raw write.
                TimedLock lock(ctx, ctx.ioLock);
                const int now = ++m_inside;
                int seen = m_max.load();
                while (now > seen && !m_max.compare_exchange_weak(seen, now)) { }
                TaskContext plain;
                m_inner.write(r, in, plain);
                --m_inside;
            }
            StoreInfo info() const override { return m_inner.info(); }
            int maxInside() const { return m_max.load(); }

        private:
            MemoryStore &m_inner;
            std::atomic<int> m_inside{0};
            std::atomic<int> m_max{0};
        };
        QFETCH(int, lock);
        const Coords shape = Coords::fromVector({1 << 20});
        const auto src = makeArange(shape, Coords::fromVector({1 << 12}));
        MemoryStore dst(QStringLiteral("dst"), src->dtype(), shape, shape);
        ProbeStore probe(dst);
        CopyOptions options;
        options.workers = 3;
        options.lock = LockMode(lock);
        const auto run = runCopy(*src, probe, options);
        QCOMPARE(run->verified(), std::optional<bool>(true));
        QCOMPARE(probe.maxInside(), 1);
    }

    void unprofiledRunRecordsNothing()
    {
        const Coords shape = Coords::fromVector({10000});
        const auto src = makeArange(shape, Coords::fromVector({1000}));
        MemoryStore dst(QStringLiteral("dst"), src->dtype(), shape, shape);
        CopyOptions options;
        options.profile = false;
        options.verify = false;
        const auto run = runCopy(*src, dst, options);
        QVERIFY(run->events().empty());
        QVERIFY(run->samples().empty());
        QCOMPARE(run->verified(), std::optional<bool>());
        QCOMPARE(std::memcmp(src->data(), dst.data(), size_t(src->nbytes())), 0);
    }

    void failingStoreStopsTheRun_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<int>("workers");
        for (int workers : {1, 2, 3}) {
            QTest::addRow("read w%d", workers) << int(FaultyStore::Fault::OnRead) << workers;
            QTest::addRow("write w%d", workers) << int(FaultyStore::Fault::OnWrite) << workers;
        }
    }
    void failingStoreStopsTheRun()
    {
        QFETCH(int, fault);
        QFETCH(int, workers);
        const Coords shape = Coords::fromVector({100000});
        const auto src = makeArange(shape, Coords::fromVector({100}));
        MemoryStore dst(QStringLiteral("dst"), src->dtype(), shape, shape);
        Region failing;
        failing.start = Coords::fromVector({5000});
        failing.stop = Coords::fromVector({5001});
        // A non-contiguous wrapper forces the buffered path for both sides.
        FaultyStore faultySrc(*src, failing, FaultyStore::Fault(fault));
        FaultyStore faultyDst(dst, failing, FaultyStore::Fault(fault));
        CopyOptions options;
        options.workers = workers;
        const auto run = runCopy(faultySrc, faultyDst, options);
        QVERIFY(run->failed());
        const QString op = fault == int(FaultyStore::Fault::OnRead) ? QStringLiteral("read") : QStringLiteral("write");
        QCOMPARE(
            run->error(),
            QStringLiteral("array src, region [[5000, 5100]]: injected %1 failure")
                .arg(op)
                .replace(QStringLiteral("array src"),
                         QStringLiteral("array %1").arg(fault == 0 ? QStringLiteral("src") : QStringLiteral("dst"))));
        // Stopped within one task per worker: once the failing task has ended (the run is flagged as failed
        // before its end is stamped), each other worker begins at most one more task.
        const auto events = run->events();
        const auto failed = std::find_if(events.begin(), events.end(), [](const TaskEvent &e) { return e.task == 50; });
        QVERIFY(failed != events.end());
        QCOMPARE(failed->bytes, int64_t(0));
        int64_t after = 0;
        for (const auto &e : events)
            after += e.startNs > failed->endNs;
        QVERIFY2(after <= workers - 1, qPrintable(QString::number(after)));
        QCOMPARE(run->verified(), std::optional<bool>());

        // The next run on the same stores works.
        const auto again = runCopy(*src, dst, options);
        QVERIFY(!again->failed());
        QCOMPARE(again->verified(), std::optional<bool>(true));
    }

    void cancelStopsWithinOneTaskPerWorker()
    {
        // A slow source: generated random values into a large target.
        const Coords shape = Coords::fromVector({1 << 24});
        FillSpec fill;
        fill.kind = FillSpec::Kind::Random;
        GeneratorStore gen(fill, DType(DType::Kind::Float, 8), shape, Coords::fromVector({1 << 12}));
        MemoryStore dst(QStringLiteral("dst"), gen.dtype(), shape, shape);
        CopyOptions options;
        options.workers = 2;
        CopyRun run(gen, dst, options);
        run.start();
        QTest::qWait(20);
        run.cancel();
        QVERIFY(run.wait(2000));
        QVERIFY(run.cancelled());
        RunSnapshot snap;
        run.snapshot(snap);
        QVERIFY(snap.tasksDone < snap.tasksTotal);
        QVERIFY(snap.pending.size() <= 2);
        QCOMPARE(run.verified(), std::optional<bool>());
    }

    void verificationCatchesAWrongTarget()
    {
        // A target that silently changes one element of what it is given: verification must say so.
        class LyingStore final : public Store {
        public:
            explicit LyingStore(MemoryStore &inner)
                : Store(inner.id(), inner.dtype(), inner.shape(), inner.chunks())
                , m_inner(inner)
            {
            }
            QString kind() const override { return QStringLiteral("memory"); }
            void read(const Region &r, void *out, TaskContext &ctx) override { m_inner.read(r, out, ctx); }
            void write(const Region &r, const void *in, TaskContext &ctx) override
            {
                m_inner.write(r, in, ctx);
                if (r.start[0] <= 4 && 4 < r.stop[0] && r.start[1] <= 5 && 5 < r.stop[1])
                    reinterpret_cast<int32_t *>(m_inner.data())[4 * 7 + 5] ^= 1;
            }
            StoreInfo info() const override { return m_inner.info(); }

        private:
            MemoryStore &m_inner;
        };
        const Coords shape = Coords::fromVector({6, 7});
        const auto src = makeArange(shape, Coords::fromVector({2, 3}));
        MemoryStore dst(QStringLiteral("dst"), src->dtype(), shape, shape);
        LyingStore lying(dst);
        const auto run = runCopy(*src, lying, CopyOptions());
        QVERIFY(!run->failed());
        QCOMPARE(run->verified(), std::optional<bool>(false));
        QCOMPARE(run->verifyMessage(), QStringLiteral("target dst differs from source src at index [4, 5]"));
    }

    void liveSnapshotsAreIncremental()
    {
        const Coords shape = Coords::fromVector({1 << 22});
        FillSpec fill;
        fill.kind = FillSpec::Kind::Random;
        GeneratorStore gen(fill, DType(DType::Kind::UInt, 4), shape, Coords::fromVector({1 << 12}));
        MemoryStore dst(QStringLiteral("dst"), gen.dtype(), shape, shape);
        CopyOptions options;
        options.workers = 2;
        options.sampleMs = 5;
        options.verify = false;
        CopyRun run(gen, dst, options);
        run.start();
        RunSnapshot snap;
        int polls = 0;
        while (!run.wait(5)) {
            run.snapshot(snap);
            ++polls;
            for (size_t i = 0; i < snap.done.size(); ++i)
                QCOMPARE(snap.done[i].task, int64_t(i));
        }
        run.snapshot(snap);
        QVERIFY(polls > 0);
        QCOMPARE(int64_t(snap.done.size()), snap.tasksTotal);
        QVERIFY(snap.pending.empty());
        QCOMPARE(snap.samples.size(), run.samples().size());
    }

    void cappedSnapshotsTakeTheRestLater()
    {
        // A reader that takes at most 100 new tasks per snapshot lags the run, and catches up with
        // exactly the run's events, in order, once it has asked often enough.
        const Coords shape = Coords::fromVector({1000});
        const auto src = makeArange(shape, Coords::fromVector({1}));
        MemoryStore dst(QStringLiteral("dst"), src->dtype(), shape, shape);
        CopyOptions options;
        options.workers = 2;
        options.chunks = Coords::fromVector({1});
        const auto run = runCopy(*src, dst, options);
        RunSnapshot snap;
        for (int call = 1; call <= 10; ++call) {
            run->snapshot(snap, 100);
            QCOMPARE(snap.done.size(), size_t(100 * call));
            QCOMPARE(snap.tasksDone, int64_t(1000)); // the counters are the run's, not the snapshot's
            QVERIFY(snap.pending.empty());
        }
        run->snapshot(snap, 100);
        QCOMPARE(snap.done.size(), size_t(1000));
        const std::vector<TaskEvent> events = run->events();
        for (size_t i = 0; i < events.size(); ++i) {
            QCOMPARE(snap.done[i].task, int64_t(i));
            QCOMPARE(snap.done[i].endNs, events[i].endNs);
        }
        run->snapshot(snap, 0);
        QCOMPARE(snap.done.size(), size_t(1000));
    }

    void verificationCountsItsChunksAndTheCopyClockStops()
    {
        // A copy of 4 chunks whose target lets verification read one chunk per permit.
        const Coords shape = Coords::fromVector({4000});
        const Coords chunks = Coords::fromVector({1000});
        const auto src = makeArange(shape, chunks);
        MemoryStore inner(QStringLiteral("dst"), src->dtype(), shape, chunks);
        GatedStore dst(inner);
        CopyOptions options;
        options.chunks = chunks;
        options.workers = 2;
        options.profile = false;
        CopyRun run(*src, dst, options);
        // Declared after the run, so destroyed before it: a failed check never leaves it waiting.
        const auto openGate = qScopeGuard([&] { dst.permits.release(1000); });
        run.start();

        QTRY_VERIFY(countersOf(run).copyEnded);
        const RunSnapshot ended = countersOf(run);
        QVERIFY(!ended.finished);
        QCOMPARE(ended.tasksDone, int64_t(4));
        QCOMPARE(ended.verifyTotal, int64_t(4));
        QCOMPARE(ended.verifyDone, int64_t(0));
        QCOMPARE(copyStage(ended).text(), QStringLiteral("verifying: 0 %"));
        // The copy's time no longer moves while verification waits.
        QTest::qSleep(50);
        QCOMPARE(countersOf(run).elapsedNs, ended.elapsedNs);

        dst.permits.release(1);
        QTRY_COMPARE(countersOf(run).verifyDone, int64_t(1));
        QCOMPARE(copyStage(countersOf(run)).text(), QStringLiteral("verifying: 25 %"));
        QCOMPARE(copyStage(countersOf(run)).percent(), 25);
        dst.permits.release(2);
        QTRY_COMPARE(countersOf(run).verifyDone, int64_t(3));
        QVERIFY(!countersOf(run).finished);

        dst.permits.release(1);
        QVERIFY(run.wait(10000));
        const RunSnapshot done = countersOf(run);
        QVERIFY(done.finished);
        QCOMPARE(done.verifyDone, int64_t(4));
        QCOMPARE(done.elapsedNs, ended.elapsedNs);
        QCOMPARE(run.wallSeconds(), double(ended.elapsedNs) / 1e9);
        QCOMPARE(run.verified(), std::optional<bool>(true));
        QCOMPARE(copyStage(done).text(), QStringLiteral("4 of 4 tasks"));
    }

    void stagesSayWhatTheRunDoes()
    {
        RunSnapshot s;
        s.tasksTotal = 382;
        s.tasksDone = 120;
        QCOMPARE(fillStage(QStringLiteral("a1"), s).text(), QStringLiteral("filling a1: 120 of 382 chunks"));
        QCOMPARE(copyStage(s).text(), QStringLiteral("running: 120 of 382 tasks"));
        s.tasksDone = 382;
        s.copyEnded = true;
        // A run that does not verify has nothing to show between its copy and its end.
        QCOMPARE(copyStage(s).kind, RunStage::Kind::Copying);
        s.verifyTotal = 382;
        s.verifyDone = 381; // 99.7 %: rounded down, so 100 % means every chunk
        QCOMPARE(copyStage(s).text(), QStringLiteral("verifying: 99 %"));
        s.verifyDone = 153;
        QCOMPARE(copyStage(s).text(), QStringLiteral("verifying: 40 %"));
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
