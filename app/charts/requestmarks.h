#pragma once

#include "profiler/requestlog.h"

#include <QColor>
#include <QString>

#include <algorithm>
#include <array>
#include <cstdint>

namespace cs {

// What the thin strip along the bottom of a Gantt bar shows of each request the task made to a remote
// server: setting up the connection (name lookup, TCP, TLS), waiting for the first byte of the answer,
// and transferring it; an attempt that failed (and was retried, or failed the run) in one colour of
// its own. Neutral greys, so that the phase colours above them stay the bar's first reading.
enum class RequestPart { Connect, FirstByte, Transfer, Failed };
constexpr int kRequestPartCount = 4;

inline QColor requestPartColor(RequestPart part)
{
    static const std::array<QColor, kRequestPartCount> colors{
        QColor(0x7f, 0x7f, 0x7f), // connect: mid grey
        QColor(0xc8, 0xc8, 0xc8), // waiting for the first byte: light grey, nothing arrives yet
        QColor(0x26, 0x26, 0x26), // transfer: nearly black, bytes move
        QColor(0xc5, 0x1b, 0x8a), // failed: magenta, which no phase uses
    };
    return colors[size_t(part)];
}

inline QString requestPartLabel(RequestPart part)
{
    switch (part) {
    case RequestPart::Connect:
        return QStringLiteral("request: connect");
    case RequestPart::FirstByte:
        return QStringLiteral("waiting for first byte");
    case RequestPart::Transfer:
        return QStringLiteral("transfer");
    case RequestPart::Failed:
        return QStringLiteral("failed attempt");
    }
    return {};
}

// Where an attempt's parts end, in ns from its start. libcurl's times are cumulative, and 0 for a step
// a reused connection skipped, so each is taken as at least the one before.
struct RequestSpans {
    int64_t connectedNs = 0; // lookup, connect and TLS done
    int64_t firstByteNs = 0;
    int64_t endNs = 0;
};
inline RequestSpans requestSpans(const RequestTiming &t)
{
    RequestSpans s;
    s.connectedNs = std::max({t.lookupUs, t.connectUs, t.tlsUs, int64_t(0)}) * 1000;
    s.endNs = std::max(s.connectedNs, t.totalUs * 1000);
    s.firstByteNs = std::clamp(t.firstByteUs * 1000, s.connectedNs, s.endNs);
    return s;
}

} // namespace cs
