// Sweep summaries on synthetic results whose every throughput is known: lines per lock mode and per
// chunk shape, medians over repeats, speed-up and efficiency against 1 worker or, without one,
// against the fewest workers, and the "sweeps" entry of the results document.
#include "results/filestems.h"
#include "results/repeatstats.h"
#include "results/resultsjson.h"
#include "results/sweepsummary.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace cs;

namespace {

// A finished run of sweep `of` moving 1 GB in 1 / gbps seconds.
RunResult sweptRun(const QString &of, int workers, LockMode lock, double gbps, int64_t chunk = 1048576,
                   bool sweepChunks = false)
{
    RunResult r;
    r.workers = workers;
    r.lock = lock;
    r.chunks = Coords::fromVector({chunk});
    r.shape = Coords::fromVector({250000000});
    r.bytes = 1000000000;
    r.wallSeconds = 1.0 / gbps;
    r.status = RunResult::Status::Ok;
    SweepInfo s;
    s.of = of;
    s.values.insert(QStringLiteral("workers"), workers);
    s.values.insert(QStringLiteral("lock"), lockModeName(lock));
    if (sweepChunks)
        s.values.insert(QStringLiteral("chunks"), QJsonArray{qint64(chunk)});
    r.sweep = s;
    r.name = QStringLiteral("%1 [workers=%2 lock=%3]").arg(of).arg(workers).arg(lockModeName(lock));
    return r;
}

} // namespace

class TestSweepSummary : public QObject {
    Q_OBJECT

private slots:
    void linesPerLockModeAgainstOneWorker()
    {
        QList<RunResult> runs;
        for (int w : {1, 2, 3, 4}) {
            runs.append(sweptRun(QStringLiteral("zarr"), w, LockMode::Target, 1.0 + 0.25 * (w - 1)));
            runs.append(sweptRun(QStringLiteral("zarr"), w, LockMode::None, 1.0 * w));
        }
        RunResult plain = sweptRun(QStringLiteral("other"), 2, LockMode::None, 9);
        plain.sweep.reset(); // not a sweep: left out
        runs.append(plain);
        RunResult failed = sweptRun(QStringLiteral("zarr"), 2, LockMode::None, 50);
        failed.status = RunResult::Status::Failed; // not finished: left out
        runs.append(failed);

        const QList<SweepSummary> sweeps = summarizeSweeps(runs);
        QCOMPARE(sweeps.size(), 1);
        const SweepSummary &s = sweeps.first();
        QCOMPARE(s.name, QStringLiteral("zarr"));
        QCOMPARE(s.swept, QStringList({QStringLiteral("workers"), QStringLiteral("lock")}));
        QVERIFY(s.note.isEmpty());
        QCOMPARE(s.lines.size(), 2);
        QCOMPARE(s.pointCount(), 8);

        const ScalingLine &lock = s.lines.at(0);
        QCOMPARE(lock.lock, LockMode::Target);
        QCOMPARE(lock.label, QStringLiteral("lock=target"));
        QCOMPARE(lock.baselineWorkers, 1);
        QCOMPARE(lock.points.size(), 4);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(lock.points[i].workers, i + 1);
        QCOMPARE(lock.points[3].gbps, 1.75);
        QCOMPARE(lock.points[3].speedup, 1.75);
        QCOMPARE(lock.points[3].efficiency, 1.75 / 4);
        QCOMPARE(lock.points[0].speedup, 1.0);
        QCOMPARE(lock.points[0].efficiency, 1.0);

        const ScalingLine *none = s.line(LockMode::None, Coords::fromVector({1048576}));
        QVERIFY(none);
        QCOMPARE(none->label, QStringLiteral("lock=none"));
        QCOMPARE(none->point(3)->gbps, 3.0);
        QCOMPARE(none->point(3)->speedup, 3.0);
        QCOMPARE(none->point(3)->efficiency, 1.0);
        QCOMPARE(none->point(2)->repeats, 1); // the failed run is not a repeat
        QVERIFY(!none->point(5));
    }

    void repeatsGiveTheMedian()
    {
        QList<RunResult> runs;
        for (double gbps : {2.0, 10.0, 3.0}) // the median 3, not the mean 5
            runs.append(sweptRun(QStringLiteral("numpy"), 1, LockMode::None, gbps));
        for (double gbps : {4.0, 8.0}) // an even count: the mean of the middle two
            runs.append(sweptRun(QStringLiteral("numpy"), 2, LockMode::None, gbps));
        const QList<SweepSummary> sweeps = summarizeSweeps(runs);
        QCOMPARE(sweeps.size(), 1);
        const ScalingLine &line = sweeps.first().lines.first();
        QCOMPARE(line.points.size(), 2);
        QCOMPARE(line.points[0].gbps, 3.0);
        QCOMPARE(line.points[0].repeats, 3);
        QCOMPARE(line.points[0].wallSeconds, 1.0 / 3.0);
        QCOMPARE(line.points[1].gbps, 6.0);
        QCOMPARE(line.points[1].repeats, 2);
        QCOMPARE(line.points[1].speedup, 2.0);
        QCOMPARE(line.points[1].efficiency, 1.0);
        // Three runs give an interval of their median; two do not.
        QVERIFY(line.points[0].gbpsCi.has_value());
        QCOMPARE(line.points[0].gbpsCi->low, 2.0);
        QCOMPARE(line.points[0].gbpsCi->high, 10.0);
        QVERIFY(!line.points[1].gbpsCi.has_value());
    }

    // The bootstrap interval of a median: three values can only resample to a median of one of them,
    // and each extreme is the median of a resample 7 times in 27, more than 2.5 %.
    void medianIntervals()
    {
        QVERIFY(!medianInterval({1.0, 2.0}).has_value());
        const std::optional<Interval> three = medianInterval({3.0, 1.0, 2.0});
        QVERIFY(three.has_value());
        QCOMPARE(three->low, 1.0);
        QCOMPARE(three->high, 3.0);
        // Nine tightly grouped values and one outlier: the outlier never reaches the interval.
        const std::optional<Interval> ten = medianInterval({1.00, 1.01, 0.99, 1.02, 0.98, 1.00, 1.01, 0.99, 1.00, 9.0});
        QVERIFY(ten->low >= 0.98 && ten->high <= 1.02);
        // The same values give the same interval every time.
        QCOMPARE(medianInterval({0.5, 0.7, 0.6, 0.9})->high, medianInterval({0.5, 0.7, 0.6, 0.9})->high);
    }

    void repeatSummaries()
    {
        QList<RunResult> runs;
        for (double gbps : {2.0, 4.0, 3.0})
            runs.append(sweptRun(QStringLiteral("a"), 1, LockMode::None, gbps));
        RunResult failed = runs.first();
        failed.status = RunResult::Status::Failed;
        runs.append(failed); // left out
        for (double gbps : {2.0, 4.0})
            runs.append(sweptRun(QStringLiteral("b"), 1, LockMode::None, gbps)); // two: no summary
        const QList<RepeatSummary> summaries = summarizeRepeats(runs);
        QCOMPARE(summaries.size(), 1);
        QCOMPARE(summaries[0].name, runs[0].name);
        QCOMPARE(summaries[0].n, 3);
        QCOMPARE(summaries[0].gbpsMedian, 3.0);
        QCOMPARE(summaries[0].wallMedian, 1.0 / 3.0);
        QCOMPARE(summaries[0].gbpsCi.low, 2.0);
        QCOMPARE(summaries[0].gbpsCi.high, 4.0);
        QCOMPARE(summaries[0].wallCi.low, 0.25);
        QCOMPARE(summaries[0].wallCi.high, 0.5);

        const QJsonObject doc = QJsonDocument::fromJson(resultsToJson(QStringLiteral("s"), HostInfo(), runs)).object();
        const QJsonArray array = doc.value(QStringLiteral("summaries")).toArray();
        QCOMPARE(array.size(), 1);
        QCOMPARE(array[0].toObject(),
                 (QJsonObject{{QStringLiteral("name"), runs[0].name},
                              {QStringLiteral("n"), 3},
                              {QStringLiteral("wall_s_median"), 1.0 / 3.0},
                              {QStringLiteral("wall_s_ci"), QJsonArray{0.25, 0.5}},
                              {QStringLiteral("gbps_median"), 3.0},
                              {QStringLiteral("gbps_ci"), QJsonArray{2.0, 4.0}}}));
    }

    void ratioSentences()
    {
        const std::vector<double> none{0.100, 0.101, 0.099, 0.100, 0.102};
        const std::vector<double> target{0.141, 0.140, 0.142, 0.141, 0.143};
        const std::optional<SpeedRatio> faster = speedRatio(none, target);
        QVERIFY(faster.has_value());
        QCOMPARE(faster->n, 5);
        QCOMPARE(faster->ratio, 1.41);
        QVERIFY(faster->ci.low > 1.35 && faster->ci.high < 1.45);
        const QString interleaved = QStringLiteral("interleaved");
        QCOMPARE(ratioSentence(QStringLiteral("lock none"), QStringLiteral("lock target"), *faster, interleaved),
                 QStringLiteral("lock none is 1.41× faster than lock target (95 % CI %1–%2, n = 5, interleaved)")
                     .arg(faster->ci.low, 0, 'f', 2)
                     .arg(faster->ci.high, 0, 'f', 2));
        // The other way round the ratio is inverted, and so is its interval.
        const std::optional<SpeedRatio> slower = speedRatio(target, none);
        QCOMPARE(ratioSentence(QStringLiteral("lock target"), QStringLiteral("lock none"), *slower, interleaved),
                 QStringLiteral("lock none is 1.41× faster than lock target (95 % CI %1–%2, n = 5, interleaved)")
                     .arg(1 / slower->ci.high, 0, 'f', 2)
                     .arg(1 / slower->ci.low, 0, 'f', 2));
        // Overlapping samples: the interval includes 1.
        const std::optional<SpeedRatio> same = speedRatio({0.10, 0.12, 0.11, 0.09}, {0.11, 0.10, 0.12, 0.115});
        QVERIFY(same->ci.contains(1.0));
        QVERIFY2(ratioSentence(QStringLiteral("a"), QStringLiteral("b"), *same, QString())
                     .startsWith(QStringLiteral("no clear difference between a and b (a is ")),
                 qPrintable(ratioSentence(QStringLiteral("a"), QStringLiteral("b"), *same, QString())));
        QVERIFY(!speedRatio({0.1, 0.1}, target).has_value());
    }

    void lockModesAreComparedWithTheirInterval()
    {
        QList<RunResult> runs;
        for (double wall : {0.100, 0.101, 0.099, 0.100, 0.102}) {
            runs.append(sweptRun(QStringLiteral("zarr"), 2, LockMode::None, 1 / wall));
            runs.append(sweptRun(QStringLiteral("zarr"), 2, LockMode::Target, 1 / (wall * 1.41)));
            runs.append(sweptRun(QStringLiteral("zarr"), 1, LockMode::None, 1 / wall)); // no other lock at 1
        }
        const QStringList sentences = lockComparisons(runs, QStringLiteral("sequential"));
        QCOMPARE(sentences.size(), 1);
        // Each side resampled on its own from a fixed seed: the same runs give the same interval.
        QCOMPARE(sentences[0],
                 QStringLiteral("zarr [workers=2]: lock none is 1.41× faster than lock target (95 % CI "
                                "1.38–1.44, n = 5, sequential)"));
        // Two runs of a lock mode give no interval, and no sentence.
        runs.erase(runs.begin() + 3, runs.end());
        QVERIFY(lockComparisons(runs, QString()).isEmpty());
    }

    void withoutOneWorkerTheFewestAreTheBaseline()
    {
        QList<RunResult> runs;
        // Added out of order: the points still come in ascending workers.
        runs.append(sweptRun(QStringLiteral("hdf5"), 8, LockMode::Io, 6.0));
        runs.append(sweptRun(QStringLiteral("hdf5"), 2, LockMode::Io, 2.0));
        runs.append(sweptRun(QStringLiteral("hdf5"), 4, LockMode::Io, 3.0));
        const SweepSummary s = summarizeSweeps(runs).value(0);
        const ScalingLine &line = s.lines.first();
        QCOMPARE(line.baselineWorkers, 2);
        QCOMPARE(line.points[0].workers, 2);
        QCOMPARE(line.points[2].workers, 8);
        QCOMPARE(line.points[0].speedup, 1.0);
        QCOMPARE(line.points[1].speedup, 1.5);
        QCOMPARE(line.points[1].efficiency, 0.75); // 1.5 x faster with 2 x the workers
        QCOMPARE(line.points[2].speedup, 3.0);
        QCOMPARE(line.points[2].efficiency, 0.75);
        QCOMPARE(s.note,
                 QStringLiteral("speed-up and efficiency of lock=io are against 2 workers: the sweep has no "
                                "1-worker run of it"));
    }

    void chunkSweepsGiveALinePerChunkShape()
    {
        QList<RunResult> runs;
        for (int w : {1, 2}) {
            for (int64_t chunk : {65536, 1048576})
                runs.append(
                    sweptRun(QStringLiteral("chunks"), w, LockMode::Target, chunk == 65536 ? w : 2.0 * w, chunk, true));
        }
        runs.append(sweptRun(QStringLiteral("second"), 1, LockMode::Target, 1));
        const QList<SweepSummary> sweeps = summarizeSweeps(runs);
        QCOMPARE(sweeps.size(), 2);
        QCOMPARE(sweeps[1].name, QStringLiteral("second"));
        const SweepSummary &s = sweeps.first();
        QCOMPARE(s.swept, QStringList({QStringLiteral("workers"), QStringLiteral("lock"), QStringLiteral("chunks")}));
        QCOMPARE(s.lines.size(), 2);
        QCOMPARE(s.lines[0].label, QStringLiteral("lock=target chunks=65536"));
        QCOMPARE(s.lines[1].label, QStringLiteral("lock=target chunks=1048576"));
        QCOMPARE(s.lines[1].points[1].gbps, 4.0);
        QCOMPARE(s.lines[1].points[1].speedup, 2.0);
    }

    void eachPointCarriesTheVerdictOfItsTypicalRun()
    {
        // One task filling the pool's time: mostly waiting for the lock, or mostly encoding.
        auto withTask = [](RunResult r, Phase phase) {
            TaskEvent e;
            e.worker = 0;
            e.startNs = 0;
            e.endNs = int64_t(r.wallSeconds * 1e9);
            e.bytes = r.bytes;
            e.phaseNs[size_t(phase)] = e.endNs * 9 / 10;
            r.events.push_back(e);
            return r;
        };
        QList<RunResult> runs;
        runs.append(withTask(sweptRun(QStringLiteral("v"), 1, LockMode::Target, 1.0), Phase::LockWait));
        runs.append(withTask(sweptRun(QStringLiteral("v"), 1, LockMode::Target, 5.0), Phase::Encode));
        runs.append(withTask(sweptRun(QStringLiteral("v"), 1, LockMode::Target, 1.2), Phase::LockWait));
        runs.append(sweptRun(QStringLiteral("v"), 2, LockMode::Target, 1.0)); // not profiled
        const ScalingLine line = summarizeSweeps(runs).value(0).lines.value(0);
        QCOMPARE(line.points.size(), 2);
        QCOMPARE(line.points[0].gbps, 1.2);
        QCOMPARE(line.points[0].bound, QStringLiteral("lock")); // the median run, not the fast outlier
        QCOMPARE(line.points[1].bound, QStringLiteral("unknown"));
        QCOMPARE(scalingLineToJson(line)
                     .value(QStringLiteral("points"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("bound"))
                     .toString(),
                 QStringLiteral("lock"));
    }

    void nothingToSummarise()
    {
        QVERIFY(summarizeSweeps(QList<RunResult>()).isEmpty());
        RunResult r = sweptRun(QStringLiteral("x"), 0, LockMode::Target, 1);
        QVERIFY(summarizeSweeps(QList<RunResult>{r}).isEmpty()); // 0 workers: not a point on a line
        RunResult stalled = sweptRun(QStringLiteral("x"), 1, LockMode::Target, 1);
        stalled.wallSeconds = 0; // no throughput: speed-ups stay finite
        stalled.bytes = 0;
        const QList<SweepSummary> s
            = summarizeSweeps(QList<RunResult>{stalled, sweptRun(QStringLiteral("x"), 2, LockMode::Target, 1)});
        QCOMPARE(s.first().lines.first().points[1].speedup, 0.0);
        QCOMPARE(sweepFileStems(s), QStringList{QStringLiteral("x")});
        SweepSummary odd;
        odd.name = QStringLiteral("zarr, lock/no lock");
        QCOMPARE(sweepFileStems({odd}), QStringList{QStringLiteral("zarr__lock_no_lock")});
    }

    void theResultsDocumentCarriesTheSweeps()
    {
        QList<RunResult> runs;
        for (int w : {1, 2}) {
            runs.append(sweptRun(QStringLiteral("zarr"), w, LockMode::Target, 1.0));
            runs.append(sweptRun(QStringLiteral("zarr"), w, LockMode::None, 1.5 * w));
        }
        const QByteArray text = resultsToJson(QStringLiteral("s"), HostInfo(), runs);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
        QVERIFY2(!doc.isNull(), qPrintable(error.errorString()));
        const QJsonArray sweeps = doc.object().value(QStringLiteral("sweeps")).toArray();
        QCOMPARE(sweeps.size(), 1);
        const QJsonObject s = sweeps.first().toObject();
        QCOMPARE(s.value(QStringLiteral("name")).toString(), QStringLiteral("zarr"));
        QCOMPARE(s.value(QStringLiteral("swept")).toArray(),
                 QJsonArray({QStringLiteral("workers"), QStringLiteral("lock")}));
        QVERIFY(!s.contains(QStringLiteral("note")));
        const QJsonArray lines = s.value(QStringLiteral("lines")).toArray();
        QCOMPARE(lines.size(), 2);
        const QJsonObject none = lines.at(1).toObject();
        QCOMPARE(none.value(QStringLiteral("lock")).toString(), QStringLiteral("none"));
        QCOMPARE(none.value(QStringLiteral("label")).toString(), QStringLiteral("lock=none"));
        QCOMPARE(none.value(QStringLiteral("chunks")).toArray(), QJsonArray({1048576}));
        QCOMPARE(none.value(QStringLiteral("baseline_workers")).toInt(), 1);
        const QJsonArray points = none.value(QStringLiteral("points")).toArray();
        QCOMPARE(points.size(), 2);
        const QJsonObject two = points.at(1).toObject();
        QCOMPARE(two.value(QStringLiteral("workers")).toInt(), 2);
        QCOMPARE(two.value(QStringLiteral("gbps")).toDouble(), 3.0);
        QCOMPARE(two.value(QStringLiteral("speedup")).toDouble(), 2.0);
        QCOMPARE(two.value(QStringLiteral("efficiency")).toDouble(), 1.0);
        QCOMPARE(two.value(QStringLiteral("repeats")).toInt(), 1);
        QCOMPARE(two.value(QStringLiteral("n")).toInt(), 1);
        QVERIFY(!two.contains(QStringLiteral("gbps_ci"))); // one run: no interval
        QCOMPARE(sweepSummaryToJson(summarizeSweeps(runs).first()), s);

        // The document still reads back, sweeps and all, and without sweeps the array is empty.
        QString message;
        const std::optional<ResultsDocument> back = parseResults(text, QStringLiteral("r.json"), &message);
        QVERIFY2(back, qPrintable(message));
        QCOMPARE(back->runs.size(), 4);
        const QJsonDocument none2 = QJsonDocument::fromJson(resultsToJson(QStringLiteral("s"), HostInfo(), {}));
        QCOMPARE(none2.object().value(QStringLiteral("sweeps")).toArray(), QJsonArray());
    }
};

QTEST_GUILESS_MAIN(TestSweepSummary)
#include "tst_sweepsummary.moc"
