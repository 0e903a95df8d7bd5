#pragma once

// What the interoperability tests share: running their Python scripts with the interpreter ctest names
// in CHUNKSCOPE_PYTHON (Debian's, with numpy, zarr and h5py), and reading what those scripts leave behind.

#include <QFile>
#include <QJsonArray>
#include <QJsonValue>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace cs::testing {

// The path of a script in tests/interop.
inline QString interopScript(const QString &name)
{
    return qEnvironmentVariable("CHUNKSCOPE_TEST_DATA") + QStringLiteral("/interop/") + name;
}

// The interpreter the tests run; empty when ctest did not name one.
inline QString testPython()
{
    return qEnvironmentVariable("CHUNKSCOPE_PYTHON");
}

// Runs the interpreter with args; true on a clean exit, with stdout and stderr (trimmed) in *output.
inline bool runPython(const QStringList &args, QString *output, int timeoutMs = 120000)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(testPython(), args);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        *output = QStringLiteral("%1 did not finish: %2").arg(args.join(QLatin1Char(' ')), process.errorString());
        return false;
    }
    *output = QString::fromUtf8(process.readAll()).trimmed();
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

// Where tests/interop/zarrita (zarrita, the Zarr v3 reference implementation, with its scripts) is.
inline QString zarritaDir()
{
    return interopScript(QStringLiteral("zarrita"));
}

// Runs one of the zarrita scripts with node; true on a clean exit, with stdout in *output (stderr too
// on failure).
inline bool runZarrita(const QStringList &args, QByteArray *output)
{
    QProcess node;
    node.start(QStringLiteral("node"), args);
    if (!node.waitForFinished(120000)) {
        node.kill();
        node.waitForFinished();
        *output = "node did not finish: " + node.errorString().toUtf8();
        return false;
    }
    *output = node.readAllStandardOutput();
    if (node.exitStatus() == QProcess::NormalExit && node.exitCode() == 0)
        return true;
    *output += node.readAllStandardError();
    return false;
}

inline QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline std::vector<int64_t> jsonToVector(const QJsonValue &value)
{
    std::vector<int64_t> v;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &x : array)
        v.push_back(x.toInteger());
    return v;
}

} // namespace cs::testing
