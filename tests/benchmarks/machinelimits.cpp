#include "machinelimits.h"

#include "codecs/shuffle.h"

#include <blosc.h>
#include <lzf.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <thread>
#include <vector>

namespace cs::bench {

LimitLoop::LimitLoop(size_t chunks, int threads)
    : m_chunks(chunks)
    , m_threads(threads)
{
}

double LimitLoop::pass()
{
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int k = 0; k < m_threads; ++k)
        pool.emplace_back([this, k] {
            for (size_t c = size_t(k); c < m_chunks; c += size_t(m_threads))
                work(c, k);
        });
    for (auto &t : pool)
        t.join();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

namespace {

size_t chunkCount(size_t elements, size_t chunk)
{
    return (elements + chunk - 1) / chunk;
}

class MemcpyLoop final : public LimitLoop {
public:
    MemcpyLoop(const char *src, char *dst, size_t elements, size_t chunk, int threads)
        : LimitLoop(chunkCount(elements, chunk), threads)
        , m_src(src)
        , m_dst(dst)
        , m_elements(elements)
        , m_chunk(chunk)
    {
    }

protected:
    void work(size_t c, int) override
    {
        const size_t n = std::min(m_chunk, m_elements - c * m_chunk);
        std::memcpy(m_dst + c * m_chunk * 4, m_src + c * m_chunk * 4, n * 4);
    }

private:
    const char *m_src;
    char *m_dst;
    size_t m_elements, m_chunk;
};

// Compressed chunks of an arange, made once; `compress` returns one chunk's bytes packed.
template <typename Compress> std::vector<std::vector<char>> packArange(size_t elements, size_t chunk, Compress compress)
{
    std::vector<int32_t> src(elements);
    std::iota(src.begin(), src.end(), 0);
    std::vector<std::vector<char>> packed(chunkCount(elements, chunk));
    for (size_t c = 0; c < packed.size(); ++c) {
        packed[c]
            = compress(reinterpret_cast<const char *>(&src[c * chunk]), std::min(chunk, elements - c * chunk) * 4);
        packed[c].shrink_to_fit(); // each chunk's worst-case capacity, kept, would add up to an array's worth
    }
    return packed;
}

class BloscLoop final : public LimitLoop {
public:
    BloscLoop(size_t elements, size_t chunk, int threads)
        : LimitLoop(chunkCount(elements, chunk), threads)
        , m_chunkBytes(chunk * 4)
        , m_plain(size_t(threads), std::vector<char>(chunk * 4))
        , m_out(size_t(threads), std::vector<char>(chunk * 4 + BLOSC_MAX_OVERHEAD))
    {
        m_packed = packArange(elements, chunk, [](const char *in, size_t bytes) {
            std::vector<char> p(bytes + BLOSC_MAX_OVERHEAD);
            p.resize(size_t(blosc_compress_ctx(5, 1, 4, bytes, in, p.data(), p.size(), "blosclz", 0, 1)));
            return p;
        });
    }

protected:
    void work(size_t c, int k) override
    {
        std::vector<char> &plain = m_plain[size_t(k)], &out = m_out[size_t(k)];
        const int n = blosc_decompress_ctx(m_packed[c].data(), plain.data(), m_chunkBytes, 1);
        blosc_compress_ctx(5, 1, 4, size_t(n), plain.data(), out.data(), out.size(), "blosclz", 0, 1);
    }

private:
    size_t m_chunkBytes;
    std::vector<std::vector<char>> m_packed, m_plain, m_out;
};

class LzfLoop final : public LimitLoop {
public:
    LzfLoop(size_t elements, size_t chunk, int threads)
        : LimitLoop(chunkCount(elements, chunk), threads)
        , m_a(size_t(threads), std::vector<char>(chunk * 4))
        , m_b(m_a)
        , m_out(m_a)
    {
        std::vector<char> shuffled(chunk * 4);
        m_packed = packArange(elements, chunk, [&](const char *in, size_t bytes) {
            shuffleBytes(in, shuffled.data(), bytes, 4);
            std::vector<char> p(bytes + bytes / 16 + 64);
            p.resize(lzf_compress(shuffled.data(), unsigned(bytes), p.data(), unsigned(p.size())));
            return p;
        });
    }

protected:
    void work(size_t c, int k) override
    {
        std::vector<char> &a = m_a[size_t(k)], &b = m_b[size_t(k)], &out = m_out[size_t(k)];
        const unsigned n
            = lzf_decompress(m_packed[c].data(), unsigned(m_packed[c].size()), a.data(), unsigned(a.size()));
        unshuffleBytes(a.data(), b.data(), n, 4);
        shuffleBytes(b.data(), a.data(), n, 4);
        lzf_compress(a.data(), n, out.data(), unsigned(out.size()));
    }

private:
    std::vector<std::vector<char>> m_packed, m_a, m_b, m_out;
};

} // namespace

std::unique_ptr<LimitLoop> memcpyLoop(const char *src, char *dst, size_t elements, size_t chunk, int threads)
{
    return std::make_unique<MemcpyLoop>(src, dst, elements, chunk, threads);
}

std::unique_ptr<LimitLoop> bloscLoop(size_t elements, size_t chunk, int threads)
{
    return std::make_unique<BloscLoop>(elements, chunk, threads);
}

std::unique_ptr<LimitLoop> lzfLoop(size_t elements, size_t chunk, int threads)
{
    return std::make_unique<LzfLoop>(elements, chunk, threads);
}

} // namespace cs::bench
