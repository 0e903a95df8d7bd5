#include "machinelimits.h"

#include "codecs/shuffle.h"

#include <blosc.h>
#include <lzf.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <numeric>
#include <thread>
#include <vector>

namespace cs::bench {

namespace {

double bestOfThree(int threads, size_t chunks, const std::function<void(size_t, int)> &work)
{
    double best = 1e300;
    for (int pass = 0; pass < 3; ++pass) {
        const auto t0 = std::chrono::steady_clock::now();
        std::vector<std::thread> pool;
        for (int k = 0; k < threads; ++k)
            pool.emplace_back([&, k] {
                for (size_t c = size_t(k); c < chunks; c += size_t(threads))
                    work(c, k);
            });
        for (auto &t : pool)
            t.join();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

std::vector<int32_t> arange(size_t n)
{
    std::vector<int32_t> v(n);
    std::iota(v.begin(), v.end(), 0);
    return v;
}

} // namespace

double memcpyLimit(size_t elements, size_t chunk, int threads)
{
    const std::vector<int32_t> src = arange(elements);
    std::vector<int32_t> dst(elements, 0);
    const size_t chunks = (elements + chunk - 1) / chunk;
    return bestOfThree(threads, chunks, [&](size_t c, int) {
        const size_t n = std::min(chunk, elements - c * chunk);
        std::memcpy(&dst[c * chunk], &src[c * chunk], n * 4);
    });
}

double bloscLimit(size_t elements, size_t chunk, int threads)
{
    const std::vector<int32_t> src = arange(elements);
    const size_t chunks = (elements + chunk - 1) / chunk;
    std::vector<std::vector<char>> packed(chunks);
    for (size_t c = 0; c < chunks; ++c) {
        const size_t bytes = std::min(chunk, elements - c * chunk) * 4;
        packed[c].resize(bytes + BLOSC_MAX_OVERHEAD);
        packed[c].resize(size_t(
            blosc_compress_ctx(5, 1, 4, bytes, &src[c * chunk], packed[c].data(), packed[c].size(), "blosclz", 0, 1)));
    }
    std::vector<std::vector<char>> plain(size_t(threads), std::vector<char>(chunk * 4));
    std::vector<std::vector<char>> out(size_t(threads), std::vector<char>(chunk * 4 + BLOSC_MAX_OVERHEAD));
    return bestOfThree(threads, chunks, [&](size_t c, int k) {
        const int n = blosc_decompress_ctx(packed[c].data(), plain[size_t(k)].data(), chunk * 4, 1);
        blosc_compress_ctx(5, 1, 4, size_t(n), plain[size_t(k)].data(), out[size_t(k)].data(), out[size_t(k)].size(),
                           "blosclz", 0, 1);
    });
}

double lzfLimit(size_t elements, size_t chunk, int threads)
{
    const std::vector<int32_t> src = arange(elements);
    const size_t chunks = (elements + chunk - 1) / chunk;
    std::vector<std::vector<char>> packed(chunks);
    std::vector<char> shuffled(chunk * 4);
    for (size_t c = 0; c < chunks; ++c) {
        const size_t bytes = std::min(chunk, elements - c * chunk) * 4;
        shuffleBytes(&src[c * chunk], shuffled.data(), bytes, 4);
        packed[c].resize(bytes + bytes / 16 + 64);
        packed[c].resize(lzf_compress(shuffled.data(), unsigned(bytes), packed[c].data(), unsigned(packed[c].size())));
    }
    struct Buffers {
        std::vector<char> a, b, out;
    };
    std::vector<Buffers> bufs(
        size_t(threads),
        Buffers{std::vector<char>(chunk * 4), std::vector<char>(chunk * 4), std::vector<char>(chunk * 4)});
    return bestOfThree(threads, chunks, [&](size_t c, int k) {
        Buffers &b = bufs[size_t(k)];
        const unsigned n
            = lzf_decompress(packed[c].data(), unsigned(packed[c].size()), b.a.data(), unsigned(b.a.size()));
        unshuffleBytes(b.a.data(), b.b.data(), n, 4);
        shuffleBytes(b.b.data(), b.a.data(), n, 4);
        lzf_compress(b.a.data(), n, b.out.data(), unsigned(b.out.size()));
    });
}

} // namespace cs::bench
