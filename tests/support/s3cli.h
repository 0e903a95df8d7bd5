#pragma once

// The built `chunkscope run` (CHUNKSCOPE_BINARY) against object storage, as the object storage tests
// drive it: credentials only in the environment, results, CSV and trace written into a temporary
// folder, and every output kept so that a test can search them all for the secrets.

#include "interopsupport.h"
#include "s3server.h"
#include "scenario/scenarioparser.h"
#include "scenario/scenariowriter.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>
#include <QProcess>
#include <QTemporaryDir>

namespace cs::testing {

// JSON text written with single quotes, which stand for double quotes.
inline QByteArray q(const char *text)
{
    return QByteArray(text).replace('\'', '"');
}

// The array "a" the object storage tests copy, as scenario text: 120 x 70 int32 holding 0, 1, 2, ... in
// chunks of 50 x 30, a 3 x 3 grid with edge chunks on both axes, one request per chunk.
inline const QByteArray kSource
    = R"("a": {"store": "memory", "dtype": "<i4", "shape": [120, 70], "chunks": [50, 30], "fill": "arange"})";

inline QJsonObject readJson(const QString &file)
{
    return QJsonDocument::fromJson(fileBytes(file)).object();
}

inline bool writeFile(const QString &file, const QByteArray &bytes)
{
    QFile f(file);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// Every file below `dir`, by its path relative to it, with its bytes.
inline QMap<QString, QByteArray> filesBelow(const QString &dir)
{
    QMap<QString, QByteArray> out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        out.insert(QDir(dir).relativeFilePath(file), fileBytes(file));
    }
    return out;
}

inline QJsonObject runNamed(const QJsonObject &results, const QString &name)
{
    for (const QJsonValue &run : results.value(QStringLiteral("runs")).toArray())
        if (run.toObject().value(QStringLiteral("name")).toString() == name)
            return run.toObject();
    return {};
}

inline int countMethod(const QJsonObject &run, const QString &method)
{
    int n = 0;
    for (const QJsonValue &r : run.value(QStringLiteral("requests")).toArray())
        n += r.toObject().value(QStringLiteral("method")).toString() == method ? 1 : 0;
    return n;
}

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

class S3Cli {
public:
    // A session token, and a wrong secret kept in the credentials file's profile "wrong": with the
    // server's second secret, what no output may hold.
    static constexpr const char *kToken = "cs-session-token-Zx81/qLm+Vt3";
    static constexpr const char *kWrongSecret = "wrong-secret-Qq9/Lp+4";

    // Runs in `dir`, whose "credentials" file holds the profile "wrong"; AWS_ENDPOINT_URL is `endpoint`.
    S3Cli(const QTemporaryDir &dir, const QString &endpoint)
        : m_dir(dir)
        , m_endpoint(endpoint)
    {
        writeFile(m_dir.filePath(QStringLiteral("credentials")),
                  "[wrong]\naws_access_key_id = " + QByteArray(S3Server::kOtherAccessKey)
                      + "\naws_secret_access_key = " + kWrongSecret + "\n");
    }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : env.keys())
            if (name.startsWith(QLatin1String("AWS_")))
                env.remove(name);
        env.insert(QStringLiteral("HOME"), m_dir.path()); // no ~/.aws of the machine's
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QLatin1String(S3Server::kOtherAccessKey));
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QLatin1String(S3Server::kOtherSecret));
        env.insert(QStringLiteral("AWS_SESSION_TOKEN"), QLatin1String(kToken));
        env.insert(QStringLiteral("AWS_ENDPOINT_URL"), m_endpoint);
        env.insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
        env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), m_dir.filePath(QStringLiteral("credentials")));
        return env;
    }

    // `chunkscope run SCENARIO` writing STEM.json, STEM-csv and STEM.trace.json.
    CliRun run(const QString &scenario, const QString &stem)
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.setWorkingDirectory(m_dir.path());
        p.start(QStringLiteral(CHUNKSCOPE_BINARY),
                {QStringLiteral("run"), scenario, QStringLiteral("--json"),
                 m_dir.filePath(stem + QStringLiteral(".json")), QStringLiteral("--csv"),
                 m_dir.filePath(stem + QStringLiteral("-csv")), QStringLiteral("--trace"),
                 m_dir.filePath(stem + QStringLiteral(".trace.json"))});
        CliRun r;
        if (!p.waitForFinished(180000)) {
            p.kill();
            p.waitForFinished();
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        m_outputs.append(r);
        return r;
    }

    // Writes the scenario into the folder as `name`, runs it, and reads the results document it wrote.
    QJsonObject runScenario(const QByteArray &scenario, const QString &name, const QString &stem, CliRun *cli)
    {
        const QString file = m_dir.filePath(name);
        if (!writeFile(file, scenario))
            return {};
        m_scenarios.append(name);
        *cli = run(file, stem);
        return readJson(m_dir.filePath(stem + QStringLiteral(".json")));
    }

    // What the runs so far put out, each named: their stdout and stderr, every file they wrote into the
    // folder (results, CSV, traces) and every scenario they ran, saved again. Empty, with the reason in
    // *error, when a scenario no longer loads.
    QList<QPair<QString, QByteArray>> outputs(QString *error) const
    {
        QList<QPair<QString, QByteArray>> out;
        for (qsizetype i = 0; i < m_outputs.size(); ++i) {
            out.append({QStringLiteral("stdout %1").arg(i), m_outputs.at(i).out});
            out.append({QStringLiteral("stderr %1").arg(i), m_outputs.at(i).err});
        }
        const QMap<QString, QByteArray> files = filesBelow(m_dir.path());
        for (auto it = files.cbegin(); it != files.cend(); ++it)
            if (it.key() != QLatin1String("credentials") && !m_scenarios.contains(it.key())
                && !it.key().contains(QLatin1String(".zarr/")))
                out.append({it.key(), it.value()});
        for (const QString &name : m_scenarios) {
            const std::optional<Scenario> s = loadScenarioFile(m_dir.filePath(name), error);
            if (!s)
                return {};
            out.append({QStringLiteral("saved ") + name, scenarioToJson(*s)});
        }
        return out;
    }

    // The secrets of the environment and the credentials file, none of which any output may hold.
    static QList<QByteArray> secrets() { return {QByteArray(S3Server::kOtherSecret), kToken, kWrongSecret}; }

private:
    const QTemporaryDir &m_dir;
    QString m_endpoint;
    QList<CliRun> m_outputs;
    QStringList m_scenarios;
};

} // namespace cs::testing
