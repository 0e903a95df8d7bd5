#pragma once

// The smallest scenario worth running: one copy of 20,000 int32 in memory, named "small", its run
// "copy" on one worker. Over in milliseconds, for tests about what surrounds a run.

#include <QByteArray>

inline const QByteArray kTinyScenario = R"({
  "chunkscope": 1,
  "name": "small",
  "arrays": {
    "a1": {"store": "memory", "dtype": "<i4", "shape": [20000], "chunks": [1000], "fill": "arange"},
    "a2": {"store": "memory", "like": "a1", "fill": "empty"}
  },
  "runs": [{"name": "copy", "source": "a1", "target": "a2", "workers": 1}]
})";
