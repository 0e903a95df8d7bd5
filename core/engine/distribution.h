#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace cs {

// How the tasks of one copy grid are shared among the processes of a job (the ranks of an MPI run):
//  Block:  each rank takes one contiguous range of tasks, the ranges as equal as they can be.
//  Cyclic: rank r takes tasks r, r + ranks, r + 2 ranks, ...
enum class Distribution { Block, Cyclic };

QString distributionName(Distribution d); // "block", "cyclic"
std::optional<Distribution> distributionFromName(const QString &name);

// The tasks one rank runs, as an arithmetic progression over the grid's task indices: task number
// i of this rank (0 <= i < count) is first + i * stride. A worker turns its counter into a task with
// one multiply-add, so sharing the grid costs the hot path nothing more.
struct TaskShare {
    int64_t first = 0;
    int64_t stride = 1;
    int64_t count = 0;

    int64_t task(int64_t i) const { return first + i * stride; }
    bool isWhole() const { return first == 0 && stride == 1; }
    // The share of `rank` among `ranks` of a grid of `total` tasks.
    static TaskShare of(int64_t total, int rank, int ranks, Distribution d);
};

} // namespace cs
