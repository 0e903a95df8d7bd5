#pragma once

// s3rver (tests/interop/s3rver, pinned by its lock file and installed by ./setup.sh test) on a free
// loopback port, started and stopped by a test. Its serve.mjs checks SigV4 signatures in front of
// s3rver, which checks only the access key.

#include "interopsupport.h"
#include "kv/s3config.h"

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace cs::testing {

// Starts a node script of tests/interop/s3rver that prints "port <n>" once it listens on loopback;
// the port, or 0 when it did not start.
inline int startNodeListener(QProcess &process, const QStringList &args)
{
    process.start(QStringLiteral("node"), args);
    while (process.waitForReadyRead(30000)) {
        if (!process.canReadLine())
            continue;
        const QByteArray line = process.readLine().trimmed();
        if (line.startsWith("port "))
            return line.mid(5).toInt();
    }
    return 0;
}

// Such a script stops when its stdin ends.
inline void stopNodeListener(QProcess &process)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.closeWriteChannel();
    if (!process.waitForFinished(10000)) {
        process.kill();
        process.waitForFinished();
    }
}

class S3Server {
public:
    // The credentials s3rver knows.
    static constexpr const char *kAccessKey = "S3RVER";
    static constexpr const char *kSecret = "S3RVER";
    // A second pair (serve.mjs), whose secret is no other string a run writes.
    static constexpr const char *kOtherAccessKey = "CHUNKSCOPETESTKEY";
    static constexpr const char *kOtherSecret = "cs/T3st+Secret-9QzVw7Kp";

    ~S3Server() { stop(); }

    // Starts the server with one empty bucket, over HTTPS when given a key and certificate file; empty
    // on success, otherwise why it cannot run here.
    QString start(const QString &bucket, const QString &tlsKey = QString(), const QString &tlsCert = QString())
    {
        const QString dir = interopScript(QStringLiteral("s3rver"));
        if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
            return QStringLiteral("node is not installed (./setup.sh installs Debian's nodejs and npm)");
        if (!QFileInfo::exists(dir + QStringLiteral("/node_modules/s3rver/package.json")))
            return QStringLiteral("s3rver is not installed: run npm ci in %1 (./setup.sh test does)").arg(dir);
        if (!m_data.isValid())
            return QStringLiteral("no temporary directory for the server's objects");
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        // s3rver's continuation tokens are DES-encrypted, which OpenSSL 3 keeps in its legacy provider.
        QStringList args{QStringLiteral("--openssl-legacy-provider"), dir + QStringLiteral("/serve.mjs"), m_data.path(),
                         bucket};
        if (!tlsKey.isEmpty())
            args << tlsKey << tlsCert;
        m_scheme = tlsKey.isEmpty() ? QStringLiteral("http") : QStringLiteral("https");
        m_port = startNodeListener(m_process, args);
        if (m_port > 0)
            return QString();
        stop();
        return QStringLiteral("s3rver did not start");
    }

    void stop() { stopNodeListener(m_process); }

    int port() const { return m_port; }
    QString endpoint() const { return QStringLiteral("%1://127.0.0.1:%2").arg(m_scheme).arg(m_port); }
    // A configuration that reaches this server with its credentials and nothing from the environment.
    S3Config config() const
    {
        S3Config c;
        c.endpoint = endpoint();
        c.region = QStringLiteral("us-east-1");
        c.accessKeyId = QLatin1String(kAccessKey);
        c.secretAccessKey = QLatin1String(kSecret);
        return c;
    }

private:
    QTemporaryDir m_data;
    QProcess m_process;
    int m_port = 0;
    QString m_scheme = QStringLiteral("http");
};

} // namespace cs::testing
