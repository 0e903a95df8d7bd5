#pragma once

// Starting `mpirun ... chunkscope run` from the MPI tests and reading what the job left behind.

#include "testfiles.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QThread>

namespace cs::testing {

struct JobOutcome {
    bool finished = false;
    int exitCode = -1;
    QString out;
    QString err;
    qint64 ms = 0;
};

// As root, Open MPI refuses to start without --allow-run-as-root; the flag is harmless otherwise.
inline QStringList mpirunArgs(int ranks, const QStringList &command)
{
    QStringList args{QStringLiteral("--allow-run-as-root"), QStringLiteral("-np"), QString::number(ranks)};
    if (ranks > QThread::idealThreadCount())
        args << QStringLiteral("--oversubscribe");
    return args + command;
}

inline QStringList runCommand(const QStringList &args)
{
    return QStringList{QStringLiteral(CHUNKSCOPE_BINARY), QStringLiteral("run")} + args;
}

// Open MPI keeps memory until exit on purpose; under the sanitizer presets LeakSanitizer would count
// it against every rank. Chunkscope's own leaks are caught by the single-process suites.
inline void startJob(QProcess &p, const QStringList &mpirun, const QString &workDir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ASAN_OPTIONS"),
               env.value(QStringLiteral("ASAN_OPTIONS")) + QStringLiteral(":detect_leaks=0"));
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(workDir);
    p.start(QStringLiteral(CHUNKSCOPE_MPIEXEC), mpirun);
}

// Runs `program` with `args` in `workDir` to its end (mpirun, or chunkscope itself in one process).
inline JobOutcome runProgram(const QString &program, const QStringList &args, const QString &workDir,
                             int timeoutMs = 180000)
{
    QProcess p;
    QElapsedTimer clock;
    clock.start();
    if (program == QLatin1String(CHUNKSCOPE_MPIEXEC)) {
        startJob(p, args, workDir);
    } else {
        p.setWorkingDirectory(workDir);
        p.start(program, args);
    }
    JobOutcome o;
    o.finished = p.waitForFinished(timeoutMs);
    if (!o.finished) {
        p.kill();
        p.waitForFinished();
    }
    o.ms = clock.elapsed();
    o.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    o.out = QString::fromUtf8(p.readAllStandardOutput());
    o.err = QString::fromUtf8(p.readAllStandardError());
    return o;
}

inline JobOutcome runJob(const QStringList &mpirun, const QString &workDir, int timeoutMs = 180000)
{
    return runProgram(QStringLiteral(CHUNKSCOPE_MPIEXEC), mpirun, workDir, timeoutMs);
}

// Saves `scenario` as s.json in `dir` and runs it on `ranks` ranks, rank 0 writing out.json there.
inline JobOutcome runScenarioJob(int ranks, const QTemporaryDir &dir, const QByteArray &scenario)
{
    writeFileIn(dir, QStringLiteral("s.json"), scenario);
    return runJob(mpirunArgs(ranks,
                             runCommand({QStringLiteral("s.json"), QStringLiteral("--json"), QStringLiteral("out.json"),
                                         QStringLiteral("--quiet")})),
                  dir.path());
}

inline QJsonObject readJson(const QString &path)
{
    return QJsonDocument::fromJson(readAll(path)).object();
}

// The first run of a results document.
inline QJsonObject firstRunIn(const QString &path)
{
    return readJson(path).value(QStringLiteral("runs")).toArray().at(0).toObject();
}

// Chunkscope's own lines of a job's stderr, without mpirun's report of the ranks' exit codes.
inline QStringList errorLines(const QString &err)
{
    return err.split(QLatin1Char('\n')).filter(QRegularExpression(QStringLiteral("^error: ")));
}

// The path of a script in tests/mpi.
inline QString mpiScript(const QString &name)
{
    return qEnvironmentVariable("CHUNKSCOPE_TEST_DATA") + QStringLiteral("/mpi/") + name;
}

} // namespace cs::testing
