#pragma once

// The fault proxy (tests/interop/s3rver/faultproxy.mjs) between a test's requests and its S3Server, on
// a free loopback port: it adds latency, answers 503 SlowDown and resets connections, as its settings
// say ("latency_ms=20", "slowdown=0.5", "reset=2", "match=PUT .*/1\\.0$"; see the script).

#include "s3server.h"

namespace cs::testing {

class FaultProxy {
public:
    ~FaultProxy() { stop(); }

    // Starts a proxy in front of `server` with these settings, replacing one this object ran before;
    // empty on success, otherwise why it cannot run here.
    QString start(const S3Server &server, const QStringList &settings)
    {
        stop();
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_port = startNodeListener(
            m_process,
            QStringList{interopScript(QStringLiteral("s3rver/faultproxy.mjs")), QString::number(server.port())}
                + settings);
        if (m_port > 0)
            return QString();
        stop();
        return QStringLiteral("the fault proxy did not start");
    }

    void stop() { stopNodeListener(m_process); }

    QString endpoint() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }

private:
    QProcess m_process;
    int m_port = 0;
};

} // namespace cs::testing
