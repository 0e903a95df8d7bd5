#include "clocksync.h"

#include "communicator.h"
#include "profiler/phase.h"

#include <limits>

namespace cs {

namespace {
// A round trip this short bounds an offset well within what a profile can show.
constexpr int64_t kShortRoundTripNs = 200'000;
constexpr int kMaxExchanges = 2000;
constexpr int64_t kDone = -1; // no clock reads negative: the end of the exchanges with a rank
} // namespace

QList<ClockOffset> measureClockOffsets(Communicator &comm, int exchanges)
{
    if (comm.rank() != 0) {
        while (comm.receiveNumber(0) != kDone)
            comm.sendNumber(0, monotonicNs());
        return {};
    }
    QList<ClockOffset> offsets(comm.size());
    for (int peer = 1; peer < comm.size(); ++peer) {
        int64_t bestRoundTrip = std::numeric_limits<int64_t>::max();
        ClockOffset &o = offsets[peer];
        for (int i = 0; i < kMaxExchanges && (i < exchanges || bestRoundTrip > kShortRoundTripNs); ++i) {
            const int64_t sent = monotonicNs();
            comm.sendNumber(peer, sent);
            const int64_t theirs = comm.receiveNumber(peer);
            const int64_t back = monotonicNs();
            if (back - sent < bestRoundTrip) {
                bestRoundTrip = back - sent;
                o.offsetNs = theirs - (sent + (back - sent) / 2);
                o.uncertaintyNs = (back - sent + 1) / 2;
            }
            ++o.exchanges;
        }
        comm.sendNumber(peer, kDone);
    }
    return offsets;
}

} // namespace cs
