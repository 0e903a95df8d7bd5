#pragma once

#include "array/memorysize.h" // formatMemory: "96.5 MiB"

#include <QString>

#include <cstdint>

namespace cs {

// How the app prints times, sizes and rates, so tooltips, tables and titles agree.
QString formatDurationNs(int64_t ns); // "1.23 ms", "45.6 µs", "2.05 s"
QString formatSeconds(double seconds, int decimals = 4); // "0.1523 s"
QString formatRate(double gbps); // "10.52 GB/s", "0.18 GB/s", "69.6 MB/s"
QString formatPercent(double percent); // "181 %"
QString formatWorkers(int workers); // "1 worker", "2 workers"

} // namespace cs
