#pragma once

#include <QList>

#include <cstdint>

namespace cs {

class Communicator;

// How far one rank's monotonic clock is from rank 0's: offsetNs = rank's clock - rank 0's clock,
// known to within +- uncertaintyNs (half the shortest round trip measured).
struct ClockOffset {
    int64_t offsetNs = 0;
    int64_t uncertaintyNs = 0;
    int exchanges = 0;
};

// Collective. Rank 0 sends its time to each other rank in turn and takes the reply with the rank's
// time, at least `exchanges` times; the exchange with the shortest round trip bounds the offset best
// (Cristian's method), as the reply was read somewhere within that round trip. Ranks that share busy
// cores (more ranks than cores) answer late while they wait for one, so rank 0 goes on exchanging
// until a round trip is short or a bound on the exchanges is reached. Returns one offset per rank on
// rank 0 (its own is zero) and an empty list elsewhere.
QList<ClockOffset> measureClockOffsets(Communicator &comm, int exchanges = 20);

} // namespace cs
