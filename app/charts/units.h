#pragma once

#include <QString>

#include <cstdint>

namespace cs {

// How the app prints times, sizes and rates, so tooltips, tables and titles agree.
QString formatDurationNs(int64_t ns); // "1.23 ms", "45.6 µs", "2.05 s"
QString formatSeconds(double seconds, int decimals = 4); // "0.1523 s"
// Memory sizes in charts, their titles and tooltips, in binary units that say so: "512 B", "3.9 KiB",
// "96.5 MiB", "1.5 GiB". Throughput stays decimal (formatRate).
QString formatMemory(int64_t bytes);
QString formatRate(double gbps); // "10.52 GB/s", "0.18 GB/s", "69.6 MB/s"
QString formatPercent(double percent); // "181 %"
QString formatWorkers(int workers); // "1 worker", "2 workers"

} // namespace cs
