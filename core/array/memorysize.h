#pragma once

#include <QString>

#include <cstdint>

namespace cs {

// Memory sizes as every message, table and chart prints them: in binary units that say so ("512 B",
// "3.9 KiB", "96.5 MiB", "1.5 GiB", "280.0 TiB"). Throughput stays decimal (GB/s). Only an array's
// .info text keeps zarr's own unlabelled style ("1.5G"), so that it reads as zarr's does.
QString formatMemory(int64_t bytes);

} // namespace cs
