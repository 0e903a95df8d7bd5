#pragma once

#include <cstddef>
#include <memory>

namespace cs::bench {

// What no copy engine can beat on this machine: the notebook's copy done as bare loops, with `threads`
// threads taking chunks round-robin. A loop is set up once (packed chunks, per-thread buffers) so that
// each pass() times only the copy, and the benchmark can run one pass right beside each engine run:
// this machine's memory bandwidth drifts between states a third apart, and a limit measured minutes
// away from the copy it is compared with would compare the states, not the copies.
class LimitLoop {
public:
    virtual ~LimitLoop() = default;
    double pass(); // seconds for one pass over every chunk

protected:
    LimitLoop(size_t chunks, int threads);
    virtual void work(size_t chunk, int thread) = 0;

private:
    size_t m_chunks;
    int m_threads;
};

// memcpy of every chunk from `src` to `dst`: given the engine's own source and target memory, the limit
// runs on the very pages the copy used.
std::unique_ptr<LimitLoop> memcpyLoop(const char *src, char *dst, size_t elements, size_t chunk, int threads);
// blosc (blosclz, clevel 5, byte shuffle) decompress then recompress of every chunk of an arange.
std::unique_ptr<LimitLoop> bloscLoop(size_t elements, size_t chunk, int threads);
// LZF with byte shuffle: decompress, unshuffle, shuffle, compress every chunk of an arange.
std::unique_ptr<LimitLoop> lzfLoop(size_t elements, size_t chunk, int threads);

} // namespace cs::bench
