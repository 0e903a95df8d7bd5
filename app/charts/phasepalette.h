#pragma once

#include "profiler/phase.h"

#include <QColor>
#include <QString>

#include <algorithm>
#include <array>
#include <cmath>

namespace cs {

// A Gantt bar is split into these segments, in this order: the task's phases, then the part of the
// task no phase accounts for ("other": the engine's own bookkeeping between phases).
constexpr int kSegmentCount = kPhaseCount + 1;
constexpr int kOtherSegment = kPhaseCount;

// One colour per segment, shared by the Gantt, its legend, tooltips and exports, chosen to stay
// distinct for colour-blind readers (Tableau 10). Lock wait is the red that should catch the eye.
inline QColor segmentColor(int segment)
{
    static const std::array<QColor, kSegmentCount> colors{
        QColor(0x4e, 0x79, 0xa7), // read: blue
        QColor(0x76, 0xb7, 0xb2), // decode: teal
        QColor(0xe1, 0x57, 0x59), // lock wait: red
        QColor(0xf2, 0x8e, 0x2b), // encode: orange
        QColor(0x59, 0xa1, 0x4f), // write: green
        QColor(0xb0, 0x7a, 0xa1), // store lock: purple
        QColor(0x9c, 0x75, 0x5f), // chunk lock: brown
        QColor(0xff, 0x9d, 0xa7), // shard assembly: pink
        QColor(0x2f, 0x4b, 0x7c), // shard index: navy
        QColor(0xba, 0xb0, 0xac), // other: warm grey
    };
    return colors[size_t(std::clamp(segment, 0, kSegmentCount - 1))];
}

inline QString segmentLabel(int segment)
{
    if (segment == kOtherSegment)
        return QStringLiteral("other");
    return QString::fromLatin1(phaseLabel(Phase(segment)));
}

// The off-CPU parts of a bar keep their phase's hue, lighter: blocked ones pale, and those waiting for
// a CPU hatched in the phase colour over a lighter tint (hatching says "ready, not running").
inline QColor towardWhite(const QColor &c, double amount)
{
    const auto mix = [&](int v) { return int(std::lround(v + (255 - v) * amount)); };
    return QColor(mix(c.red()), mix(c.green()), mix(c.blue()));
}
inline QColor blockedColor(const QColor &phase)
{
    return towardWhite(phase, 0.72);
}
inline QColor blockedColor(int segment)
{
    return blockedColor(segmentColor(segment));
}
inline QColor queuedTint(const QColor &phase)
{
    return towardWhite(phase, 0.5);
}
inline QColor queuedTint(int segment)
{
    return queuedTint(segmentColor(segment));
}
constexpr Qt::BrushStyle kQueuedHatch = Qt::BDiagPattern;

// The line through the bar of a task that moved its chunk as stored, without decoding it: its
// read and write segments keep their colours, and the line tells them from a decoding task's.
inline QColor passthroughMarkColor()
{
    return QColor(Qt::white);
}

// Tasks still running: drawn as growing bars in a colour no finished segment uses.
inline QColor runningColor()
{
    return QColor(0xed, 0xc9, 0x48); // yellow
}

} // namespace cs
